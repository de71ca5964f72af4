/** The app shell: header, accounts sidebar, two panes with details, transfers, and the dialog host. */
import { PanelRight, X } from 'lucide-react';
import { useEffect, useSyncExternalStore } from 'react';
import { webApi } from './api';
import { AccountForm } from './features/accounts/AccountForm';
import { AccountsSidebar, RemoveAccountDialog } from './features/accounts/AccountsSidebar';
import { Pane } from './features/browser/Pane';
import { CopyDialog } from './features/copy/CopyDialog';
import { ConflictDialog } from './features/copy/ConflictDialog';
import { DeleteDialog } from './features/copy/DeleteDialog';
import { UploadDialog } from './features/copy/UploadDialog';
import { OrphansDialog } from './features/orphans/OrphansDialog';
import { BucketInfoDialog } from './features/buckets/BucketInfoDialog';
import { DeleteBucketDialog } from './features/buckets/DeleteBucketDialog';
import { NewBucketDialog } from './features/buckets/NewBucketDialog';
import { NewFolderDialog } from './features/buckets/NewFolderDialog';
import { DetailsPanel } from './features/details/DetailsPanel';
import { LogView } from './features/logs/LogView';
import { SettingsView } from './features/settings/SettingsView';
import { TransfersPanel } from './features/transfers/TransfersPanel';
import { useT } from './i18n';
import { refreshPanesShowing } from './stores/browser';
import { rememberPanes, restorePanes } from './stores/pane-memory';
import { subscribeLogs } from './stores/logs';
import { useLanguage, useSettings, useTheme } from './stores/settings';
import { subscribeTransfers, useTransfers } from './stores/transfers';
import { useUi, type View } from './stores/ui';
import { api } from './api';

function DialogHost() {
  const dialog = useUi((s) => s.dialog);
  if (!dialog) return null;
  switch (dialog.kind) {
    case 'copy':
      return <CopyDialog request={dialog.request} />;
    case 'conflict':
      return <ConflictDialog request={dialog.request} existing={dialog.existing} />;
    case 'delete':
      return <DeleteDialog request={dialog.request} />;
    case 'account':
      return <AccountForm profile={dialog.profile} />;
    case 'removeAccount':
      return <RemoveAccountDialog profile={dialog.profile} />;
    case 'upload':
      return <UploadDialog files={dialog.files} destination={dialog.destination} />;
    case 'orphans':
      return <OrphansDialog profileId={dialog.profileId} bucket={dialog.bucket} />;
    case 'newFolder':
      return <NewFolderDialog side={dialog.side} location={dialog.location} />;
    case 'newBucket':
      return <NewBucketDialog profileId={dialog.profileId} />;
    case 'deleteBucket':
      return <DeleteBucketDialog profileId={dialog.profileId} bucket={dialog.bucket} />;
    case 'bucketInfo':
      return <BucketInfoDialog profileId={dialog.profileId} bucket={dialog.bucket} />;
  }
}

function Notice() {
  const t = useT();
  const notice = useUi((s) => s.notice);
  if (!notice) return null;
  return (
    <div className="notice" role="status">
      <span>{notice}</span>
      <button
        type="button"
        className="icon-button"
        aria-label={t('action.dismiss')}
        onClick={() => useUi.getState().notify(null)}
      >
        <X size={14} aria-hidden="true" />
      </button>
    </div>
  );
}

const subscribeConnection = (listener: () => void) => webApi?.onConnection(listener) ?? (() => undefined);
/** Connected, or still making the first connection (the start-up handshake is not a lost connection). */
const connectionSnapshot = () => !webApi || webApi.connected || !webApi.everConnected;

function ConnectionBanner() {
  const t = useT();
  const connected = useSyncExternalStore(subscribeConnection, connectionSnapshot);
  if (connected) return null;
  return (
    <div className="banner" role="alert">
      {t('app.disconnected')}
    </div>
  );
}

