/**
 * The places "This computer" offers in the sidebar: home, the platform's Downloads, Desktop and
 * Documents (known-folders.ts; only those that exist), the folders the person pinned (saved in the
 * settings as addresses), and the roots (drives on Windows). Each is a bucket and a prefix of the
 * computer provider, so a pane opens it like any folder of a bucket.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { ComputerPlace, Settings } from '../../preload/shared/contract';
import { StorageError } from '../storage/errors';
import { addressOfPath, displayPath, pathOfAddress } from '../storage/computer/addressing';
import { knownFolders } from '../storage/computer/known-folders';
import type { ObjectStore } from '../storage/provider';

export interface LocationDeps {
  store: ObjectStore;
  settings: { get(): Settings; set(patch: Partial<Settings>): Promise<Settings> };
  platform?: NodeJS.Platform;
  home?: string;
}

/** The most folders a person can pin (the sidebar is no file manager). */
export const MAX_PINNED = 50;

async function isFolder(p: string | undefined): Promise<boolean> {
  if (!p) return false;
  try {
    return (await fs.stat(p)).isDirectory();
  } catch {
    return false;
  }
}

function nameOf(shown: string): string {
  const parts = shown.split(/[\\/]/).filter(Boolean);
  return parts.at(-1) ?? shown;
}

export async function computerPlaces(deps: LocationDeps): Promise<ComputerPlace[]> {
  const platform = deps.platform ?? process.platform;
  const places: ComputerPlace[] = [];
  for (const folder of await knownFolders({ platform, home: deps.home })) {
    // The real path: a home reached through a link still gets an address with no link on the way.
    const real = await fs.realpath(folder.path).catch(() => folder.path);
    const address = addressOfPath(real, platform, true);
    if (!address) continue;
    const shown = displayPath(address, platform);
    places.push({
      kind: folder.kind,
      name: nameOf(shown),
      path: shown,
      bucket: address.bucket,
      prefix: address.key,
    });
  }
  for (const pin of deps.settings.get().pinnedFolders ?? []) {
    const shown = displayPath({ bucket: pin.bucket, key: pin.prefix }, platform);
    places.push({
      kind: 'pinned',
      name: nameOf(shown),
      path: shown,
      bucket: pin.bucket,
      prefix: pin.prefix,
      // A pinned folder that went away stays pinned (a drive unplugged), shown as missing.
      missing: !(await isFolder(pathOfAddress({ bucket: pin.bucket, key: pin.prefix }, platform))),
    });
  }
  for (const b of await deps.store.listBuckets()) {
    const shown = displayPath({ bucket: b.name, key: '' }, platform);
    places.push({ kind: 'root', name: shown, path: shown, bucket: b.name, prefix: '' });
  }
  return places;
}

function folderPrefix(prefix: string): string {
  return prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`;
}

export async function pinFolder(
  deps: LocationDeps,
  bucket: string,
  prefix: string,
): Promise<ComputerPlace[]> {
  const platform = deps.platform ?? process.platform;
  const key = folderPrefix(prefix);
  const where = pathOfAddress({ bucket, key }, platform);
  if (!(await isFolder(where))) {
    throw new StorageError({
      status: 400,
      code: 'NotAFolder',
      message: `"${displayPath({ bucket, key }, platform)}" is not a folder on this computer, so it cannot be pinned`,
    });
  }
  const pins = deps.settings.get().pinnedFolders ?? [];
  if (!pins.some((p) => p.bucket === bucket && p.prefix === key)) {
    if (pins.length >= MAX_PINNED)
      throw new StorageError({
        status: 400,
        code: 'TooManyPins',
        message: `at most ${MAX_PINNED} folders can be pinned; unpin one first`,
      });
    await deps.settings.set({ pinnedFolders: [...pins, { bucket, prefix: key }] });
  }
  return computerPlaces(deps);
}

export async function unpinFolder(
  deps: LocationDeps,
  bucket: string,
  prefix: string,
): Promise<ComputerPlace[]> {
  const key = folderPrefix(prefix);
  const pins = deps.settings.get().pinnedFolders ?? [];
  const kept = pins.filter((p) => !(p.bucket === bucket && p.prefix === key));
  if (kept.length !== pins.length) await deps.settings.set({ pinnedFolders: kept });
  return computerPlaces(deps);
}

/** Dropped desktop paths as addresses; the file's own name is kept even if it is a link (then refused by the copy). */
export async function resolveDroppedPaths(
  paths: string[],
  platform: NodeJS.Platform = process.platform,
): Promise<{ path: string; bucket?: string; key?: string; isFolder?: boolean; error?: string }[]> {
  const api = platform === 'win32' ? path.win32 : path.posix;
  return Promise.all(
    paths.map(async (p) => {
      if (!api.isAbsolute(p)) return { path: p, error: 'not a full path on this computer' };
      try {
        const st = await fs.lstat(p);
        // The folder above by its real path: keys never go through a link (a macOS /tmp, a linked home).
        const dir = await fs.realpath(api.dirname(p));
        const address = addressOfPath(api.join(dir, api.basename(p)), platform, st.isDirectory());
        if (!address || address.key === '') return { path: p, error: 'Ferry cannot address this path' };
        return { path: p, bucket: address.bucket, key: address.key, isFolder: st.isDirectory() };
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        return {
          path: p,
          error:
            code === 'ENOENT'
              ? 'it is no longer there'
              : code === 'EACCES'
                ? 'permission denied'
                : String(code),
        };
      }
    }),
  );
}
