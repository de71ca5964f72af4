/**
 * Electron's security checklist, asserted without the Electron binary: the guards in
 * main/electron/window-security.ts driven with fakes, then the real main/electron/index.ts and preload/index.ts
 * bundled against a fake `electron` module and run — so what is checked is what the host registers,
 * not what its source text looks like. (test/e2e/electron.spec.ts runs the real binary where it exists.)
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { bundleForNode } from '../support/node-bundle';
import {
  ELECTRON_CSP,
  EXTERNAL_LINK_HOSTS,
  guardSession,
  guardWebContents,
  isAppUrl,
  isPermissionGranted,
  isTrustedExternalUrl,
  secureWebPreferences,
  type GuardedContents,
  type GuardedSession,
} from '../../main/electron/window-security';
import { contentSecurityPolicy } from '../../main/web/server';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from '../../preload/shared/contract';

const rendererDir = path.resolve('/opt/Ferry/resources/app.asar/dist/renderer');
const appPage = (dir = rendererDir) => pathToFileURL(path.join(dir, 'index.html')).href;

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...values]) => [name!, values]),
  );
}

/** URLs a compromised or confused renderer might try to navigate to or open. */
const HOSTILE_URLS = [
  'https://evil.example/',
  'http://help.aliyun.com/document_detail/31947.html',
  'https://docs.aws.amazon.com.evil.example/',
  'https://user:pass@docs.aws.amazon.com/',
  'https://docs.aws.amazon.com:8443/',
  'file:///etc/passwd',
  'file://server/share/x.exe',
  'javascript:alert(1)',
  'data:text/html,<script>1</script>',
  'smb://evil.example/share',
  'ms-msdt:/id PCWDiagnostic',
  'vscode://file/etc/passwd',
  'about:blank',
  'not a url',
  '',
];

// ---------------------------------------------------------------------------------------------
// Fakes: the few Electron objects the guards and the host touch, recording what is registered.

let nextContentsId = 1;

