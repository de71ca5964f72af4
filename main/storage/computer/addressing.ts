/**
 * How a path on this computer becomes a bucket and a key of the computer provider, and back.
 *
 * The buckets are the disk's roots — `root` for `/` on Linux and macOS, `drive-c` for `C:\` on
 * Windows — and a key is the path below the root with `/` between the names (a folder's key ends in
 * `/`). Home, Downloads and pinned folders are places inside a root, not buckets of their own, so
 * every file has exactly one address: the copy engine's checks (a folder into itself, a name
 * another task is writing, a checkpoint's keys) compare addresses and would miss two names for one
 * file. Pure, with the platform a parameter, so Linux tests cover Windows' rules.
 */
import path from 'node:path';
import type { NamePlatform } from '../local/platform-names';

export { COMPUTER_PROFILE_ID } from '../../accounts/profiles';

/** The bucket of the POSIX root. */
export const POSIX_ROOT_BUCKET = 'root';

export interface ComputerAddress {
  bucket: string;
  /** '' for the root itself; ends in `/` for a folder. */
  key: string;
}

function pathApi(platform: NamePlatform): path.PlatformPath {
  return platform === 'win32' ? path.win32 : path.posix;
}

/** The bucket of a Windows drive letter (`C` → `drive-c`). */
export function driveBucket(letter: string): string {
  return `drive-${letter.toLowerCase()}`;
}

/** The folder a bucket stands for (`/`, `C:\`), or undefined when it names no root of this platform. */
export function rootOfBucket(bucket: string, platform: NamePlatform): string | undefined {
  if (platform === 'win32') {
    const m = /^drive-([a-z])$/.exec(bucket);
    return m ? `${m[1]!.toUpperCase()}:\\` : undefined;
  }
  return bucket === POSIX_ROOT_BUCKET ? '/' : undefined;
}

/**
 * The address of an absolute path. `folder` marks it as a folder (its key ends in `/`). Paths are
 * normalised first (`a/./b/../c` is `a/c`); a UNC path (`\\server\share`) has no drive and no address.
 */
export function addressOfPath(
  absolute: string,
  platform: NamePlatform,
  folder = false,
): ComputerAddress | undefined {
  const api = pathApi(platform);
  if (!api.isAbsolute(absolute)) return undefined;
  const normal = api.normalize(absolute);
  let bucket: string;
  let rest: string;
  if (platform === 'win32') {
    const m = /^([A-Za-z]):[\\/]?(.*)$/s.exec(normal);
    if (!m) return undefined;
    bucket = driveBucket(m[1]!);
    rest = m[2]!.split('\\').join('/');
  } else {
    bucket = POSIX_ROOT_BUCKET;
    rest = normal.slice(1);
  }
  rest = rest.replace(/\/+$/, '');
  if (rest === '') return { bucket, key: '' };
  return { bucket, key: folder ? `${rest}/` : rest };
}

/** The absolute path of an address (no checks: the store's path guard does those). */
export function pathOfAddress(address: ComputerAddress, platform: NamePlatform): string | undefined {
  const root = rootOfBucket(address.bucket, platform);
  if (root === undefined) return undefined;
  const api = pathApi(platform);
  const names = address.key.split('/').filter((s) => s !== '');
  return names.length ? api.join(root, ...names) : root;
}

/** How a person writes the place: `/home/ana/Downloads/`, `C:\Users\ana\`. */
export function displayPath(address: ComputerAddress, platform: NamePlatform): string {
  const shown = pathOfAddress(address, platform) ?? `${address.bucket}/${address.key}`;
  const sep = platform === 'win32' ? '\\' : '/';
  return address.key.endsWith('/') && !shown.endsWith(sep) ? shown + sep : shown;
}
