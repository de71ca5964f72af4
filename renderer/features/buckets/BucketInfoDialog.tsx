/** Bucket info: region, creation date and versioning state, as the service reports them. */
import { useEffect, useState } from 'react';
import type { BucketDetails, ContractError } from '../../../preload/shared/contract';
import { call, errorInfo } from '../../api';
import { formatDate, useT } from '../../i18n';
import { useLanguage } from '../../stores/settings';
import { useUi } from '../../stores/ui';
import { ErrorMessage } from '../ErrorMessage';
import { Modal } from '../Modal';

export function BucketInfoDialog({ profileId, bucket }: { profileId: string; bucket: string }) {
  const t = useT();
  const language = useLanguage();
  const close = useUi((s) => s.closeDialog);
  const [info, setInfo] = useState<BucketDetails | null>(null);
  const [error, setError] = useState<ContractError | null>(null);
  useEffect(() => {
    let current = true;
    call('buckets.info', { profileId, bucket }).then(
      (i) => current && setInfo(i),
      (err: unknown) => current && setError(errorInfo(err)),
    );
    return () => {
      current = false;
    };
  }, [profileId, bucket]);
  return (
    <Modal title={t('bucket.infoTitle', { name: bucket })} onClose={close}>
      {info ? (
        <dl className="field bucket-info">
          <dt>{t('bucket.region')}</dt>
          <dd>{info.region ?? '—'}</dd>
          <dt>{t('bucket.created')}</dt>
          <dd>{info.creationDate ? formatDate(info.creationDate, language) : '—'}</dd>
          <dt>{t('bucket.versioning')}</dt>
          <dd>{t(`bucket.versioning.${info.versioning}`)}</dd>
          {info.storageClass ? (
            <>
              <dt>{t('bucket.storageClass')}</dt>
              <dd>{info.storageClass}</dd>
            </>
          ) : null}
        </dl>
      ) : error ? (
        <ErrorMessage error={error} />
      ) : (
        <p role="status">{t('list.loading')}</p>
      )}
      <div className="buttons">
        <button type="button" className="primary" onClick={close} data-autofocus>
          {t('action.close')}
        </button>
      </div>
    </Modal>
  );
}
