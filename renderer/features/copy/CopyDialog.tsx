/**
 * The short confirmation every copy goes through: copy or move, conflict policy, metadata COPY or
 * REPLACE (with an editor for the standard headers and the service's user metadata) and storage
 * class. It always opens on the safe choices — keep metadata, the conflict policy from Settings —
 * never on the last dialog's: a REPLACE carried into the next drag stripped metadata silently.
 * A move names what it will delete.
 */
import { useState } from 'react';
import type { ConflictPolicy, CopyOptions, Metadata } from '../../../preload/shared/contract';
import { call, errorInfo } from '../../api';
import { useT, type MessageKey } from '../../i18n';
import { useAccounts, useIsReadOnly } from '../../stores/accounts';
import { useSettings } from '../../stores/settings';
import { useUi, type CopyRequest } from '../../stores/ui';
import { ErrorMessage } from '../ErrorMessage';
import { Modal } from '../Modal';
import { readOnlyReason } from './intents';
import { NameList } from './NameList';
import { userMetaPrefix } from './user-meta';
import { useOverwriteCheck, type OverwriteCheck } from './useOverwriteCheck';

const HEADER_FIELDS = [
  ['contentType', 'Content-Type'],
  ['cacheControl', 'Cache-Control'],
  ['contentDisposition', 'Content-Disposition'],
  ['contentEncoding', 'Content-Encoding'],
  ['contentLanguage', 'Content-Language'],
  ['expires', 'Expires'],
] as const;
type HeaderField = (typeof HEADER_FIELDS)[number][0];

const STORAGE_CLASSES: Record<string, string[]> = {
  oss: ['Standard', 'IA', 'Archive', 'ColdArchive', 'DeepColdArchive'],
  s3: [
    'STANDARD',
    'STANDARD_IA',
    'ONEZONE_IA',
    'INTELLIGENT_TIERING',
    'GLACIER_IR',
    'GLACIER',
    'DEEP_ARCHIVE',
  ],
  local: ['STANDARD', 'STANDARD_IA', 'GLACIER'],
};

export const CONFLICTS: ConflictPolicy[] = ['overwrite', 'skip', 'skip-if-same', 'keep-both'];

type MetaScope = 'merge' | 'exact';

export function locationLabel(profileName: string, bucket: string, prefix: string): string {
  return `${profileName}: ${bucket}/${prefix}`;
}

/** The REPLACE values as the contract wants them: empty fields and nameless pairs left out. */
function metadataFromForm(
  headers: Partial<Record<HeaderField, string>>,
  userMeta: [string, string][],
): Metadata {
  return {
    ...Object.fromEntries(
      HEADER_FIELDS.map(([f]) => [f, headers[f]?.trim() || undefined]).filter(([, v]) => v !== undefined),
    ),
    userMeta: Object.fromEntries(userMeta.filter(([k]) => k.trim() !== '').map(([k, v]) => [k.trim(), v])),
  };
}

function changedFieldCount(m: Metadata): number {
  return Object.keys(m).filter((k) => k !== 'userMeta').length + Object.keys(m.userMeta).length;
}

