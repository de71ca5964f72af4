/**
 * Show versions: every version and delete marker of the objects in a pane's folder, each key's
 * newest first, with its version id, size, date and "latest". A version can be copied to the other
 * pane or dragged (the copy is of that version, pinned by the engine), and restored: copied over
 * its own key, which becomes the latest version again.
 */
import { Copy, File, Folder, History, LoaderCircle, Trash2 } from 'lucide-react';
import { useCallback, useEffect, useState, type DragEvent, type KeyboardEvent } from 'react';
import type { ContractError, CopySource, ObjectVersion } from '../../../preload/shared/contract';
import { baseName, parentOf } from '../../../preload/shared/keys';
import { call, errorInfo } from '../../api';
import { formatBytes, formatDate, useT } from '../../i18n';
import { isReadOnly } from '../../stores/accounts';
import { otherSide, placeToLocation, useBrowser, type Side } from '../../stores/browser';
import { useLanguage } from '../../stores/settings';
import { useUi, type CopyItems } from '../../stores/ui';
import { requestCopy } from '../copy/intents';
import { ErrorMessage } from '../ErrorMessage';
import { requestNewFolder } from '../buckets/intents';

type Row = { kind: 'folder'; id: string; prefix: string } | { kind: 'version'; id: string; v: ObjectVersion };

const rowId = (v: ObjectVersion) => `${v.key}\u0000${v.versionId}`;

function rowsOf(page: { prefixes: string[]; versions: ObjectVersion[] }): Row[] {
  return [
    ...page.prefixes.map((p): Row => ({ kind: 'folder', id: p, prefix: p })),
    ...page.versions.map((v): Row => ({ kind: 'version', id: rowId(v), v })),
  ];
}

interface Listing {
  status: 'loading' | 'ready' | 'error';
  rows: Row[];
  next?: { keyMarker: string; versionIdMarker: string };
  error?: ContractError;
}

function versionItems(side: Side, v: ObjectVersion): CopyItems | null {
  const location = placeToLocation(useBrowser.getState().panes[side].place);
  if (!location || v.isDeleteMarker) return null;
  const source: CopySource = {
    profileId: location.profileId,
    bucket: location.bucket,
    key: v.key,
    isFolder: false,
    versionId: v.versionId,
  };
  return { from: side, sources: [source], names: [baseName(v.key)] };
}

export function VersionsList({ side }: { side: Side }) {
  const place = useBrowser((s) => s.panes[side].place);
  // A new folder is a new listing: keyed, so its state starts afresh.
  return <VersionsOfPlace key={`${place.profileId}|${place.bucket}|${place.prefix}`} side={side} />;
}

