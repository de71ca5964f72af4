/**
 * Leftover multipart uploads in one bucket: started and never completed or aborted, so their parts
 * are stored (and billed) without ever becoming an object. Lists them (key, when it started, whether
 * Ferry started it), lets the user pick some or all, and aborts them after a confirmation that names
 * what is lost. Uploads a live or resumable task still needs are not listed (the main process keeps
 * them out), and a read-only account cannot abort at all.
 */
import { useEffect, useId, useState } from 'react';
import type { ContractError, OrphanUpload } from '../../../preload/shared/contract';
import { LIMITS } from '../../../preload/shared/contract';
import { call, errorInfo } from '../../api';
import { formatDate, useT } from '../../i18n';
import { useAccounts, useIsReadOnly } from '../../stores/accounts';
import { useLanguage } from '../../stores/settings';
import { useUi } from '../../stores/ui';
import { readOnlyReason } from '../copy/intents';
import { NameList } from '../copy/NameList';
import { ErrorMessage } from '../ErrorMessage';
import { Modal } from '../Modal';

type Listing =
  | { status: 'loading' }
  | { status: 'ready'; uploads: OrphanUpload[] }
  | { status: 'error'; error: ContractError };

export function OrphansDialog({ profileId, bucket }: { profileId: string; bucket: string }) {
  const t = useT();
  const language = useLanguage();
  const close = useUi((s) => s.closeDialog);
  const profileName = useAccounts((s) => s.profiles.find((p) => p.id === profileId)?.name ?? profileId);
  const readOnly = useIsReadOnly(profileId);
  const [listing, setListing] = useState<Listing>({ status: 'loading' });
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ContractError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const reasonId = useId();

  /** Bumped to list again (after an abort, or the refresh button). */
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    let current = true;
    call('orphans.list', { profileId, bucket }).then(
      (uploads) => {
        if (!current) return;
        setListing({ status: 'ready', uploads });
        // Keep only choices that still exist.
        setSelected((s) => new Set(uploads.map((u) => u.uploadId).filter((id) => s.has(id))));
      },
      (err: unknown) => {
        if (current) setListing({ status: 'error', error: errorInfo(err) });
      },
    );
    return () => {
      current = false;
    };
  }, [profileId, bucket, generation]);
  const load = () => {
    setListing({ status: 'loading' });
    setGeneration((g) => g + 1);
  };

  const uploads = listing.status === 'ready' ? listing.uploads : [];
  const chosen = uploads.filter((u) => selected.has(u.uploadId));
  const allChosen = uploads.length > 0 && chosen.length === uploads.length;
  const reason = readOnly ? readOnlyReason(profileId, 'abortUploads') : undefined;

  const toggle = (id: string) =>
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const abort = async () => {
    setBusy(true);
    setError(null);
    try {
      let aborted = 0;
      for (let i = 0; i < chosen.length; i += LIMITS.batch) {
        const r = await call('orphans.abort', {
          profileId,
          bucket,
          uploads: chosen.slice(i, i + LIMITS.batch).map((u) => ({ key: u.key, uploadId: u.uploadId })),
        });
        aborted += r.aborted;
      }
      setDone(t('orphans.aborted', { count: aborted }));
      setConfirming(false);
      setSelected(new Set());
      load();
    } catch (err) {
      setError(errorInfo(err));
    } finally {
      setBusy(false);
    }
  };

  if (confirming) {
    return (
      <Modal title={t('orphans.confirmTitle', { count: chosen.length })} onClose={() => setConfirming(false)}>
        <p>{t('orphans.confirmText', { count: chosen.length, where: `${profileName}: ${bucket}` })}</p>
        <NameList names={chosen.map((u) => u.key)} />
        <p className="warning">{t('orphans.confirmParts')}</p>
        {error ? <ErrorMessage error={error} /> : null}
        <div className="buttons">
          <button type="button" onClick={() => setConfirming(false)} data-autofocus>
            {t('action.cancel')}
          </button>
          <button type="button" className="danger primary" disabled={busy} onClick={() => void abort()}>
            {t('orphans.confirm', { count: chosen.length })}
          </button>
        </div>
      </Modal>
    );
  }

  return (
    <Modal
      title={t('orphans.title', { where: `${profileName}: ${bucket}` })}
      onClose={close}
      className="orphans-dialog"
    >
      <p>{t('orphans.explain')}</p>
      {done ? (
        <p role="status" className="muted">
          {done}
        </p>
      ) : null}
      {listing.status === 'loading' ? <p role="status">{t('list.loading')}</p> : null}
      {listing.status === 'error' ? <ErrorMessage error={listing.error} onRetry={load} /> : null}
      {listing.status === 'ready' && uploads.length === 0 ? <p role="status">{t('orphans.none')}</p> : null}
      {uploads.length > 0 ? (
        <table className="orphans" aria-label={t('orphans.tableLabel')}>
          <thead>
            <tr>
              <th scope="col">
                <input
                  type="checkbox"
                  aria-label={t('orphans.selectAll')}
                  checked={allChosen}
                  ref={(el) => {
                    if (el) el.indeterminate = chosen.length > 0 && !allChosen;
                  }}
                  onChange={() =>
                    setSelected(allChosen ? new Set() : new Set(uploads.map((u) => u.uploadId)))
                  }
                />
              </th>
              <th scope="col">{t('orphans.key')}</th>
              <th scope="col">{t('orphans.started')}</th>
              <th scope="col">{t('orphans.ours')}</th>
            </tr>
          </thead>
          <tbody>
            {uploads.map((u) => (
              <tr key={u.uploadId}>
                <td>
                  <input
                    type="checkbox"
                    aria-label={t('orphans.selectOne', { key: u.key })}
                    checked={selected.has(u.uploadId)}
                    onChange={() => toggle(u.uploadId)}
                  />
                </td>
                <td className="key">{u.key}</td>
                <td>
                  <time dateTime={u.initiated}>{formatDate(u.initiated, language)}</time>
                </td>
                <td>{u.ours ? t('orphans.oursYes') : t('orphans.oursNo')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {reason ? (
        <p id={reasonId} className="muted">
          {reason}
        </p>
      ) : null}
      <div className="buttons">
        <button type="button" onClick={close} data-autofocus>
          {t('action.close')}
        </button>
        <button type="button" onClick={load} disabled={listing.status === 'loading'}>
          {t('nav.refresh')}
        </button>
        <button
          type="button"
          className="danger primary"
          disabled={chosen.length === 0 || readOnly}
          aria-describedby={reason ? reasonId : undefined}
          title={reason}
          onClick={() => {
            setError(null);
            setConfirming(true);
          }}
        >
          {t('orphans.abort', { count: chosen.length })}
        </button>
      </div>
    </Modal>
  );
}
