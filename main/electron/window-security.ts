/**
 * The Electron host's security settings and guards (Electron's security checklist), kept free of
 * Electron imports: each guard takes the few methods it needs, so tests drive them with fakes on
 * machines without the Electron binary (test/unit/electron-security.test.ts), and main/electron/index.ts only
 * wires them.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export function secureWebPreferences(preloadPath: string) {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
  } as const;
}

/** CSP for the packaged renderer, loaded from a file: URL (no server, no remote content). */
export const ELECTRON_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'none'",
  "object-src 'none'",
  "worker-src 'none'",
  "frame-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Only the app's own renderer files may be shown; everything else is refused. */
export function isAppUrl(url: string, rendererDir: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  // A host in a file: URL is a network share on Windows (file://server/share/...): never ours.
  if (parsed.protocol !== 'file:' || parsed.host !== '') return false;
  let file: string;
  try {
    file = path.resolve(fileURLToPath(parsed));
  } catch {
    return false; // malformed escapes or an encoded separator: not a URL the app produces
  }
  // An encoded backslash or NUL is a separator or terminator on some platform; the app's files have neither.
  if (/%5c|%00/i.test(parsed.pathname)) return false;
  const root = path.resolve(rendererDir);
  return file === root || file.startsWith(root + path.sep);
}

/**
 * Hosts whose https pages a link in the app may open in the user's browser: the providers'
 * documentation. Nothing else is handed to the operating system — `shell.openExternal` on an
 * arbitrary URL can start any registered protocol handler (file:, smb:, ms-msdt:, …).
 */
export const EXTERNAL_LINK_HOSTS: readonly string[] = [
  'help.aliyun.com',
  'www.alibabacloud.com',
  'docs.aws.amazon.com',
  'developers.cloudflare.com',
  'docs.ceph.com',
  'min.io',
];

export function isTrustedExternalUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return (
    parsed.protocol === 'https:' &&
    parsed.username === '' &&
    parsed.password === '' &&
    parsed.port === '' &&
    EXTERNAL_LINK_HOSTS.includes(parsed.hostname)
  );
}

type Listener = (event: { preventDefault(): void }, url: string) => void;

/** The parts of Electron's WebContents the guards use. */
export interface GuardedContents {
  on(event: 'will-navigate' | 'will-redirect', listener: Listener): unknown;
  on(event: 'will-attach-webview', listener: (event: { preventDefault(): void }) => void): unknown;
  on(
    event: 'will-frame-navigate',
    listener: (details: { url: string; preventDefault(): void }) => void,
  ): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

/**
 * Applied to every web contents the app creates (main/electron/index.ts does it on `web-contents-created`):
 * no navigation or redirect away from the renderer's files, in any frame, no <webview>, no new windows; a link to a
 * trusted documentation page opens in the user's browser instead.
 */
export function guardWebContents(
  contents: GuardedContents,
  rendererDir: string,
  openExternal: (url: string) => Promise<void>,
): void {
  const stayInApp: Listener = (event, url) => {
    if (!isAppUrl(url, rendererDir)) event.preventDefault();
  };
  contents.on('will-navigate', stayInApp);
  contents.on('will-redirect', stayInApp);
  // Subframes too (will-navigate is main-frame only); the CSP already forbids frames.
  contents.on('will-frame-navigate', (details) => {
    if (!isAppUrl(details.url, rendererDir)) details.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isTrustedExternalUrl(url)) openExternal(url).catch(() => undefined);
    return { action: 'deny' };
  });
}

/** The parts of Electron's Session the guards use. */
export interface GuardedSession {
  setPermissionRequestHandler(
    handler: (
      contents: unknown,
      permission: string,
      callback: (granted: boolean) => void,
      details: { requestingUrl?: string },
    ) => void,
  ): void;
  setPermissionCheckHandler(
    handler: (
      contents: unknown,
      permission: string,
      requestingOrigin: string,
      details: { requestingUrl?: string },
    ) => boolean,
  ): void;
  setDevicePermissionHandler(handler: () => boolean): void;
  webRequest: {
    onBeforeRequest(
      listener: (details: { url: string }, callback: (response: { cancel: boolean }) => void) => void,
    ): void;
    onHeadersReceived(
      listener: (
        details: { responseHeaders?: Record<string, string[]> },
        callback: (response: { responseHeaders: Record<string, string[]> }) => void,
      ) => void,
    ): void;
  };
}

/**
 * The one permission Ferry uses: writing text to the clipboard ("copy link" in the details panel),
 * and only for the app's own page. Everything else — camera, microphone, notifications, geolocation,
 * clipboard reads, HID/USB/serial devices, openExternal — is denied to every page.
 */
export function isPermissionGranted(
  permission: string,
  requestingUrl: string | undefined,
  rendererDir: string,
): boolean {
  return permission === 'clipboard-sanitized-write' && isAppUrl(requestingUrl ?? '', rendererDir);
}

/** Schemes the renderer may load from: its own files, and the developer tools. */
export function isAllowedRequest(url: string): boolean {
  return url.startsWith('file:') || url.startsWith('devtools:');
}

/**
 * Denies every permission but the one above, refuses every request that is not a local file (no
 * remote content, so no remote script), and puts the CSP on every response, replacing any the
 * response brought.
 */
export function guardSession(session: GuardedSession, rendererDir: string): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) =>
    callback(isPermissionGranted(permission, details?.requestingUrl, rendererDir)),
  );
  session.setPermissionCheckHandler((_contents, permission, _origin, details) =>
    isPermissionGranted(permission, details?.requestingUrl, rendererDir),
  );
  session.setDevicePermissionHandler(() => false);
  session.webRequest.onBeforeRequest((details, callback) =>
    callback({ cancel: !isAllowedRequest(details.url) }),
  );
  session.webRequest.onHeadersReceived((details, callback) => {
    const headers = Object.fromEntries(
      Object.entries(details.responseHeaders ?? {}).filter(
        ([name]) => name.toLowerCase() !== 'content-security-policy',
      ),
    );
    callback({ responseHeaders: { ...headers, 'Content-Security-Policy': [ELECTRON_CSP] } });
  });
}

/** An IPC message is answered only when it comes from a frame showing the app's own files. */
export function isTrustedSender(frame: { url: string } | null | undefined, rendererDir: string): boolean {
  return Boolean(frame) && isAppUrl(frame!.url, rendererDir);
}