/** Keeps the page's theme and language attributes in step with the settings and the system. */
function useDocumentAppearance(): void {
  const theme = useTheme();
  const language = useLanguage();
  useEffect(() => {
    const media = window.matchMedia('(prefers-color-scheme: dark)');
    const update = () => useSettings.getState().setSystemDark(media.matches);
    update();
    media.addEventListener('change', update);
    return () => media.removeEventListener('change', update);
  }, []);
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
    document.documentElement.lang = language;
  }, [theme, language]);
}

/** A finished copy shows up in any pane looking at its destination without a manual refresh. */
function useRefreshOnCopyDone(): void {
  useEffect(
    () =>
      api.on('task.state', (task) => {
        if (task.state !== 'done') return;
        const { destination: dest, source: src } = task;
        refreshPanesShowing(dest.profileId, dest.bucket, dest.key);
        if (task.move) refreshPanesShowing(src.profileId, src.bucket, src.key);
      }),
    [],
  );
}

const VIEWS: View[] = ['browser', 'settings', 'logs'];

/** Below this window width the Details panel starts hidden, so the two lists keep readable names. */
const WIDE_ENOUGH_FOR_DETAILS = '(min-width: 1280px)';
const subscribeWidth = (listener: () => void) => {
  const media = window.matchMedia(WIDE_ENOUGH_FOR_DETAILS);
  media.addEventListener('change', listener);
  return () => media.removeEventListener('change', listener);
};
const wideSnapshot = () => window.matchMedia(WIDE_ENOUGH_FOR_DETAILS).matches;

function useDetailsOpen(): boolean {
  const chosen = useUi((s) => s.detailsOpen);
  const wide = useSyncExternalStore(subscribeWidth, wideSnapshot);
  return chosen ?? wide;
}

export function App() {
  const t = useT();
  const view = useUi((s) => s.view);
  const setView = useUi((s) => s.setView);
  const detailsOpen = useDetailsOpen();
  useDocumentAppearance();
  useRefreshOnCopyDone();

  useEffect(() => {
    void useTransfers.getState().load();
    let offPanes: (() => void) | undefined;
    let unmounted = false;
    // Remember the panes only once they are back where they were, or the start would overwrite it.
    void restorePanes().finally(() => {
      if (!unmounted) offPanes = rememberPanes();
    });
    const offTransfers = subscribeTransfers();
    const offLogs = subscribeLogs();
    // After a reconnect (host restarted) the task list may have changed under us.
    const offConnection = webApi?.onConnection((connected) => {
      if (connected) void useTransfers.getState().load();
    });
    return () => {
      unmounted = true;
      offPanes?.();
      offTransfers();
      offLogs();
      offConnection?.();
    };
  }, []);

  return (
    <div className="app">
      <header className="app-header">
        <h1 className="brand">Ferry</h1>
        <nav aria-label={t('app.views')} className="views">
          {VIEWS.map((v) => (
            <button key={v} type="button" aria-pressed={view === v} onClick={() => setView(v)}>
              {t(`view.${v}`)}
            </button>
          ))}
        </nav>
        <span className="spacer" />
        {view === 'browser' ? (
          <button
            type="button"
            className="icon-button"
            aria-label={t('details.toggle')}
            title={t('details.toggle')}
            aria-pressed={detailsOpen}
            onClick={() => useUi.getState().setDetailsOpen(!detailsOpen)}
          >
            <PanelRight size={16} aria-hidden="true" />
          </button>
        ) : null}
      </header>
      <ConnectionBanner />
      <Notice />
      <div className="app-body">
        <AccountsSidebar />
        <main className="workspace">
          {view === 'browser' ? (
            <div className={`panes${detailsOpen ? ' with-details' : ''}`}>
              <Pane side="left" />
              <Pane side="right" />
              {detailsOpen ? <DetailsPanel /> : null}
            </div>
          ) : view === 'settings' ? (
            <SettingsView />
          ) : (
            <LogView />
          )}
          <TransfersPanel />
        </main>
      </div>
      <DialogHost />
    </div>
  );
}