class FakeContents implements GuardedContents {
  readonly id = nextContentsId++;
  readonly listeners = new Map<string, ((...args: never[]) => void)[]>();
  windowOpenHandler?: (details: { url: string }) => { action: string };
  readonly sent: { channel: string; message: unknown }[] = [];
  on(event: string, listener: (...args: never[]) => void): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  once(event: string, listener: (...args: never[]) => void): this {
    return this.on(event, listener);
  }
  /** Fires `event` with exactly these arguments (did-start-navigation passes one details object). */
  emit(event: string, ...args: unknown[]): void {
    for (const l of this.listeners.get(event) ?? []) (l as (...a: unknown[]) => void)(...args);
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void {
    this.windowOpenHandler = handler;
  }
  send(channel: string, message: unknown): void {
    this.sent.push({ channel, message });
  }
  /** Fires `event` as Electron would; true when some listener called preventDefault. */
  fire(event: string, url?: string): boolean {
    let prevented = false;
    // will-frame-navigate passes one details event carrying the url; the others (event, url).
    const e = { url, preventDefault: () => (prevented = true) };
    for (const l of this.listeners.get(event) ?? []) (l as (e: unknown, url?: string) => void)(e, url);
    return prevented;
  }
}

class FakeSession implements GuardedSession {
  requestHandler?: Parameters<GuardedSession['setPermissionRequestHandler']>[0];
  checkHandler?: Parameters<GuardedSession['setPermissionCheckHandler']>[0];
  deviceHandler?: () => boolean;
  beforeRequest?: Parameters<GuardedSession['webRequest']['onBeforeRequest']>[0];
  headersReceived?: Parameters<GuardedSession['webRequest']['onHeadersReceived']>[0];
  setPermissionRequestHandler(h: FakeSession['requestHandler']): void {
    this.requestHandler = h;
  }
  setPermissionCheckHandler(h: FakeSession['checkHandler']): void {
    this.checkHandler = h;
  }
  setDevicePermissionHandler(h: () => boolean): void {
    this.deviceHandler = h;
  }
  webRequest = {
    onBeforeRequest: (l: FakeSession['beforeRequest']) => void (this.beforeRequest = l),
    onHeadersReceived: (l: FakeSession['headersReceived']) => void (this.headersReceived = l),
  };
  request(permission: string, requestingUrl: string): boolean {
    let granted: boolean | undefined;
    this.requestHandler!({}, permission, (g) => (granted = g), { requestingUrl });
    assert.notEqual(granted, undefined, 'the request handler answered');
    return granted!;
  }
  check(permission: string, requestingUrl: string): boolean {
    return this.checkHandler!({}, permission, new URL(requestingUrl || 'about:blank').origin, {
      requestingUrl,
    });
  }
  cancels(url: string): boolean {
    let cancel: boolean | undefined;
    this.beforeRequest!({ url }, (r) => (cancel = r.cancel));
    return cancel!;
  }
  headersFor(responseHeaders: Record<string, string[]>): Record<string, string[]> {
    let out: Record<string, string[]> | undefined;
    this.headersReceived!({ responseHeaders }, (r) => (out = r.responseHeaders));
    return out!;
  }
}

const PERMISSIONS = [
  'clipboard-read',
  'clipboard-sanitized-write',
  'display-capture',
  'fullscreen',
  'geolocation',
  'idle-detection',
  'media',
  'mediaKeySystem',
  'midi',
  'midiSysex',
  'notifications',
  'openExternal',
  'pointerLock',
  'keyboardLock',
  'storage-access',
  'top-level-storage-access',
  'window-management',
  'fileSystem',
  'hid',
  'serial',
  'usb',
  'unknown',
];

/** The checklist items that both the guard unit tests and the real host must satisfy. */
function assertSessionGuarded(session: FakeSession, dir: string): void {
  for (const permission of PERMISSIONS) {
    for (const url of [appPage(dir), 'https://evil.example/', 'file:///etc/passwd']) {
      const expected = permission === 'clipboard-sanitized-write' && url === appPage(dir);
      assert.equal(session.request(permission, url), expected, `request ${permission} from ${url}`);
      assert.equal(session.check(permission, url), expected, `check ${permission} from ${url}`);
    }
  }
  assert.equal(session.deviceHandler?.(), false, 'no HID/USB/serial device is ever granted');
  for (const url of ['https://cdn.example/app.js', 'http://127.0.0.1:5173/', 'ws://127.0.0.1/', 'ftp://x/'])
    assert.equal(session.cancels(url), true, `${url} is not loaded`);
  assert.equal(session.cancels(appPage(dir)), false);
  const headers = session.headersFor({
    'content-security-policy': ["default-src *; script-src 'unsafe-inline'"],
    'Content-Type': ['text/html'],
  });
  assert.deepEqual(headers['Content-Security-Policy'], [ELECTRON_CSP]);
  assert.equal(headers['content-security-policy'], undefined, 'a looser CSP from the response is dropped');
  assert.deepEqual(headers['Content-Type'], ['text/html']);
}

function assertContentsGuarded(contents: FakeContents, dir: string, opened: string[]): void {
  for (const event of ['will-navigate', 'will-redirect', 'will-frame-navigate']) {
    assert.ok(contents.listeners.get(event)?.length, `${event} is guarded`);
    assert.equal(contents.fire(event, appPage(dir)), false, `${event} within the app is allowed`);
    assert.equal(contents.fire(event, `${appPage(dir)}#/transfers`), false);
    for (const url of HOSTILE_URLS) assert.equal(contents.fire(event, url), true, `${event} to ${url}`);
  }
  assert.equal(contents.fire('will-attach-webview'), true, '<webview> is refused');
  assert.ok(contents.windowOpenHandler, 'a window-open handler is set');
  const before_ = opened.length;
  for (const url of [...HOSTILE_URLS, appPage(dir)])
    assert.deepEqual(contents.windowOpenHandler({ url }), { action: 'deny' }, url);
  assert.deepEqual(opened.slice(before_), [], 'no untrusted URL reached shell.openExternal');
  const doc = 'https://help.aliyun.com/zh/oss/user-guide/overview';
  assert.deepEqual(contents.windowOpenHandler({ url: doc }), { action: 'deny' }, 'never an app window');
  assert.deepEqual(opened.slice(before_), [doc], 'a documentation link opens in the browser');
}

// ---------------------------------------------------------------------------------------------

describe('window settings and CSP', () => {
  test('the window runs sandboxed with context isolation and no Node in any frame', () => {
    const prefs = secureWebPreferences('/p/preload.js');
    assert.equal(prefs.preload, '/p/preload.js');
    assert.equal(prefs.contextIsolation, true);
    assert.equal(prefs.sandbox, true);
    assert.equal(prefs.nodeIntegration, false);
    assert.equal(prefs.nodeIntegrationInWorker, false);
    assert.equal(prefs.nodeIntegrationInSubFrames, false);
    assert.equal(prefs.webSecurity, true);
    assert.equal(prefs.allowRunningInsecureContent, false);
    assert.equal(prefs.experimentalFeatures, false);
    assert.equal(prefs.webviewTag, false);
    assert.equal(prefs.navigateOnDragDrop, false);
  });

  for (const [name, csp] of [
    ['Electron', ELECTRON_CSP],
    ['web host', contentSecurityPolicy()],
  ] as const) {
    test(`the ${name} CSP denies by default and allows no inline or eval'd script`, () => {
      const d = directives(csp);
      assert.deepEqual(d.get('default-src'), ["'none'"]);
      assert.deepEqual(d.get('script-src'), ["'self'"]);
      assert.deepEqual(d.get('style-src'), ["'self'"]);
      assert.deepEqual(d.get('object-src') ?? d.get('default-src'), ["'none'"]);
      assert.deepEqual(d.get('frame-src') ?? d.get('default-src'), ["'none'"]);
      assert.deepEqual(d.get('worker-src') ?? d.get('default-src'), ["'none'"]);
      assert.deepEqual(d.get('base-uri'), ["'none'"]);
      assert.deepEqual(d.get('frame-ancestors'), ["'none'"]);
      assert.deepEqual(d.get('form-action'), ["'none'"]);
      // Only 'self', 'none' and data: images: no host, scheme or wildcard source anywhere.
      for (const [directive, values] of d) {
        for (const v of values) {
          const ok = v === "'self'" || v === "'none'" || (directive === 'img-src' && v === 'data:');
          assert.ok(ok, `${directive} ${v}`);
        }
      }
      assert.equal(new Set([...d.keys()]).size, csp.split(';').length, 'no directive given twice');
    });
  }

  test('the Electron renderer may connect nowhere; the web renderer only to its own origin', () => {
    assert.deepEqual(directives(ELECTRON_CSP).get('connect-src'), ["'none'"]);
    assert.deepEqual(directives(contentSecurityPolicy()).get('connect-src'), ["'self'"]);
  });
});

describe('isAppUrl', () => {
  const inside = (rel: string) => pathToFileURL(path.join(rendererDir, rel)).href;

  test('accepts the renderer folder and the files inside it', () => {
    assert.equal(isAppUrl(inside('index.html'), rendererDir), true);
    assert.equal(isAppUrl(inside('assets/app 1.js'), rendererDir), true);
    assert.equal(isAppUrl(`${inside('index.html')}#/transfers`, rendererDir), true);
  });

  test('refuses http, https and other schemes', () => {
    for (const url of [
      'https://ferry.example/index.html',
      'http://127.0.0.1:5173/',
      'javascript:alert(1)',
      'data:text/html,<script>1</script>',
      'devtools://devtools/bundled/inspector.html',
      'chrome://settings',
      'about:blank',
      'not a url',
      '',
    ]) {
      assert.equal(isAppUrl(url, rendererDir), false, url);
    }
  });

  test('refuses other local files, sibling folders with the same prefix and network shares', () => {
    for (const url of [
      pathToFileURL('/etc/passwd').href,
      pathToFileURL(`${rendererDir}-evil/index.html`).href,
      pathToFileURL(path.dirname(rendererDir)).href,
      `file://evil.example${pathToFileURL(path.join(rendererDir, 'index.html')).pathname}`,
    ]) {
      assert.equal(isAppUrl(url, rendererDir), false, url);
    }
  });

  test('refuses path traversal, plain, percent-encoded and with backslashes', () => {
    const base = pathToFileURL(rendererDir).href;
    for (const url of [
      `${base}/../../../etc/passwd`,
      `${base}/%2e%2e/%2e%2e/etc/passwd`,
      `${base}/..%2F..%2Fetc%2Fpasswd`,
      `${base}/..%5C..%5Cetc%5Cpasswd`,
      `${base}/%E0%A4%A`,
      `${base}/%00`,
    ]) {
      assert.equal(isAppUrl(url, rendererDir), false, url);
    }
  });
});

describe('guards', () => {
  test('shell.openExternal is for https pages on the documentation allowlist only', () => {
    for (const host of EXTERNAL_LINK_HOSTS)
      assert.equal(isTrustedExternalUrl(`https://${host}/x?y=1#z`), true);
    for (const url of HOSTILE_URLS) assert.equal(isTrustedExternalUrl(url), false, url);
    assert.equal(isTrustedExternalUrl('HTTPS://HELP.ALIYUN.COM/a'), true, 'URLs are compared normalised');
  });

  test('only the app page may write to the clipboard; nothing else is ever granted', () => {
    assert.equal(isPermissionGranted('clipboard-sanitized-write', appPage(), rendererDir), true);
    assert.equal(
      isPermissionGranted('clipboard-sanitized-write', 'https://evil.example/', rendererDir),
      false,
    );
    assert.equal(isPermissionGranted('clipboard-sanitized-write', undefined, rendererDir), false);
    assert.equal(isPermissionGranted('clipboard-read', appPage(), rendererDir), false);
  });

  test('guardSession denies permissions, blocks remote requests and enforces the CSP', () => {
    const session = new FakeSession();
    guardSession(session, rendererDir);
    assertSessionGuarded(session, rendererDir);
  });

  test('guardWebContents blocks navigation, redirects, webviews and new windows', () => {
    const contents = new FakeContents();
    const opened: string[] = [];
    guardWebContents(contents, rendererDir, async (url) => void opened.push(url));
    assertContentsGuarded(contents, rendererDir, opened);
  });

  test('a failing openExternal does not escape the window-open handler', async () => {
    const contents = new FakeContents();
    guardWebContents(contents, rendererDir, () => Promise.reject(new Error('no browser')));
    assert.deepEqual(contents.windowOpenHandler!({ url: `https://${EXTERNAL_LINK_HOSTS[0]}/` }), {
      action: 'deny',
    });
    await new Promise((resolve) => setImmediate(resolve)); // an unhandled rejection would fail the run
  });
});

// ---------------------------------------------------------------------------------------------
// The real hosts, bundled against a fake `electron`.

async function bundle(entry: string, outfile: string): Promise<void> {
  // electron itself is bundled here: as the fake below.
  await bundleForNode(entry, outfile, {
    external: ['bufferutil', 'utf-8-validate'],
    plugins: [
      {
        name: 'fake-electron',
        setup(b) {
          b.onResolve({ filter: /^electron$/ }, () => ({ path: 'electron', namespace: 'fake' }));
          b.onLoad({ filter: /.*/, namespace: 'fake' }, () => ({
            contents: 'module.exports = globalThis.__ferryFakeElectron;',
            loader: 'js',
          }));
        },
      },
    ],
  });
}

/** Runs a bundle in this process, as Electron would run it in the main or preload context. */
function loadBundle(file: string): void {
  createRequire(__filename)(file);
}

/** A reversible stand-in for the OS keychain: good enough to show plaintext never reaches the disk. */
const fakeSafeStorage = {
  isEncryptionAvailable: () => true,
  getSelectedStorageBackend: () => 'fake_keychain',
  encryptString: (s: string) => Buffer.from(Buffer.from(s).map((b) => b ^ 0x5a)),
  decryptString: (b: Buffer) => Buffer.from(b.map((x) => x ^ 0x5a)).toString(),
};

describe('main/electron/index.ts, run against a fake Electron', () => {
  const work = mkdtempSync(path.join(os.tmpdir(), 'ferry-electron-host-'));
  const userData = path.join(work, 'userData');
  const hostRenderer = path.join(work, 'renderer'); // main/electron/index.ts: path.join(__dirname, '..', 'renderer')
  const calls: string[] = [];
  const appListeners = new Map<string, ((...args: unknown[]) => void)[]>();
  const session = new FakeSession();
  const opened: string[] = [];
  const windows: {
    options: { webPreferences: Record<string, unknown> };
    webContents: FakeContents;
    loaded?: string;
    focused: number;
  }[] = [];
  let ipcHandler: ((event: unknown, message: unknown) => Promise<unknown>) | undefined;
  let windowCreated: () => void;
  const windowReady = new Promise<void>((resolve) => (windowCreated = resolve));
  const savedDataDir = process.env.FERRY_DATA_DIR;
  const SECRET = `ElectronHostSecret${Date.now()}xyz`;

  const emitApp = (event: string, ...args: unknown[]) => {
    for (const l of appListeners.get(event) ?? []) l(...args);
  };
  const invoke = (message: unknown, url: string | null = appPage(hostRenderer)) =>
    ipcHandler!(
      { sender: windows[0]!.webContents, senderFrame: url === null ? null : { url } },
      message,
    ) as Promise<{
      ok: boolean;
      result?: Record<string, unknown>;
      error?: { code: string };
    }>;

  before(async () => {
    delete process.env.FERRY_DATA_DIR;
    (globalThis as Record<string, unknown>).__ferryFakeElectron = {
      app: {
        enableSandbox: () => calls.push('enableSandbox'),
        requestSingleInstanceLock: () => (calls.push('singleInstanceLock'), true),
        getPath: () => userData,
        setPath: () => undefined,
        whenReady: async () => void calls.push('whenReady'),
        on: (event: string, l: (...args: unknown[]) => void) =>
          appListeners.set(event, [...(appListeners.get(event) ?? []), l]),
        quit: () => undefined,
        exit: (code: number) => calls.push(`exit ${code}`),
      },
      BrowserWindow: class {
        static getAllWindows = () => windows;
        webContents = new FakeContents();
        loaded?: string;
        constructor(readonly options: { webPreferences: Record<string, unknown> }) {
          calls.push('BrowserWindow');
          // Electron announces a window's web contents before the window can load anything.
          emitApp('web-contents-created', {}, this.webContents);
          windows.push(this);
        }
        focused = 0;
        once(): void {}
        show(): void {}
        isMinimized(): boolean {
          return false;
        }
        restore(): void {}
        focus(): void {
          this.focused++;
        }
        loadFile(file: string): Promise<void> {
          this.loaded = file;
          windowCreated();
          return Promise.resolve();
        }
      },
      ipcMain: {
        handle: (channel: string, h: typeof ipcHandler) => {
          assert.equal(channel, IPC_INVOKE_CHANNEL);
          ipcHandler = h;
        },
      },
      safeStorage: fakeSafeStorage,
      session: {
        defaultSession: new Proxy(session, {
          get(target, prop, receiver) {
            if (prop === 'setPermissionRequestHandler') calls.push('guardSession');
            return Reflect.get(target, prop, receiver) as unknown;
          },
        }),
      },
      shell: { openExternal: async (url: string) => void opened.push(url) },
    };
    const outfile = path.join(work, 'main', 'index.js');
    await bundle('main/electron/index.ts', outfile);
    loadBundle(outfile);
    await windowReady;
  });

  after(async () => {
    emitApp('before-quit');
    await new Promise((resolve) => setTimeout(resolve, 200)); // let services.close() finish its writes
    delete (globalThis as Record<string, unknown>).__ferryFakeElectron;
    if (savedDataDir === undefined) delete process.env.FERRY_DATA_DIR;
    else process.env.FERRY_DATA_DIR = savedDataDir;
    rmSync(work, { recursive: true, force: true });
  });

  test('sandboxes every renderer and guards the session before the first window exists', () => {
    assert.deepEqual(calls.slice(0, 5), [
      'enableSandbox',
      'singleInstanceLock',
      'whenReady',
      'guardSession',
      'BrowserWindow',
    ]);
    assertSessionGuarded(session, hostRenderer);
  });

  test('opens one window with the hardened preferences on the bundled renderer', () => {
    assert.equal(windows.length, 1);
    const [win] = windows;
    assert.deepEqual(
      win!.options.webPreferences,
      secureWebPreferences(path.join(work, 'preload', 'index.js')),
    );
    assert.equal(win!.loaded, path.join(hostRenderer, 'index.html'));
  });

  test('guards the web contents of its window: no navigation, webview, new window or untrusted link', () => {
    assertContentsGuarded(windows[0]!.webContents, hostRenderer, opened);
  });

  test('guards any other web contents too (devtools, anything spawned)', () => {
    const other = new FakeContents();
    emitApp('web-contents-created', {}, other);
    assertContentsGuarded(other, hostRenderer, opened);
  });

  test('a second start on the same data folder focuses this window instead of opening another', () => {
    emitApp('second-instance');
    assert.equal(windows.length, 1);
    assert.equal(windows[0]!.focused, 1);
  });

  test('answers IPC only from the app page, and validates every message', async () => {
    for (const url of [null, 'https://evil.example/', pathToFileURL('/etc/passwd').href, 'about:blank']) {
      const reply = await invoke({ name: 'host.info' }, url);
      assert.deepEqual(reply, {
        ok: false,
        error: { code: 'Forbidden', message: 'request from an unknown frame' },
      });
    }
    for (const message of [
      undefined,
      null,
      42,
      'host.info',
      { name: '__proto__' },
      { name: 'profiles.remove', arg: { id: '../../etc' } },
      { name: 'storage.listObjects', arg: { profileId: 'local', bucket: 'X', prefix: 1 } },
    ]) {
      const reply = await invoke(message);
      assert.equal(reply.ok, false, JSON.stringify(message));
      assert.match(reply.error!.code, /^(InvalidRequest|UnknownRequest)$/);
    }
    const info = await invoke({ name: 'host.info' });
    assert.equal(info.ok, true);
    assert.equal(info.result!.kind, 'electron');
  });

  test('keeps keys with safeStorage: encrypted on disk, never sent back to the renderer', async () => {
    const saved = await invoke({
      name: 'profiles.save',
      arg: {
        name: 'remote',
        provider: 's3',
        endpoint: 'http://127.0.0.1:9',
        region: 'us-east-1',
        accessKeyId: 'AKIDELECTRONHOST',
        secretAccessKey: SECRET,
      },
    });
    assert.equal(saved.ok, true, JSON.stringify(saved));
    assert.equal(saved.result!.secretStore, 'safe-storage');
    const listed = await invoke({ name: 'profiles.list' });
    const tail = await invoke({ name: 'logs.tail', arg: { limit: 5000 } });
    const file = readFileSync(path.join(userData, 'secrets', 'safe-storage.json'), 'utf8');
    const blob = (JSON.parse(file) as Record<string, string>).remote!;
    assert.equal(
      JSON.parse(fakeSafeStorage.decryptString(Buffer.from(blob, 'base64'))).secretAccessKey,
      SECRET,
    );
    assert.ok(!file.includes(SECRET) && !file.includes('AKIDELECTRONHOST'), 'no plaintext key on disk');
    const sent = JSON.stringify(windows[0]!.webContents.sent);
    assert.ok(windows[0]!.webContents.sent.every((s) => s.channel === IPC_EVENT_CHANNEL));
    assert.ok(sent.includes('account \\"remote\\" saved'), 'log events reach the window');
    // The access key id is not a secret: the account form shows it (issue 17), so the replies that
    // describe the account carry it; the log and the events still do not.
    for (const [what, text] of [
      ['the save reply', JSON.stringify(saved)],
      ['profiles.list', JSON.stringify(listed)],
    ] as const) {
      assert.ok(!text.includes(SECRET), `${what} holds the secret`);
      assert.ok(text.includes('AKIDELECTRONHOST'), `${what} shows the access key id`);
    }
    for (const [what, text] of [
      ['logs.tail', JSON.stringify(tail)],
      ['events sent to the window', sent],
      ['the log file', readFileSync(path.join(userData, 'logs', 'ferry.log'), 'utf8')],
    ] as const) {
      assert.ok(!text.includes(SECRET), `${what} holds the secret`);
      assert.ok(!text.includes('AKIDELECTRONHOST'), `${what} holds the access key id`);
    }
    assert.match(
      JSON.stringify(tail),
      /secrets: the operating system's credential store \(Electron safeStorage, fake_keychain\)/,
      'the log says which secret store is in use',
    );
  });

  test('gives back the upload slots of a window that reloads or closes mid-upload', async () => {
    const contents = windows[0]!.webContents;
    let n = 0;
    const begin = () =>
      invoke({
        name: 'uploads.begin',
        arg: { profileId: 'local', bucket: 'sample-photos', key: `dropped/${n++}.bin`, size: 10 },
      });
    const fillSlots = async (count: number) => {
      for (let i = 0; i < count; i++) {
        const reply = await begin();
        assert.equal(reply.ok, true, JSON.stringify(reply));
      }
      assert.equal((await begin()).error?.code, 'TooManyUploads', 'control: eight slots are taken');
    };
    const slotsFreed = async (what: string) => {
      for (const until = Date.now() + 5000; ;) {
        const reply = await begin();
        if (reply.ok) return;
        if (Date.now() > until) assert.fail(`${what}: ${JSON.stringify(reply)}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };

    await fillSlots(8);
    // A same-document navigation (history.pushState) is not a reload: the uploads go on.
    contents.emit('did-start-navigation', { isMainFrame: true, isSameDocument: true });
    await new Promise((r) => setTimeout(r, 50));
    assert.equal((await begin()).error?.code, 'TooManyUploads');
    contents.emit('did-start-navigation', { isMainFrame: true, isSameDocument: false });
    await slotsFreed('slots released after a reload'); // its successful probe holds one slot

    await fillSlots(7);
    contents.emit('destroyed');
    await slotsFreed('slots released after the window closed');
  });
});

describe('main/electron/index.ts as a second instance on the same data folder', () => {
  const work = mkdtempSync(path.join(os.tmpdir(), 'ferry-electron-second-'));
  const userData = path.join(work, 'userData');
  const calls: string[] = [];

  before(async () => {
    const savedDataDir = process.env.FERRY_DATA_DIR;
    delete process.env.FERRY_DATA_DIR;
    let quit: () => void;
    const quitting = new Promise<void>((resolve) => (quit = resolve));
    (globalThis as Record<string, unknown>).__ferryFakeElectron = {
      app: {
        enableSandbox: () => undefined,
        requestSingleInstanceLock: () => false,
        getPath: () => userData,
        setPath: () => undefined,
        whenReady: async () => void calls.push('whenReady'),
        on: () => undefined,
        quit: () => {
          calls.push('quit');
          quit();
        },
        exit: (code: number) => calls.push(`exit ${code}`),
      },
      BrowserWindow: class {
        static getAllWindows = () => [];
        constructor() {
          calls.push('BrowserWindow');
        }
      },
      ipcMain: { handle: () => calls.push('ipcMain.handle') },
      safeStorage: fakeSafeStorage,
      session: { defaultSession: new FakeSession() },
      shell: { openExternal: async () => undefined },
    };
    const outfile = path.join(work, 'main', 'index.js');
    await bundle('main/electron/index.ts', outfile);
    loadBundle(outfile);
    await quitting;
    if (savedDataDir !== undefined) process.env.FERRY_DATA_DIR = savedDataDir;
  });
  after(() => {
    delete (globalThis as Record<string, unknown>).__ferryFakeElectron;
    rmSync(work, { recursive: true, force: true });
  });

  test('quits before opening a window, answering IPC or touching the data folder', () => {
    assert.deepEqual(calls, ['quit']);
    assert.throws(() => readFileSync(path.join(userData, 'logs', 'ferry.log')), /ENOENT/);
  });
});

describe('preload/index.ts, run against a fake Electron', () => {
  const work = mkdtempSync(path.join(os.tmpdir(), 'ferry-preload-'));
  const exposed = new Map<string, unknown>();
  const invoked: unknown[][] = [];
  const listeners = new Map<string, Set<(...a: unknown[]) => void>>();

  before(async () => {
    (globalThis as Record<string, unknown>).__ferryFakeElectron = {
      contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
      ipcRenderer: {
        invoke: async (...args: unknown[]) => void invoked.push(args),
        on: (ch: string, l: (...a: unknown[]) => void) =>
          listeners.set(ch, new Set([...(listeners.get(ch) ?? []), l])),
        off: (ch: string, l: (...a: unknown[]) => void) => listeners.get(ch)?.delete(l),
      },
      webUtils: {
        getPathForFile: (f: { name?: string }) => {
          if (!f?.name) throw new TypeError('not a File');
          return `/home/ana/Desktop/${f.name}`;
        },
      },
    };
    const outfile = path.join(work, 'preload.js');
    await bundle('preload/index.ts', outfile);
    loadBundle(outfile);
  });
  after(() => {
    delete (globalThis as Record<string, unknown>).__ferryFakeElectron;
    rmSync(work, { recursive: true, force: true });
  });

  test('exposes window.ferry with invoke, on and pathForFile, and nothing else', () => {
    assert.deepEqual([...exposed.keys()], ['ferry']);
    const api = exposed.get('ferry') as Record<string, unknown>;
    assert.deepEqual(Object.keys(api).sort(), ['invoke', 'on', 'pathForFile']);
    assert.ok(
      Object.values(api).every((v) => typeof v === 'function'),
      'functions only: no ipcRenderer',
    );
  });

  test("pathForFile gives a dropped file's path from webUtils, and '' for anything that is not a file", () => {
    const api = exposed.get('ferry') as { pathForFile(f: unknown): string };
    assert.equal(api.pathForFile({ name: 'a b.jpg' }), '/home/ana/Desktop/a b.jpg');
    assert.equal(api.pathForFile('not a file'), '');
    assert.equal(invoked.length, 0, 'no request is sent for a path');
  });

  test('invoke sends only { name, arg } on the contract channel; on filters events and unsubscribes', async () => {
    const api = exposed.get('ferry') as {
      invoke(n: string, a: unknown): Promise<unknown>;
      on(e: string, l: (p: unknown) => void): () => void;
    };
    await api.invoke('host.info', { extra: 1 });
    assert.deepEqual(invoked, [[IPC_INVOKE_CHANNEL, { name: 'host.info', arg: { extra: 1 } }]]);
    const got: unknown[] = [];
    const off = api.on('log.line', (p) => got.push(p));
    assert.deepEqual([...listeners.keys()], [IPC_EVENT_CHANNEL]);
    const [listener] = listeners.get(IPC_EVENT_CHANNEL)!;
    listener!({ sender: 'ipc event object' }, { event: 'task.progress', payload: 1 });
    listener!({ sender: 'ipc event object' }, { event: 'log.line', payload: 2 });
    assert.deepEqual(got, [2], 'the listener sees payloads only, of its own event');
    off();
    assert.equal(listeners.get(IPC_EVENT_CHANNEL)!.size, 0);
  });
});
