/**
 * The Electron window's security settings, kept free of Electron imports so tests can assert them on
 * machines without the Electron binary (test/unit/electron-security.test.ts).
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
