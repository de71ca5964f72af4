import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, test } from 'node:test';
import { ELECTRON_CSP, isAppUrl, secureWebPreferences } from '../../main/electron/window-security';
import { contentSecurityPolicy } from '../../main/web/server';

const rendererDir = path.resolve('/opt/Ferry/resources/app.asar/dist/renderer');
const indexSource = readFileSync(path.join(__dirname, '..', '..', 'main', 'index.ts'), 'utf8');

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...values]) => [name!, values]),
  );
}

describe('Electron window hardening', () => {
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
      assert.deepEqual(d.get('object-src') ?? d.get('default-src'), ["'none'"]);
      assert.deepEqual(d.get('base-uri'), ["'none'"]);
      assert.deepEqual(d.get('frame-ancestors'), ["'none'"]);
      assert.deepEqual(d.get('form-action'), ["'none'"]);
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|unsafe-hashes|wasm-unsafe-eval|\*|https?:/);
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

describe('main/index.ts registers the navigation and permission guards', () => {
  test('prevents navigation away from the app', () => {
    assert.match(
      indexSource,
      /on\(\s*'will-navigate',\s*\(event, url\)\s*=>\s*\{\s*if \(!isAppUrl\(url, rendererDir\)\) event\.preventDefault\(\);/,
    );
    assert.match(indexSource, /on\(\s*'will-attach-webview',\s*\(event\)\s*=>\s*event\.preventDefault\(\)\)/);
  });

  test('denies every window.open and opens only https links externally', () => {
    const handler = /setWindowOpenHandler\(\(\{ url \}\) => \{([\s\S]*?)\n {2}\}\);/.exec(indexSource);
    assert.ok(handler, 'setWindowOpenHandler is not registered');
    const body = handler[1]!;
    assert.match(body, /return \{ action: 'deny' \};\s*$/);
    assert.doesNotMatch(body, /action: 'allow'/);
    assert.match(body, /if \(url\.startsWith\('https:\/\/'\)\) void shell\.openExternal\(url\);/);
  });

  test('calls shell.openExternal nowhere but behind an https check', () => {
    const calls = indexSource.split('\n').filter((line) => line.includes('openExternal'));
    assert.ok(calls.length >= 1);
    for (const line of calls)
      assert.match(line, /url\.startsWith\('https:\/\/'\)\) void shell\.openExternal\(url\)/);
  });

  test('denies permission requests and permission checks', () => {
    assert.match(indexSource, /setPermissionRequestHandler\(\([^)]*\) => callback\(false\)\)/);
    assert.match(indexSource, /setPermissionCheckHandler\(\(\) => false\)/);
  });

  test('applies the CSP to every response and blocks remote requests', () => {
    assert.match(indexSource, /'Content-Security-Policy': \[ELECTRON_CSP\]/);
    assert.match(indexSource, /onBeforeRequest\([\s\S]*?cancel: !\(details\.url\.startsWith\('file:'\)/);
  });

  test('uses the hardened web preferences and checks the sender of every IPC call', () => {
    assert.match(indexSource, /webPreferences: secureWebPreferences\(preloadPath\)/);
    assert.match(
      indexSource,
      /if \(!event\.senderFrame \|\| !isAppUrl\(event\.senderFrame\.url, rendererDir\)\)/,
    );
    assert.match(indexSource, /dispatch\(active\.handlers, m\.name, m\.arg/);
  });
});
