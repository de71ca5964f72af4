/**
 * The accounts sidebar: every profile with its connection state, its buckets (drop targets, with a
 * filter) and its actions (test, refresh, edit, remove) in a "…" menu.
 */
import { Plus } from 'lucide-react';
import { useEffect, useState } from 'react';
import type { Profile } from '../../../preload/shared/contract';
import { useT } from '../../i18n';
import {
  mayListBuckets,
  shownBuckets,
  useAccounts,
  type BucketList,
  type TestResult,
} from '../../stores/accounts';
import { useBrowser } from '../../stores/browser';
import { useUi } from '../../stores/ui';
import { ConfirmBody } from '../ConfirmBody';
import { useDropTarget } from '../copy/useDropTarget';
import { ErrorMessage } from '../ErrorMessage';
import { AccountMenu, type MenuAction } from './AccountMenu';
import { requestNewBucket } from '../buckets/intents';
import { ComputerItem } from '../computer/ComputerSidebar';

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

type ConnectionState = 'unknown' | 'checking' | 'ok' | 'failed';

/** What the sidebar knows of an account's connection: its last test, else its last bucket listing. */
function connectionOf(test: TestResult | undefined, list: BucketList | undefined): ConnectionState {
  if (test?.status === 'testing') return 'checking';
  if (test) return test.status === 'ok' ? 'ok' : 'failed';
  if (list?.status === 'loading') return 'checking';
  if (list?.status === 'ready') return 'ok';
  if (list?.status === 'error') return 'failed';
  return 'unknown';
}

/** One line (the first sentence) that expands to the whole message and the full request id. */
function AccountError({ message, requestId }: { message: string; requestId?: string }) {
  const t = useT();
  return (
    <details className="account-error" role="alert">
      <summary>{message}</summary>
      <p>{message}</p>
      {requestId ? <p className="error-meta">{t('error.requestId', { id: requestId })}</p> : null}
    </details>
  );
}

function AccountItem({ profile }: { profile: Profile }) {
  const t = useT();
  const [expanded, setExpanded] = useState(profile.provider === 'local');
  const [filter, setFilter] = useState('');
  const list = useAccounts((s) => s.buckets[profile.id]);
  const opened = useAccounts((s) => s.opened[profile.id]);
  const test = useAccounts((s) => s.tests[profile.id]);
  const openDialog = useUi((s) => s.openDialog);
  const listId = `buckets-${profile.id}`;
  // An account with a start path shows its start bucket and the buckets opened by address: its keys
  // may not list buckets, and asking would only put an error under a working account.
  const mayList = mayListBuckets(profile, list);

  useEffect(() => {
    // Opening again retries a list that failed (keys fixed, network back) instead of keeping the error.
    const known = useAccounts.getState().buckets[profile.id];
    if (expanded && mayList && (!known || known.status === 'error'))
      void useAccounts
        .getState()
        .loadBuckets(profile.id)
        .catch(() => undefined);
  }, [expanded, mayList, profile.id]);

  const custom = profile.provider !== 'local';
  const connection = connectionOf(test, list);
  const providerLabel = t(`provider.${profile.provider}`);
  const failure =
    test?.status === 'failed'
      ? { message: t('account.testFailed', { message: test.message }), requestId: test.requestId }
      : list?.status === 'error' && list.error
        ? { message: list.error.message, requestId: list.error.requestId }
        : undefined;
  const needle = filter.trim().toLowerCase();
  const names = shownBuckets(profile, list, opened);
  const buckets = names.filter((b) => !needle || b.toLowerCase().includes(needle));
  const refresh = () =>
    void useAccounts
      .getState()
      .loadBuckets(profile.id)
      .catch(() => undefined);
  const actions: MenuAction[] = [
    {
      label: t('account.test'),
      name: t('account.testNamed', { name: profile.name }),
      run: () => void useAccounts.getState().test(profile.id),
    },
    ...(mayList
      ? [{ label: t('nav.refresh'), name: t('account.refreshNamed', { name: profile.name }), run: refresh }]
      : []),
    ...(profile.readOnly
      ? []
      : [
          {
            label: t('bucket.new'),
            name: t('bucket.newNamed', { name: profile.name }),
            run: () => requestNewBucket(profile.id),
          },
        ]),
    ...(custom
      ? [
          {
            label: t('action.edit'),
            name: t('account.editNamed', { name: profile.name }),
            run: () => openDialog({ kind: 'account', profile }),
          },
          {
            label: t('action.remove'),
            name: t('account.removeNamed', { name: profile.name }),
            danger: true,
            run: () => openDialog({ kind: 'removeAccount', profile }),
          },
        ]
      : []),
  ];
  return (
    <li className="account">
      <div className="account-head">
        <span
          className={`conn-dot conn-${connection}`}
          role="img"
          aria-label={t(`account.connection.${connection}`)}
          title={t(`account.connection.${connection}`)}
        />
        <button
          type="button"
          className="disclosure"
          aria-expanded={expanded}
          aria-controls={listId}
          onClick={() => setExpanded(!expanded)}
        >
          <span className={`icon icon-account provider-${profile.provider}`} aria-hidden="true" />
          <span className="account-name">{profile.name}</span>
          {/* The Local account is named after its provider: "Local Local" says nothing. */}
          {providerLabel !== profile.name ? <span className="provider-tag">{providerLabel}</span> : null}
        </button>
        {profile.readOnly && custom ? <span className="tag">{t('account.readOnlyTag')}</span> : null}
        <AccountMenu label={t('account.actionsNamed', { name: profile.name })} actions={actions} />
      </div>
      {test?.status === 'testing' ? (
        <p role="status" className="test-result">
          {t('account.testing')}
        </p>
      ) : test?.status === 'ok' ? (
        <p role="status" className="test-result ok">
          {t('account.testOk', { message: test.message })}
        </p>
      ) : null}
      {failure ? <AccountError {...failure} /> : null}
      {expanded ? (
        <div id={listId}>
          {list?.status === 'loading' && list.buckets.length === 0 ? (
            <p className="muted">{t('list.loading')}</p>
          ) : null}
          {list?.status === 'ready' && names.length === 0 ? (
            <p className="muted">{t('list.noBuckets')}</p>
          ) : null}
          {names.length > 1 ? (
            <input
              type="search"
              className="bucket-filter"
              aria-label={t('account.filterBuckets', { name: profile.name })}
              placeholder={t('account.filterPlaceholder')}
              value={filter}
              onChange={(e) => setFilter(e.target.value)}
            />
          ) : null}
          <ul className="buckets" aria-label={t('account.bucketsOf', { name: profile.name })}>
            {buckets.map((b) => (
              <BucketButton key={b} profileId={profile.id} bucket={b} />
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
        <button
          type="button"
          className="add-account"
          title={t('account.add')}
          onClick={() => openDialog({ kind: 'account' })}
        >
          <Plus size={14} aria-hidden="true" />
          <span>{t('account.add')}</span>
        </button>
      </div>
      {error ? <ErrorMessage error={error} onRetry={() => void useAccounts.getState().load()} /> : null}
      <ul className="accounts">
        {profiles.map((p) =>
          p.provider === 'computer' ? (
            <ComputerItem key={p.id} profile={p} />
          ) : (
            <AccountItem key={p.id} profile={p} />
          ),
        )}
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
