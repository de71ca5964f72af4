/**
 * Delete bucket…: an empty bucket after a plain confirmation; one holding anything (objects,
 * versions, delete markers, unfinished uploads) only once its name is typed — then a delete task
 * empties it and deletes it, with progress in the transfers panel.
 */
import { useEffect, useState } from 'react';
import { call, errorInfo } from '../../api';
import { useT } from '../../i18n';
import { useAccounts } from '../../stores/accounts';
import { useBrowser, type Side } from '../../stores/browser';
import { useUi } from '../../stores/ui';
import { ErrorMessage } from '../ErrorMessage';
import { Modal } from '../Modal';

type Contents = 'checking' | 'empty' | 'full';

/** Whether the bucket holds anything a person would lose: an object, or a version or marker. */
async function contentsOf(profileId: string, bucket: string): Promise<Contents> {
  const page = await call('storage.listObjects', { profileId, bucket, prefix: '', maxKeys: 1 });
  if (page.objects.length) return 'full';
  const info = await call('buckets.info', { profileId, bucket });
  if (info.versioning === 'Off') return 'empty';
  const versions = await call('storage.listVersions', { profileId, bucket, prefix: '', maxKeys: 1 });
  return versions.versions.length ? 'full' : 'empty';
}

/** Panes looking at a deleted bucket go back to the account's bucket list. */
async function leaveBucket(profileId: string, bucket: string): Promise<void> {
  const browser = useBrowser.getState();
  for (const side of ['left', 'right'] as Side[]) {
    const place = browser.panes[side].place;
    if (place.profileId === profileId && place.bucket === bucket)
      await browser.navigate(side, { profileId, prefix: '' });
  }
}

export function DeleteBucketDialog({ profileId, bucket }: { profileId: string; bucket: string }) {
  const t = useT();
  const close = useUi((s) => s.closeDialog);
  const [contents, setContents] = useState<Contents>('checking');
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ReturnType<typeof errorInfo> | null>(null);
  useEffect(() => {
    let current = true;
    contentsOf(profileId, bucket).then(
      (c) => current && setContents(c),
      // Not knowing is treated as full: the name must be typed.
      () => current && setContents('full'),
    );
    return () => {
      current = false;
    };
  }, [profileId, bucket]);
  const full = contents === 'full';
  const confirmed = contents === 'empty' || (full && typed === bucket);
  const remove = async () => {
    if (!confirmed) return;
    setBusy(true);
    setError(null);
    try {
      const result = await call('buckets.delete', { profileId, bucket, force: full });
      close();
      if (result.deleted) {
        await leaveBucket(profileId, bucket);
        await useAccounts
          .getState()
          .loadBuckets(profileId)
          .catch(() => undefined);
      }
    } catch (err) {
      const info = errorInfo(err);
      // Uploads left unfinished do not list as objects: the server says so, and the name is asked for.
      if (info.code === 'BucketNotEmpty') setContents('full');
      setError(info);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal title={t('bucket.deleteTitle', { name: bucket })} onClose={close}>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          void remove();
        }}
      >
        {contents === 'checking' ? <p role="status">{t('bucket.checking')}</p> : null}
        {contents === 'empty' ? <p>{t('bucket.deleteEmpty', { name: bucket })}</p> : null}
        {full ? (
          <>
            <p className="warning">{t('bucket.deleteFull', { name: bucket })}</p>
            <label>
              {t('bucket.typeName', { name: bucket })}
              <input
                value={typed}
                data-autofocus
                spellCheck={false}
                autoComplete="off"
                onChange={(e) => setTyped(e.target.value)}
              />
            </label>
          </>
        ) : null}
        {error ? <ErrorMessage error={error} /> : null}
        <div className="buttons">
          <button type="button" onClick={close} data-autofocus={full ? undefined : true}>
            {t('action.cancel')}
          </button>
          <button type="submit" className="danger primary" disabled={busy || !confirmed}>
            {t('bucket.delete')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
