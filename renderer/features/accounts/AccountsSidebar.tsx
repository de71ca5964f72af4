/** The accounts sidebar: every profile with its buckets (drop targets), and add/edit/test/remove. */
import { useEffect, useState } from 'react';
import type { Profile } from '../../../preload/shared/contract';
import { useT } from '../../i18n';
import { useAccounts } from '../../stores/accounts';
import { useBrowser } from '../../stores/browser';
import { useUi } from '../../stores/ui';
import { ConfirmBody } from '../ConfirmBody';
import { useDropTarget } from '../copy/useDropTarget';
import { ErrorMessage } from '../ErrorMessage';

function BucketButton({ profileId, bucket }: { profileId: string; bucket: string }) {
  const drop = useDropTarget({ profileId, bucket, prefix: '' });
  const current = useBrowser((s) => {
    const place = s.panes[s.active].place;
    return place.profileId === profileId && place.bucket === bucket;
  });
  return (
    <li>
      <button
        type="button"
        className={`bucket${drop.isOver ? ' drop-over' : ''}${current ? ' current' : ''}`}
        onClick={() => {
          const browser = useBrowser.getState();
          void browser.navigate(browser.active, { profileId, bucket, prefix: '' });
        }}
        onDragEnter={drop.onDragEnter}
        onDragOver={drop.onDragOver}
        onDragLeave={drop.onDragLeave}
        onDrop={drop.onDrop}
      >
        <span className="icon icon-bucket" aria-hidden="true" />
        {bucket}
      </button>
    </li>
  );
}

function AccountItem({ profile }: { profile: Profile }) {
  const t = useT();
  const [expanded, setExpanded] = useState(profile.provider === 'local');
  const list = useAccounts((s) => s.buckets[profile.id]);
  const test = useAccounts((s) => s.tests[profile.id]);
  const openDialog = useUi((s) => s.openDialog);
  const listId = `buckets-${profile.id}`;

  useEffect(() => {
    // Opening again retries a list that failed (keys fixed, network back) instead of keeping the error.
    const known = useAccounts.getState().buckets[profile.id];
    if (expanded && (!known || known.status === 'error'))
      void useAccounts
        .getState()
        .loadBuckets(profile.id)
        .catch(() => undefined);
  }, [expanded, profile.id]);

  const custom = profile.provider !== 'local';
  return (
    <li className="account">
      <div className="account-head">
        <button
          type="button"
          className="disclosure"
          aria-expanded={expanded}
          aria-controls={listId}
          onClick={() => setExpanded(!expanded)}
        >
          <span className={`icon icon-account provider-${profile.provider}`} aria-hidden="true" />
          <span className="account-name">{profile.name}</span>
          <span className="provider-tag">{t(`provider.${profile.provider}`)}</span>
        </button>
        {profile.readOnly && custom ? <span className="tag">{t('account.readOnlyTag')}</span> : null}
      </div>
      <div className="account-actions">
        <button
          type="button"
          className="link"
          onClick={() => void useAccounts.getState().test(profile.id)}
          aria-label={t('account.testNamed', { name: profile.name })}
        >
          {t('account.test')}
        </button>
        <button
          type="button"
          className="link"
          onClick={() =>
            void useAccounts
              .getState()
              .loadBuckets(profile.id)
              .catch(() => undefined)
          }
          aria-label={t('account.refreshNamed', { name: profile.name })}
        >
          {t('nav.refresh')}
        </button>
        {custom ? (
          <>
            <button
              type="button"
              className="link"
              onClick={() => openDialog({ kind: 'account', profile })}
              aria-label={t('account.editNamed', { name: profile.name })}
            >
              {t('action.edit')}
            </button>
            <button
              type="button"
              className="link danger"
              onClick={() => openDialog({ kind: 'removeAccount', profile })}
              aria-label={t('account.removeNamed', { name: profile.name })}
            >
              {t('action.remove')}
            </button>
          </>
        ) : null}
      </div>
      {test ? (
        <p role="status" className={`test-result ${test.status}`}>
          {test.status === 'testing'
            ? t('account.testing')
            : test.status === 'ok'
              ? t('account.testOk', { message: test.message })
              : t('account.testFailed', { message: test.message })}
          {test.requestId ? ` (${t('error.requestId', { id: test.requestId })})` : ''}
        </p>
      ) : null}
      {expanded ? (
        <div id={listId}>
          {list?.status === 'loading' && list.buckets.length === 0 ? (
            <p className="muted">{t('list.loading')}</p>
          ) : null}
          {list?.status === 'error' && list.error ? <ErrorMessage error={list.error} /> : null}
          {list?.status === 'ready' && list.buckets.length === 0 ? (
            <p className="muted">{t('list.noBuckets')}</p>
          ) : null}
          <ul className="buckets" aria-label={t('account.bucketsOf', { name: profile.name })}>
            {list?.buckets.map((b) => (
              <BucketButton key={b.name} profileId={profile.id} bucket={b.name} />
            ))}
          </ul>
        </div>
      ) : null}
    </li>
  );
}

export function AccountsSidebar() {
  const t = useT();
  const profiles = useAccounts((s) => s.profiles);
  const error = useAccounts((s) => s.error);
  const openDialog = useUi((s) => s.openDialog);
  return (
    <aside className="sidebar" aria-label={t('sidebar.label')}>
      <div className="sidebar-head">
        <h2>{t('sidebar.label')}</h2>
        <button type="button" onClick={() => openDialog({ kind: 'account' })}>
          {t('account.add')}
        </button>
      </div>
      {error ? <ErrorMessage error={error} onRetry={() => void useAccounts.getState().load()} /> : null}
      <ul className="accounts">
        {profiles.map((p) => (
          <AccountItem key={p.id} profile={p} />
        ))}
      </ul>
    </aside>
  );
}

export function RemoveAccountDialog({ profile }: { profile: Profile }) {
  const t = useT();
  const close = useUi((s) => s.closeDialog);
  const [error, setError] = useState<{ code: string; message: string } | null>(null);
  return (
    <ConfirmBody
      title={t('account.removeTitle', { name: profile.name })}
      text={t('account.removeText', { name: profile.name })}
      confirm={t('action.remove')}
      error={error}
      onCancel={close}
      onConfirm={async () => {
        try {
          await useAccounts.getState().remove(profile.id);
          const browser = useBrowser.getState();
          for (const side of ['left', 'right'] as const) {
            if (browser.panes[side].place.profileId === profile.id)
              void browser.navigate(side, { prefix: '' });
          }
          close();
        } catch (err) {
          setError({ code: 'Error', message: (err as Error).message });
        }
      }}
    />
  );
}
