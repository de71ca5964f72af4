/**
 * A task paused because an account's keys were refused (expired STS / session credentials): it says
 * so, and offers the account's form, whose save resumes the task (main/tasks/credentials-pause.ts).
 */
import { KeyRound } from 'lucide-react';
import type { CredentialsExpired } from '../../../preload/shared/contract';
import { useT } from '../../i18n';
import { useAccounts } from '../../stores/accounts';
import { useUi } from '../../stores/ui';

export function CredentialsExpiredBadge({ expired }: { expired: CredentialsExpired }) {
  const t = useT();
  const profile = useAccounts((s) => s.profiles.find((p) => p.id === expired.profileId));
  const account = profile?.name ?? expired.profileId;
  return (
    <span className="badge credentials-expired" title={`${expired.code}: ${expired.message}`}>
      {t('transfer.credentialsExpired')}
      {profile ? (
        <button
          type="button"
          aria-label={t('transfer.editAccountNamed', { account })}
          onClick={() => useUi.getState().openDialog({ kind: 'account', profile })}
        >
          <KeyRound size={12} aria-hidden="true" /> {t('transfer.editAccount')}
        </button>
      ) : null}
    </span>
  );
}
