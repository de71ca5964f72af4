/**
 * New bucket… for one account: a name checked by the service's own rules as it is typed (the main
 * process checks again), the region (the account's unless changed), private always, and the
 * default storage class where the service has one (OSS).
 */
import { useState } from 'react';
import { bucketNameProblem } from '../../../preload/shared/bucket-names';
import { call, errorInfo } from '../../api';
import { useT } from '../../i18n';
import { useAccounts } from '../../stores/accounts';
import { useBrowser } from '../../stores/browser';
import { useUi } from '../../stores/ui';
import { ErrorMessage } from '../ErrorMessage';
import { Modal } from '../Modal';

const OSS_CLASSES = ['Standard', 'IA', 'Archive', 'ColdArchive'];

export function NewBucketDialog({ profileId }: { profileId: string }) {
  const t = useT();
  const close = useUi((s) => s.closeDialog);
  const profile = useAccounts((s) => s.profiles.find((p) => p.id === profileId));
  const provider = profile?.provider ?? 's3';
  const [name, setName] = useState('');
  const [region, setRegion] = useState(profile?.region ?? '');
  const [storageClass, setStorageClass] = useState('Standard');
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ReturnType<typeof errorInfo> | null>(null);
  const problem = name ? bucketNameProblem(name, provider) : t('bucket.nameNeeded');
  const create = async () => {
    setTouched(true);
    if (problem) return;
    setBusy(true);
    setError(null);
    try {
      await call('buckets.create', {
        profileId,
        name,
        ...(region && provider !== 'local' ? { region } : {}),
        ...(provider === 'oss' ? { storageClass } : {}),
      });
      close();
      await useAccounts
        .getState()
        .loadBuckets(profileId)
        .catch(() => undefined);
      const browser = useBrowser.getState();
      await browser.navigate(browser.active, { profileId, bucket: name, prefix: '' });
    } catch (err) {
      setError(errorInfo(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal title={t('bucket.newTitle', { name: profile?.name ?? profileId })} onClose={close}>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          void create();
        }}
      >
        <label>
          {t('bucket.name')}
          <input
            value={name}
            data-autofocus
            spellCheck={false}
            autoCapitalize="off"
            aria-invalid={touched && problem ? true : undefined}
            aria-describedby="new-bucket-problem"
            onChange={(e) => {
              setName(e.target.value);
              setTouched(true);
            }}
          />
        </label>
        <p id="new-bucket-problem" className={touched && problem ? 'field-error' : 'muted'}>
          {touched && problem ? problem : t(provider === 'oss' ? 'bucket.rulesOss' : 'bucket.rulesS3')}
        </p>
        {provider !== 'local' ? (
          <label>
            {t('bucket.region')}
            <input value={region} spellCheck={false} onChange={(e) => setRegion(e.target.value)} />
          </label>
        ) : null}
        {provider === 'oss' ? (
          <label>
            {t('bucket.storageClass')}
            <select value={storageClass} onChange={(e) => setStorageClass(e.target.value)}>
              {OSS_CLASSES.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <p className="muted">{t('bucket.private')}</p>
        {error ? <ErrorMessage error={error} /> : null}
        <div className="buttons">
          <button type="button" onClick={close}>
            {t('action.cancel')}
          </button>
          <button type="submit" className="primary" disabled={busy}>
            {t('bucket.create')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
