/**
 * What an overwrite would replace: the copy dialog looks at the destination before the user confirms,
 * so "Overwrite" names the existing objects it replaces instead of replacing them silently. Objects are
 * looked up with a one-key listing each (the first CHECK_LIMIT sources, a few at a time); a folder
 * source is checked the same way for anything under where it would land.
 */
import { useEffect, useState } from 'react';
import type { ContractError, CopySource, Location } from '../../../preload/shared/contract';
import { folderDestinationPrefix, objectDestinationKey } from '../../../preload/shared/keys';
import { call, errorInfo } from '../../api';

export const CHECK_LIMIT = 50;
const IN_FLIGHT = 4;

export type OverwriteCheck =
  | { status: 'idle' }
  | { status: 'checking' }
  | {
      status: 'done';
      /** Destination keys of objects that exist and would be replaced (relative to the destination). */
      objects: string[];
      /** Destination folders (relative, ending in "/") that exist and would be merged into. */
      folders: string[];
      /** How many object sources were looked up, of how many. */
      checked: number;
      total: number;
    }
  | { status: 'error'; error: ContractError };

/**
 * A one-key listing rather than HEAD: a missing key is the common answer, and a HEAD 404 would be
 * logged as a failed request for every source. A key sorts before every longer key it prefixes, so
 * it is the first entry of the listing exactly when it exists.
 */
async function objectExists(profileId: string, bucket: string, key: string): Promise<boolean> {
  const page = await call('storage.listObjects', { profileId, bucket, prefix: key, maxKeys: 1 });
  return page.objects[0]?.key === key;
}

async function folderExists(profileId: string, bucket: string, prefix: string): Promise<boolean> {
  const page = await call('storage.listObjects', { profileId, bucket, prefix, maxKeys: 1 });
  return page.objects.length > 0 || page.prefixes.length > 0;
}

async function inBatches<T, R>(items: T[], size: number, run: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size)
    out.push(...(await Promise.all(items.slice(i, i + size).map(run))));
  return out;
}

/**
 * Looks at the destination for what the copy of `sources` would meet there. Also used without a
 * dialog: a drop that asks nothing first needs the same answer to know whether to ask.
 */
export async function checkOverwrite(sources: CopySource[], destination: Location): Promise<OverwriteCheck> {
  const { profileId, bucket, prefix } = destination;
  const objectSources = sources.filter((s) => !s.isFolder);
  const folderSources = sources.filter((s) => s.isFolder).slice(0, CHECK_LIMIT);
  const looked = objectSources.slice(0, CHECK_LIMIT);
  try {
    const objectKeys = looked.map((s) => objectDestinationKey(s.key, prefix));
    const folderPrefixes = folderSources.map((s) => folderDestinationPrefix(s.key, prefix));
    const objectsFound = await inBatches(objectKeys, IN_FLIGHT, (k) => objectExists(profileId, bucket, k));
    const foldersFound = await inBatches(folderPrefixes, IN_FLIGHT, (p) =>
      folderExists(profileId, bucket, p),
    );
    return {
      status: 'done',
      objects: objectKeys.filter((_, i) => objectsFound[i]).map((k) => k.slice(prefix.length)),
      folders: folderPrefixes.filter((_, i) => foldersFound[i]).map((p) => p.slice(prefix.length)),
      checked: looked.length,
      total: objectSources.length,
    };
  } catch (err) {
    return { status: 'error', error: errorInfo(err) };
  }
}

/** Which of these destination keys exist already (the first CHECK_LIMIT of them are looked up). */
export async function existingKeys(
  destination: Pick<Location, 'profileId' | 'bucket'>,
  keys: string[],
): Promise<string[]> {
  const looked = keys.slice(0, CHECK_LIMIT);
  const found = await inBatches(looked, IN_FLIGHT, (k) =>
    objectExists(destination.profileId, destination.bucket, k),
  );
  return looked.filter((_, i) => found[i]);
}

export function useOverwriteCheck(
  sources: CopySource[],
  destination: Location,
  enabled: boolean,
): OverwriteCheck {
  // The answer remembers what it answers, so a changed question reads as "checking" until answered.
  const [answer, setAnswer] = useState<{
    sources: CopySource[];
    destination: Location;
    check: OverwriteCheck;
  }>();
  useEffect(() => {
    if (!enabled) return;
    let current = true;
    void checkOverwrite(sources, destination).then((check) => {
      if (current) setAnswer({ sources, destination, check });
    });
    return () => {
      current = false;
    };
  }, [sources, destination, enabled]);
  if (!enabled) return { status: 'idle' };
  if (answer && answer.sources === sources && answer.destination === destination) return answer.check;
  return { status: 'checking' };
}
