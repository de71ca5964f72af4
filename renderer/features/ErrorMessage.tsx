/** How every failure looks: the service's message, its code, and the request id to quote to support. */
import type { ContractError } from '../../preload/shared/contract';
import { useT } from '../i18n';

export function ErrorMessage({
  error,
  onRetry,
}: {
  error: Pick<ContractError, 'code' | 'message' | 'requestId'>;
  onRetry?: () => void;
}) {
  const t = useT();
  return (
    <div role="alert" className="error-message">
      <p className="error-text">{error.message}</p>
      <p className="error-meta">
        {error.code ? <span>{t('error.code', { code: error.code })}</span> : null}
        {error.requestId ? <span>{t('error.requestId', { id: error.requestId })}</span> : null}
      </p>
      {onRetry ? (
        <button type="button" onClick={onRetry}>
          {t('action.retry')}
        </button>
      ) : null}
    </div>
  );
}
