/** Details of the one object selected in the active pane, and a presigned link where the store has one. */
import { useEffect, useState } from 'react';
import type { ContractError, LinkInfo, ObjectDetails } from '../../../preload/shared/contract';
import { call, errorInfo } from '../../api';
import { formatBytes, formatDate, useT } from '../../i18n';
import { userMetaPrefix } from '../copy/user-meta';
import { useAccounts } from '../../stores/accounts';
import { useBrowser } from '../../stores/browser';
import { useLanguage } from '../../stores/settings';
import { ErrorMessage } from '../ErrorMessage';

interface Target {
  profileId: string;
  bucket: string;
  key: string;
}

/** A primitive, so the panel re-renders only when the target changes, not on every selection tick. */
function useTargetId(): string | null {
  return useBrowser((s) => {
    const pane = s.panes[s.active];
    if (!pane.place.profileId || !pane.place.bucket || pane.selected.size !== 1) return null;
    const [key] = pane.selected;
    if (!key || key.endsWith('/')) return null;
    return JSON.stringify([pane.place.profileId, pane.place.bucket, key]);
  });
}

/** The selected row's link, when it is a symbolic link of this computer (those have no HEAD). */
function useSelectedLink(): { link: LinkInfo; lastModified?: string; size?: number } | null {
  const entry = useBrowser((s) => {
    const pane = s.panes[s.active];
    if (pane.selected.size !== 1) return undefined;
    const [key] = pane.selected;
    return pane.objects.find((e) => e.id === key && e.link);
  });
  return entry?.link ? { link: entry.link, lastModified: entry.lastModified, size: entry.size } : null;
}

function LinkDetails({
  name,
  link,
}: {
  name: string;
  link: NonNullable<ReturnType<typeof useSelectedLink>>;
}) {
  const t = useT();
  const language = useLanguage();
  const rows: [string, string | undefined][] = [
    [t('details.linkTarget'), link.link.target],
    [t('details.linkTargetKind'), t(`details.linkKind.${link.link.targetKind}`)],
    [t('details.size'), link.link.targetKind === 'file' ? formatBytes(link.size ?? 0) : undefined],
    [t('details.lastModified'), formatDate(link.lastModified, language)],
  ];
  return (
    <>
      <p className="details-key" title={name}>
        {name}
      </p>
      <p className="muted">{t('details.linkNote')}</p>
      <dl>
        {rows
          .filter(([, v]) => v !== undefined && v !== '')
          .map(([label, value]) => (
            <div key={label} className="field">
              <dt>{label}</dt>
              <dd>{value}</dd>
            </div>
          ))}
      </dl>
    </>
  );
}

const EXPIRIES = [900, 3600, 86400, 604800];

function PresignLink({ target }: { target: Target }) {
  const t = useT();
  const [expires, setExpires] = useState(3600);
  const [url, setUrl] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<ContractError | null>(null);
  const copy = async () => {
    setError(null);
    try {
      const r = await call('storage.presign', { ...target, expiresSeconds: expires });
      if (!r.url) return;
      setUrl(r.url);
      try {
        await navigator.clipboard.writeText(r.url);
        setStatus(t('details.linkCopied'));
      } catch {
        setStatus(t('details.linkSelect'));
      }
    } catch (err) {
      setError(errorInfo(err));
    }
  };
  return (
    <div className="presign">
      <label>
        {t('details.linkExpiry')}
        <select value={expires} onChange={(e) => setExpires(Number(e.target.value))}>
          {EXPIRIES.map((s) => (
            <option key={s} value={s}>
              {t(`expiry.${s}` as 'expiry.3600')}
            </option>
          ))}
        </select>
      </label>
      <button type="button" onClick={() => void copy()}>
        {t('details.copyLink')}
      </button>
      {url ? (
        <input readOnly aria-label={t('details.link')} value={url} onFocus={(e) => e.target.select()} />
      ) : null}
      {status ? <p role="status">{status}</p> : null}
      {error ? <ErrorMessage error={error} /> : null}
    </div>
  );
}

export function DetailsPanel() {
  const t = useT();
  const language = useLanguage();
  const targetId = useTargetId();
  const [state, setState] = useState<{ id: string; details?: ObjectDetails; error?: ContractError } | null>(
    null,
  );
  const target: Target | null = targetId
    ? (([profileId, bucket, key]) => ({ profileId, bucket, key }))(
        JSON.parse(targetId) as [string, string, string],
      )
    : null;
  const provider = useAccounts((s) => s.profiles.find((p) => p.id === target?.profileId)?.provider);
  const selectedLink = useSelectedLink();
  const isLink = selectedLink !== null;

  useEffect(() => {
    if (!targetId || isLink) return;
    let live = true;
    const [profileId, bucket, key] = JSON.parse(targetId) as [string, string, string];
    call('storage.headObject', { profileId, bucket, key }).then(
      (details) => live && setState({ id: targetId, details }),
      (err: unknown) => live && setState({ id: targetId, error: errorInfo(err) }),
    );
    return () => {
      live = false;
    };
  }, [targetId, isLink]);

  const current = state && state.id === targetId ? state : null;
  const d = current?.details;
  const m = d?.metadata;
  const rows: [string, string | undefined][] = d
    ? [
        [
          t('details.size'),
          // The exact count only where the short form rounds: never "34 B (34 B)".
          d.size < 1024
            ? formatBytes(d.size)
            : `${formatBytes(d.size)} (${d.size.toLocaleString(language)} B)`,
        ],
        [t('details.etag'), d.etag],
        [t('details.lastModified'), formatDate(d.lastModified, language)],
        [t('details.storageClass'), d.storageClass],
        [t('details.contentType'), m?.contentType],
        ['Cache-Control', m?.cacheControl],
        ['Content-Disposition', m?.contentDisposition],
        ['Content-Encoding', m?.contentEncoding],
        ['Content-Language', m?.contentLanguage],
        ['Expires', m?.expires],
        [t('details.crc64'), d.crc64],
        [t('details.versionId'), d.versionId],
      ]
    : [];

  return (
    <aside className="details" aria-label={t('details.label')}>
      <h2>{t('details.label')}</h2>
      {!target ? <p className="muted">{t('details.none')}</p> : null}
      {target && selectedLink ? <LinkDetails name={target.key} link={selectedLink} /> : null}
      {target && !selectedLink && !current ? <p role="status">{t('list.loading')}</p> : null}
      {current?.error && !selectedLink ? <ErrorMessage error={current.error} /> : null}
      {d && target && !selectedLink ? (
        <>
          <p className="details-key" title={d.key}>
            {d.key}
          </p>
          <dl>
            {rows
              .filter(([, v]) => v !== undefined && v !== '')
              .map(([label, value]) => (
                <div key={label} className="field">
                  <dt>{label}</dt>
                  <dd>{value}</dd>
                </div>
              ))}
          </dl>
          <h3>{t('details.userMeta')}</h3>
          {Object.keys(m?.userMeta ?? {}).length === 0 ? (
            <p className="muted">{t('details.noUserMeta')}</p>
          ) : (
            <dl>
              {Object.entries(m?.userMeta ?? {}).map(([k, v]) => (
                <div key={k} className="field">
                  <dt>
                    {userMetaPrefix(provider)}
                    {k}
                  </dt>
                  <dd>{v}</dd>
                </div>
              ))}
            </dl>
          )}
          {provider && provider !== 'local' && provider !== 'computer' ? (
            <PresignLink key={targetId} target={target} />
          ) : null}
        </>
      ) : null}
    </aside>
  );
}
