/**
 * The Electron window's security settings, kept free of Electron imports so tests can assert them on
 * machines without the Electron binary (test/unit/electron-security.test.ts).
 */
import path from 'node:path';

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
  if (parsed.protocol !== 'file:') return false;
  const file = path.resolve(decodeURIComponent(parsed.pathname));
  return file === path.resolve(rendererDir) || file.startsWith(path.resolve(rendererDir) + path.sep);
}
