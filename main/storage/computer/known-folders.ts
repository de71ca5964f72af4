/**
 * The folders a person expects to find on their computer: home, Downloads, Desktop and Documents.
 *
 * - Linux: the XDG user dirs (`$XDG_CONFIG_HOME/user-dirs.dirs`, written by xdg-user-dirs-update in
 *   the person's language: `XDG_DOWNLOAD_DIR="$HOME/Téléchargements"`), else `~/Downloads` and so on.
 * - Windows: the known folders as Explorer records them (`User Shell Folders` in the registry, where a
 *   person who moved Documents to D:\ finds it), else `%USERPROFILE%\Downloads` and so on.
 * - macOS: `~/Downloads`, `~/Desktop`, `~/Documents` (fixed names, localised only on screen).
 *
 * Only folders that exist are offered. The parsers are pure so Linux tests cover every platform.
 */
import { execFile } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { NamePlatform } from '../local/platform-names';

export type KnownFolderKind = 'home' | 'downloads' | 'desktop' | 'documents';

export interface KnownFolder {
  kind: KnownFolderKind;
  path: string;
}

const XDG_NAMES: Record<string, KnownFolderKind> = {
  XDG_DOWNLOAD_DIR: 'downloads',
  XDG_DESKTOP_DIR: 'desktop',
  XDG_DOCUMENTS_DIR: 'documents',
};

/**
 * Reads `user-dirs.dirs`: lines `XDG_NAME_DIR="$HOME/Name"` or an absolute path, `#` comments.
 * A folder set to `$HOME/` alone means "none" (xdg-user-dirs' convention), so it is left out.
 */
export function parseXdgUserDirs(text: string, home: string): Partial<Record<KnownFolderKind, string>> {
  const found: Partial<Record<KnownFolderKind, string>> = {};
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*(XDG_[A-Z]+_DIR)\s*=\s*"((?:[^"\\]|\\.)*)"\s*$/.exec(line);
    if (!m) continue;
    const kind = XDG_NAMES[m[1]!];
    if (!kind) continue;
    const value = m[2]!.replace(/\\(.)/g, '$1');
    let resolved: string;
    if (value === '$HOME' || value === '$HOME/') continue;
    if (value.startsWith('$HOME/')) resolved = path.posix.join(home, value.slice('$HOME/'.length));
    else if (value.startsWith('/')) resolved = value;
    else continue; // relative paths are not allowed by the format
    found[kind] = resolved;
  }
  return found;
}

// Explorer's value names under HKCU\Software\Microsoft\Windows\CurrentVersion\Explorer\User Shell Folders.
const WINDOWS_VALUES: Record<string, KnownFolderKind> = {
  '{374DE290-123F-4565-9164-39C4925E467B}': 'downloads',
  Desktop: 'desktop',
  Personal: 'documents',
};

/**
 * Reads `reg query "HKCU\...\User Shell Folders"` output (`    Personal    REG_EXPAND_SZ    %USERPROFILE%\Documents`),
 * expanding `%VARIABLES%` from `env`.
 */
export function parseWindowsShellFolders(
  output: string,
  env: Record<string, string | undefined>,
): Partial<Record<KnownFolderKind, string>> {
  const found: Partial<Record<KnownFolderKind, string>> = {};
  const upperEnv = new Map(Object.entries(env).map(([k, v]) => [k.toUpperCase(), v]));
  for (const line of output.split(/\r?\n/)) {
    const m = /^\s+(\S+)\s+REG_(?:EXPAND_)?SZ\s+(.+?)\s*$/.exec(line);
    if (!m) continue;
    const kind = WINDOWS_VALUES[m[1]!];
    if (!kind) continue;
    let unresolved = false;
    const value = m[2]!.replace(/%([^%]+)%/g, (_all, name: string) => {
      const v = upperEnv.get(name.toUpperCase());
      if (v === undefined) unresolved = true;
      return v ?? '';
    });
    if (!unresolved && path.win32.isAbsolute(value)) found[kind] = value;
  }
  return found;
}

function defaults(home: string, platform: NamePlatform): Record<Exclude<KnownFolderKind, 'home'>, string> {
  const join = platform === 'win32' ? path.win32.join : path.posix.join;
  return {
    downloads: join(home, 'Downloads'),
    desktop: join(home, 'Desktop'),
    documents: join(home, 'Documents'),
  };
}

/** Candidates in display order, before checking they exist. */
export function knownFolderCandidates(
  home: string,
  platform: NamePlatform,
  overrides: Partial<Record<KnownFolderKind, string>>,
): KnownFolder[] {
  const fallback = defaults(home, platform);
  return [
    { kind: 'home', path: home },
    ...(['downloads', 'desktop', 'documents'] as const).map((kind) => ({
      kind,
      path: overrides[kind] ?? fallback[kind],
    })),
  ];
}

async function isFolder(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
}

function readRegistry(): Promise<string> {
  return new Promise((resolve) => {
    execFile(
      'reg',
      ['query', 'HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Explorer\\User Shell Folders'],
      { timeout: 5000, windowsHide: true },
      (err, stdout) => resolve(err ? '' : stdout),
    );
  });
}

/** This computer's known folders that exist, home first. */
export async function knownFolders(
  options: { home?: string; platform?: NamePlatform; env?: NodeJS.ProcessEnv } = {},
): Promise<KnownFolder[]> {
  const platform = options.platform ?? process.platform;
  const env = options.env ?? process.env;
  const home = options.home ?? os.homedir();
  let overrides: Partial<Record<KnownFolderKind, string>> = {};
  if (platform === 'win32') {
    overrides = parseWindowsShellFolders(await readRegistry(), env);
  } else if (platform !== 'darwin') {
    const config = env.XDG_CONFIG_HOME || path.join(home, '.config');
    try {
      overrides = parseXdgUserDirs(await readFile(path.join(config, 'user-dirs.dirs'), 'utf8'), home);
    } catch {
      // no user-dirs.dirs: the English defaults
    }
  }
  const candidates = knownFolderCandidates(home, platform, overrides);
  const exists = await Promise.all(candidates.map((c) => isFolder(c.path)));
  // A Downloads set to home itself is home, already first.
  return candidates.filter((c, i) => exists[i] && (c.kind === 'home' || c.path !== home));
}
