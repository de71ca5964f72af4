/**
 * The Electron host: app lifecycle, one hardened window, the contract's handlers on ipcMain, and
 * events forwarded to the renderer. Started by `npm start` where the Electron binary exists.
 */
import path from 'node:path';
import { app, BrowserWindow, ipcMain, safeStorage, session, shell, type IpcMainInvokeEvent } from 'electron';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from '../../preload/shared/contract';
import { prepareDataDir, resolveDataDir } from '../core/data-dir';
import { dispatch } from '../app/dispatch';
import { electronSecretStore } from './safe-storage-secrets';
import { guardSession, guardWebContents, isTrustedSender, secureWebPreferences } from './window-security';
import { startAppServices, type App } from '../app/wiring';

const rendererDir = path.join(__dirname, '..', 'renderer');
const preloadPath = path.join(__dirname, '..', 'preload', 'index.js');

function dataDirFromArgs(): string | undefined {
  const i = process.argv.indexOf('--data-dir');
  if (i >= 0) return process.argv[i + 1];
  const eq = process.argv.find((a) => a.startsWith('--data-dir='));
  return eq?.slice('--data-dir='.length);
}

let services: App | undefined;

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1400,
    height: 900,
    minWidth: 900,
    minHeight: 600,
    title: 'Ferry',
    show: false,
    webPreferences: secureWebPreferences(preloadPath),
  });
  win.once('ready-to-show', () => win.show());
  void win.loadFile(path.join(rendererDir, 'index.html'));
  return win;
}

async function main(): Promise<void> {
  const chosen = dataDirFromArgs();
  const dataDir = resolveDataDir(chosen, app.getPath('userData'));
  app.setPath('userData', dataDir);
  // One app per data folder: two task engines resuming the same checkpoints would race each other on
  // the same uploads. The lock is keyed by userData, so it is taken after setPath.
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  app.on('second-instance', () => {
    const [win] = BrowserWindow.getAllWindows();
    if (win?.isMinimized()) win.restore();
    win?.focus();
  });
  await app.whenReady();

  guardSession(session.defaultSession, rendererDir);

  const layout = prepareDataDir(dataDir);
  const secretStore = electronSecretStore(safeStorage, layout.secrets);
  services = await startAppServices(dataDir, 'electron', { secretStore });
  const active = services;

  ipcMain.handle(IPC_INVOKE_CHANNEL, async (event: IpcMainInvokeEvent, message: unknown) => {
    if (!isTrustedSender(event.senderFrame, rendererDir)) {
      return { ok: false, error: { code: 'Forbidden', message: 'request from an unknown frame' } };
    }
    const m = (message ?? {}) as { name?: unknown; arg?: unknown };
    return dispatch(active.handlers, m.name, m.arg, active.logger);
  });
  active.bus.subscribe((message) => {
    for (const win of BrowserWindow.getAllWindows()) win.webContents.send(IPC_EVENT_CHANNEL, message);
  });

  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
}

// Every renderer sandboxed, whatever its own preferences say.
app.enableSandbox();
// Every web contents — the window, and anything it might spawn — gets the navigation guards before
// it loads anything.
app.on('web-contents-created', (_event, contents) => {
  guardWebContents(contents, rendererDir, (url) => shell.openExternal(url));
});
app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
app.on('before-quit', () => {
  void services?.close();
});

main().catch((err: Error) => {
  // Redacted like a log line: a start-up error may quote a saved account.
  const text = `${err.stack ?? err.message}`;
  process.stderr.write(`Ferry failed to start: ${services?.logger.redact(text) ?? text}\n`);
  app.exit(1);
});
