/**
 * The command line's path rule: an argument that starts with `/`, `./`, `../`, `~` or a drive letter
 * (`C:\`) — or is `.`, `..` or `~` — is a path on this computer, not an account address. It becomes
 * an address of the computer provider (`computer:root/home/ana/Downloads/`), so `ferry cp` and
 * `ferry ls` treat it like any bucket: same tasks, same `ferry resume`, same exit codes.
 *
 * An existing folder is a folder whether or not it ends in `/` (as `cp a.txt ~/Downloads` means
 * "into Downloads"); anything else is taken as typed, a trailing separator making it a folder.
 */
import { statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { addressOfPath, COMPUTER_PROFILE_ID, displayPath } from '../storage/computer/addressing';
import type { NamePlatform } from '../storage/local/platform-names';
import { UsageError } from './errors';

export interface PathContext {
  platform: NamePlatform;
  home: string;
  cwd: string;
  isFolder(absolute: string): boolean;
}

export function currentPathContext(): PathContext {
  return {
    platform: process.platform,
    home: os.homedir(),
    cwd: process.cwd(),
    isFolder: (p) => {
      try {
        return statSync(p).isDirectory();
      } catch {
        return false;
      }
    },
  };
}

const DRIVE = /^[A-Za-z]:[\\/]/;

/** Whether `text` is a path on this computer by the rule above. */
export function looksLikePath(text: string, platform: NamePlatform): boolean {
  if (text === '.' || text === '..' || text === '~') return true;
  if (/^(\/|\.\/|\.\.\/|~\/)/.test(text)) return true;
  if (DRIVE.test(text)) return true;
  return platform === 'win32' && /^(\\|\.\\|\.\.\\|~\\)/.test(text);
}

/** The computer provider's address of a path argument (see looksLikePath). */
export function parseLocalPath(
  text: string,
  ctx: PathContext,
): { profile: string; bucket: string; key: string } {
  const api = ctx.platform === 'win32' ? path.win32 : path.posix;
  if (text.includes('\0')) throw new UsageError('a path cannot contain a NUL byte');
  if (DRIVE.test(text) && ctx.platform !== 'win32')
    throw new UsageError(`"${text}" is a Windows path; this computer has no drive letters`);
  let expanded = text;
  if (text === '~' || /^~[\\/]/.test(text)) expanded = ctx.home + text.slice(1);
  const absolute = api.resolve(ctx.cwd, expanded);
  const endsInSeparator = /[\\/]$/.test(text) || text === '.' || text === '..' || text === '~';
  const folder = endsInSeparator || ctx.isFolder(absolute);
  const address = addressOfPath(absolute, ctx.platform, folder);
  if (!address) throw new UsageError(`"${text}" is not a path Ferry can reach (a network share?)`);
  return { profile: COMPUTER_PROFILE_ID, ...address };
}

/** How the CLI prints a key of the computer provider: as the path it is. */
export function shownLocalKey(
  bucket: string,
  key: string,
  platform: NamePlatform = process.platform,
): string {
  return displayPath({ bucket, key }, platform);
}