function VersionsOfPlace({ side }: { side: Side }) {
  const t = useT();
  const language = useLanguage();
  const place = useBrowser((s) => s.panes[side].place);
  const [listing, setListing] = useState<Listing>({ status: 'loading', rows: [] });
  const [selected, setSelected] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<ContractError | null>(null);
  const { profileId, bucket, prefix } = place;

  const fetchPage = useCallback(
    (after?: Listing['next']) =>
      call('storage.listVersions', {
        profileId: profileId!,
        bucket: bucket!,
        prefix,
        delimiter: '/',
        ...(after ?? {}),
      }),
    [profileId, bucket, prefix],
  );
  const apply = (page: Awaited<ReturnType<typeof fetchPage>>, after?: Listing['next']) => {
    const rows = rowsOf(page);
    setListing((l) => ({
      status: 'ready',
      rows: after ? [...l.rows, ...rows] : rows,
      ...(page.next ? { next: page.next } : {}),
    }));
  };
  const fail = (err: unknown) => setListing({ status: 'error', rows: [], error: errorInfo(err) });
  const load = (after?: Listing['next']) => fetchPage(after).then((page) => apply(page, after), fail);

  useEffect(() => {
    let current = true;
    fetchPage().then(
      (page) => {
        if (!current) return;
        setListing({ status: 'ready', rows: rowsOf(page), ...(page.next ? { next: page.next } : {}) });
      },
      (err: unknown) => current && setListing({ status: 'error', rows: [], error: errorInfo(err) }),
    );
    return () => {
      current = false;
    };
  }, [fetchPage]);

  const current = listing.rows.find((r) => r.id === selected);
  const version = current?.kind === 'version' ? current.v : undefined;
  const readOnly = isReadOnly(profileId);
  const canRestore = Boolean(version && !version.isLatest && !version.isDeleteMarker && !readOnly);

  const restore = async () => {
    if (!version || !profileId || !bucket) return;
    setError(null);
    setNotice(null);
    try {
      const { taskIds } = await call('tasks.copy', {
        sources: [{ profileId, bucket, key: version.key, isFolder: false, versionId: version.versionId }],
        destination: { profileId, bucket, prefix: parentOf(version.key) },
        options: { metadataDirective: 'COPY', conflict: 'overwrite' },
      });
      setNotice(t('versions.restoring', { name: baseName(version.key) }));
      // The listing shows the restored copy as the newest version once the copy is done.
      const off = window.setInterval(() => {
        void call('tasks.list', undefined).then((tasks) => {
          const task = tasks.find((x) => x.id === taskIds[0]);
          if (!task || task.state === 'running' || task.state === 'queued') return;
          window.clearInterval(off);
          if (task.state === 'done') {
            setNotice(t('versions.restored', { name: baseName(version.key) }));
            void load();
          } else if (task.error) setError(task.error);
        });
      }, 500);
    } catch (err) {
      setError(errorInfo(err));
    }
  };

  const copyToOther = () => {
    if (!version) return;
    const items = versionItems(side, version);
    const destination = placeToLocation(useBrowser.getState().panes[otherSide(side)].place);
    if (items && destination) requestCopy(items, destination);
  };

  const onKeyDown = (e: KeyboardEvent) => {
    const at = listing.rows.findIndex((r) => r.id === selected);
    const mod = navigator.platform.toLowerCase().includes('mac') ? e.metaKey : e.ctrlKey;
    let handled = true;
    if (e.key === 'ArrowDown')
      setSelected(listing.rows[Math.min(at + 1, listing.rows.length - 1)]?.id ?? null);
    else if (e.key === 'ArrowUp') setSelected(listing.rows[Math.max(at - 1, 0)]?.id ?? null);
    else if (e.key === 'Enter' && current?.kind === 'folder')
      void useBrowser.getState().navigate(side, { ...place, prefix: current.prefix });
    else if (e.key === 'Backspace') useBrowser.getState().goUp(side);
    else if (e.key === 'F5') copyToOther();
    else if (mod && e.shiftKey && e.key.toLowerCase() === 'n') requestNewFolder(side);
    else handled = false;
    if (handled) {
      e.preventDefault();
      e.stopPropagation();
    }
  };

  const onDragStart = (e: DragEvent, v: ObjectVersion) => {
    const items = versionItems(side, v);
    if (!items) {
      e.preventDefault();
      return;
    }
    useUi.getState().setDragging(items);
    e.dataTransfer.effectAllowed = 'copy';
    e.dataTransfer.setData('text/plain', items.names.join('\n'));
  };

  return (
    <div className="list-wrap versions-wrap">
      <div className="versions-toolbar" role="toolbar" aria-label={t('versions.toolbar')}>
        <button type="button" disabled={!canRestore} onClick={() => void restore()}>
          <History size={14} aria-hidden="true" /> {t('versions.restore')}
        </button>
        <button type="button" disabled={!version || version.isDeleteMarker} onClick={copyToOther}>
          <Copy size={14} aria-hidden="true" /> {t('action.copyToOther')}
        </button>
      </div>
      <div
        role="listbox"
        id={`${side}-versions`}
        aria-label={t('versions.label')}
        tabIndex={0}
        className="list versions-list"
        aria-activedescendant={
          selected ? `${side}-version-${listing.rows.findIndex((r) => r.id === selected)}` : undefined
        }
        onKeyDown={onKeyDown}
        onFocus={() => useBrowser.getState().setActive(side)}
      >
        {listing.status === 'loading' ? (
          <div role="status" className="list-state loading-state">
            <LoaderCircle className="spinner" aria-hidden="true" size={16} />
            <span>{t('list.loading')}</span>
          </div>
        ) : null}
        {listing.status === 'error' && listing.error ? (
          <ErrorMessage error={listing.error} onRetry={() => void load()} />
        ) : null}
        {listing.status === 'ready' && listing.rows.length === 0 ? (
          <p role="status" className="list-state">
            {t('list.emptyFolder')}
          </p>
        ) : null}
        {listing.rows.map((row, index) => {
          const isSelected = row.id === selected;
          if (row.kind === 'folder') {
            const name = row.prefix.slice(prefix.length);
            return (
              <div
                key={row.id}
                id={`${side}-version-${index}`}
                role="option"
                aria-selected={isSelected}
                aria-label={name}
                className={`row version-row kind-folder${isSelected ? ' selected' : ''}`}
                onClick={() => setSelected(row.id)}
                onDoubleClick={() =>
                  void useBrowser.getState().navigate(side, { ...place, prefix: row.prefix })
                }
              >
                <Folder size={14} aria-hidden="true" />
                <span className="name">{name}</span>
              </div>
            );
          }
          const v = row.v;
          const name = v.key.slice(prefix.length);
          const tags = [
            v.isLatest ? t('versions.latest') : '',
            v.isDeleteMarker ? t('versions.deleteMarker') : '',
          ]
            .filter(Boolean)
            .join(', ');
          return (
            <div
              key={row.id}
              id={`${side}-version-${index}`}
              role="option"
              aria-selected={isSelected}
              aria-label={`${name} ${v.versionId}${tags ? ` (${tags})` : ''}`}
              className={`row version-row${isSelected ? ' selected' : ''}${v.isDeleteMarker ? ' delete-marker' : ''}`}
              draggable={!v.isDeleteMarker}
              onDragStart={(e) => onDragStart(e, v)}
              onDragEnd={() => useUi.getState().setDragging(null)}
              onClick={() => setSelected(row.id)}
            >
              {v.isDeleteMarker ? (
                <Trash2 size={14} aria-hidden="true" />
              ) : (
                <File size={14} aria-hidden="true" />
              )}
              <span className="name" title={v.key}>
                {name}
              </span>
              <span className="version-id" title={v.versionId}>
                {v.versionId}
              </span>
              <span className="version-tags">
                {v.isLatest ? <span className="badge">{t('versions.latest')}</span> : null}
                {v.isDeleteMarker ? <span className="badge">{t('versions.deleteMarker')}</span> : null}
              </span>
              <span className="size">{v.isDeleteMarker ? '' : formatBytes(v.size)}</span>
              <span className="date">{formatDate(v.lastModified, language)}</span>
            </div>
          );
        })}
        {listing.next ? (
          <button type="button" className="load-more" onClick={() => void load(listing.next)}>
            {t('versions.more')}
          </button>
        ) : null}
      </div>
      {version ? (
        <dl className="field version-details" aria-label={t('versions.details')}>
          <dt>{t('details.versionId')}</dt>
          <dd>{version.versionId}</dd>
          <dt>{t('column.size')}</dt>
          <dd>{version.isDeleteMarker ? t('versions.deleteMarker') : formatBytes(version.size)}</dd>
          <dt>{t('column.modified')}</dt>
          <dd>{formatDate(version.lastModified, language)}</dd>
        </dl>
      ) : null}
      {notice ? (
        <p role="status" className="muted">
          {notice}
        </p>
      ) : null}
      {error ? <ErrorMessage error={error} /> : null}
    </div>
  );
}