export function CopyDialog({ request }: { request: CopyRequest }) {
  const t = useT();
  const close = useUi((s) => s.closeDialog);
  const defaultConflict = useSettings((s) => s.settings?.defaultConflict ?? 'overwrite');
  const asksForSimpleCopies = useSettings((s) => s.settings?.confirmSimpleCopies ?? true);
  const profiles = useAccounts((s) => s.profiles);
  const destProfile = profiles.find((p) => p.id === request.destination.profileId);
  const sourceProfile = profiles.find((p) => p.id === request.sources[0]?.profileId);
  const classes = STORAGE_CLASSES[destProfile?.provider ?? 'local'] ?? [];
  const metaPrefix = userMetaPrefix(destProfile?.provider);

  const sourceReadOnly = useIsReadOnly(request.sources[0]?.profileId);
  const moveReason =
    sourceReadOnly && request.sources[0]
      ? readOnlyReason(request.sources[0].profileId, 'moveFrom')
      : undefined;
  const [move, setMove] = useState(!sourceReadOnly && (request.move ?? false));
  const [conflict, setConflict] = useState<ConflictPolicy>(defaultConflict);
  const [directive, setDirective] = useState<'COPY' | 'REPLACE'>('COPY');
  const [headers, setHeaders] = useState<Partial<Record<HeaderField, string>>>({});
  const [userMeta, setUserMeta] = useState<[string, string][]>([]);
  const [storageClass, setStorageClass] = useState('');
  const [dontAsk, setDontAsk] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ReturnType<typeof errorInfo> | null>(null);
  const overwrite = useOverwriteCheck(request.sources, request.destination, true);

  const count = request.sources.length;
  // One object: its own values fill the editor, so what is shown is exactly what it gets. Several
  // (or a folder): the editor cannot show everyone's values, so by default only what is typed changes.
  const single = count === 1 && !request.sources[0]!.isFolder ? request.sources[0]! : undefined;
  const [scope, setScope] = useState<MetaScope>(single ? 'exact' : 'merge');
  const [ownValues, setOwnValues] = useState<'idle' | 'loading' | 'loaded' | 'failed'>('idle');
  const chooseReplace = () => {
    setDirective('REPLACE');
    if (!single || ownValues !== 'idle') return;
    setOwnValues('loading');
    call('storage.headObject', { profileId: single.profileId, bucket: single.bucket, key: single.key }).then(
      (head) => {
        setHeaders(Object.fromEntries(HEADER_FIELDS.map(([f]) => [f, head.metadata[f] ?? ''])));
        setUserMeta(Object.entries(head.metadata.userMeta));
        setOwnValues('loaded');
      },
      () => {
        // Without its values the editor would strip what it cannot show: change only what is typed.
        setScope('merge');
        setOwnValues('failed');
      },
    );
  };

  const sourceFolder = request.sources[0]
    ? request.sources[0].key.slice(0, request.sources[0].key.replace(/\/$/, '').lastIndexOf('/') + 1)
    : '';
  const sourceLabel = locationLabel(
    sourceProfile?.name ?? '',
    request.sources[0]?.bucket ?? '',
    sourceFolder,
  );
  const destLabel = locationLabel(
    destProfile?.name ?? request.destination.profileId,
    request.destination.bucket,
    request.destination.prefix,
  );

  const metaNameInvalid = userMeta.some(([k]) => k !== '' && !/^[a-z0-9-]+$/.test(k));
  const formMetadata = metadataFromForm(headers, userMeta);
  const replacing = conflict === 'overwrite' && overwrite.status === 'done' ? overwrite.objects.length : 0;
  const verb = move ? 'move' : 'copy';
  const confirmLabel = replacing
    ? t(`copy.confirmReplacing.${verb}`, { count: replacing })
    : move
      ? t('copy.confirmMove')
      : t('copy.confirmCopy');
  const metaSummary =
    directive === 'COPY'
      ? t('copy.summaryKeep')
      : scope === 'merge'
        ? t('copy.summaryMerge', { count: changedFieldCount(formMetadata) })
        : t('copy.summaryExact', { count });

  const submit = async () => {
    const options: CopyOptions = {
      metadataDirective: directive,
      metadata: directive === 'REPLACE' ? formMetadata : undefined,
      metadataMerge: directive === 'REPLACE' && scope === 'merge' ? true : undefined,
      storageClass: storageClass || undefined,
      conflict,
      move,
    };
    setBusy(true);
    try {
      await call('tasks.copy', { sources: request.sources, destination: request.destination, options });
      if (dontAsk) void useSettings.getState().save({ confirmSimpleCopies: false });
      close();
    } catch (err) {
      setError(errorInfo(err));
      setBusy(false);
    }
  };

  return (
    <Modal
      title={move ? t('copy.titleMove', { count }) : t('copy.titleCopy', { count })}
      onClose={close}
      className="copy-dialog"
    >
      <NameList names={request.names} />
      <p>
        {t('copy.to')} <strong>{destLabel}</strong>
      </p>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <fieldset>
          <legend>{t('copy.operation')}</legend>
          <label className="check">
            <input type="radio" name="op" checked={!move} onChange={() => setMove(false)} />
            {t('copy.opCopy')}
          </label>
          <label className="check" title={moveReason}>
            <input
              type="radio"
              name="op"
              checked={move}
              disabled={sourceReadOnly}
              aria-describedby={moveReason ? 'copy-move-reason' : undefined}
              onChange={() => setMove(true)}
            />
            {t('copy.opMove')}
          </label>
          {moveReason ? (
            <p id="copy-move-reason" className="muted">
              {moveReason}
            </p>
          ) : null}
        </fieldset>
        <label>
          {t('copy.conflict')}
          <select value={conflict} onChange={(e) => setConflict(e.target.value as ConflictPolicy)}>
            {CONFLICTS.map((c) => (
              <option key={c} value={c}>
                {t(`conflict.${c}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
        <OverwriteNote check={overwrite} conflict={conflict} />
        <label>
          {t('copy.storageClass')}
          <select value={storageClass} onChange={(e) => setStorageClass(e.target.value)}>
            <option value="">{t('copy.storageClassDefault')}</option>
            {classes.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </label>
        <fieldset>
          <legend>{t('copy.metadata')}</legend>
          <label className="check">
            <input
              type="radio"
              name="directive"
              checked={directive === 'COPY'}
              onChange={() => setDirective('COPY')}
            />
            {t('copy.metaCopy')}
          </label>
          <label className="check">
            <input type="radio" name="directive" checked={directive === 'REPLACE'} onChange={chooseReplace} />
            {t('copy.metaReplace')}
          </label>
          {directive === 'REPLACE' ? (
            <div className="meta-editor">
              {single ? null : (
                <div role="radiogroup" aria-label={t('copy.metaScope')}>
                  <label className="check">
                    <input
                      type="radio"
                      name="scope"
                      checked={scope === 'merge'}
                      onChange={() => setScope('merge')}
                    />
                    {t('copy.scopeMerge')}
                  </label>
                  <label className="check">
                    <input
                      type="radio"
                      name="scope"
                      checked={scope === 'exact'}
                      onChange={() => setScope('exact')}
                    />
                    {t('copy.scopeExact', { count })}
                  </label>
                </div>
              )}
              {ownValues === 'loading' ? (
                <p role="status" className="muted">
                  {t('copy.metaLoading')}
                </p>
              ) : null}
              {ownValues === 'failed' ? (
                <p role="note" className="warning">
                  {t('copy.metaLoadFailed')}
                </p>
              ) : null}
              {HEADER_FIELDS.map(([field, header]) => (
                <label key={field}>
                  {header}
                  <input
                    value={headers[field] ?? ''}
                    onChange={(e) => setHeaders({ ...headers, [field]: e.target.value })}
                  />
                </label>
              ))}
              <p className="meta-title">{t('copy.userMeta')}</p>
              {userMeta.map(([k, v], i) => (
                <div className="meta-row" key={i}>
                  <span aria-hidden="true">{metaPrefix}</span>
                  <input
                    aria-label={t('copy.metaName', { n: i + 1 })}
                    value={k}
                    onChange={(e) =>
                      setUserMeta(
                        userMeta.map((row, j) => (j === i ? [e.target.value.toLowerCase(), row[1]] : row)),
                      )
                    }
                  />
                  <input
                    aria-label={t('copy.metaValue', { n: i + 1 })}
                    value={v}
                    onChange={(e) =>
                      setUserMeta(userMeta.map((row, j) => (j === i ? [row[0], e.target.value] : row)))
                    }
                  />
                  <button
                    type="button"
                    className="icon-button"
                    aria-label={t('copy.metaRemove', { n: i + 1 })}
                    onClick={() => setUserMeta(userMeta.filter((_, j) => j !== i))}
                  >
                    ×
                  </button>
                </div>
              ))}
              <button type="button" onClick={() => setUserMeta([...userMeta, ['', '']])}>
                {t('copy.metaAdd')}
              </button>
              {metaNameInvalid ? <p className="warning">{t('copy.metaNameRule')}</p> : null}
            </div>
          ) : null}
        </fieldset>
        {move ? (
          <div className="warning" role="note">
            <p>{t('copy.moveWarning', { count, from: sourceLabel })}</p>
            <NameList names={request.names} />
          </div>
        ) : null}
        <p id="copy-summary" className="muted">
          {metaSummary}
        </p>
        {asksForSimpleCopies && !move ? (
          <label className="check">
            <input type="checkbox" checked={dontAsk} onChange={(e) => setDontAsk(e.target.checked)} />
            {t('copy.dontAsk')}
          </label>
        ) : null}
        {error ? <ErrorMessage error={error} /> : null}
        <div className="buttons">
          <button type="button" onClick={close}>
            {t('action.cancel')}
          </button>
          <button
            type="submit"
            className={`primary${move ? ' danger' : ''}`}
            disabled={busy || metaNameInvalid || ownValues === 'loading'}
            aria-describedby="copy-summary"
            data-autofocus
          >
            {confirmLabel}
          </button>
        </div>
      </form>
    </Modal>
  );
}

/** Says what the copy meets at the destination and what the chosen policy does with it. */
export function OverwriteNote({ check, conflict }: { check: OverwriteCheck; conflict: ConflictPolicy }) {
  const t = useT();
  if (check.status === 'idle') return null;
  if (check.status === 'checking')
    return (
      <p role="status" className="muted">
        {t('copy.checking')}
      </p>
    );
  if (check.status === 'error')
    return (
      <p role="note" className="warning">
        {t('copy.checkFailed', { message: check.error.message })}
      </p>
    );
  if (check.objects.length === 0 && check.folders.length === 0) {
    return (
      <p role="status" className="muted">
        {check.checked < check.total
          ? t('copy.replacesChecked', { checked: check.checked, total: check.total })
          : t('copy.replacesNothing')}
      </p>
    );
  }
  return (
    <div
      role="note"
      className={conflict === 'overwrite' ? 'warning' : 'muted'}
      aria-label={t('copy.replacesLabel')}
    >
      {check.objects.length ? (
        <>
          <p>{t(`copy.existing.${conflict}`, { count: check.objects.length })}</p>
          <NameList names={check.objects} />
        </>
      ) : null}
      {check.checked < check.total ? (
        <p>{t('copy.replacesChecked', { checked: check.checked, total: check.total })}</p>
      ) : null}
      {check.folders.map((folder) => (
        <p key={folder}>
          {t(conflict === 'overwrite' ? 'copy.folderExists' : 'copy.folderExistsOther', { folder })}
        </p>
      ))}
    </div>
  );
}
