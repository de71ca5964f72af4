/**
 * What stands between a key and the file it names in a Local bucket. Two rules, checked on the
 * folders and files that exist, from the bucket folder down:
 *
 * - No symbolic link is followed. A link inside a bucket (or a bucket that is a link) could point
 *   anywhere, and reading, writing or deleting through it would reach files outside the data folder.
 *   Each existing segment is `lstat`ed; a link is refused with an error that says so. Reads also open
 *   the file with O_NOFOLLOW, and writes check again just before the rename that puts the file in
 *   place, so a folder swapped for a link while the bytes were written is caught.
 * - On a platform whose file system folds names (case on Windows, case and normalisation on macOS),
 *   a key whose segment lands on an existing entry of another name is another object's file: writing
 *   it is refused (KeyCollision), reading it finds nothing.
 */
import { constants } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { StorageError } from '../errors';
import { collidingName, foldsNames, type NamePlatform } from './platform-names';

export type PathUse = 'read' | 'write';

export function linkRefused(bucket: string, what: string, link: string): StorageError {
  return new StorageError({
    status: 403,
    code: 'SymbolicLinkRefused',
    message:
      `${what} in the Local bucket "${bucket}" goes through the symbolic link "${link}"; Ferry does not ` +
      'follow links in Local buckets, so nothing outside the data folder is read, written or deleted',
  });
}

function collision(bucket: string, key: string, existing: string, platform: NamePlatform, use: PathUse) {
  const system = platform === 'win32' ? 'Windows' : 'macOS';
  if (use === 'read') {
    return new StorageError({
      status: 404,
      code: 'NoSuchKey',
      message: `the object "${key}" does not exist ("${existing}" is there, another key that ${system} stores as the same file)`,
    });
  }
  return new StorageError({
    status: 409,
    code: 'KeyCollision',
    message:
      `the key "${key}" cannot be stored in the Local bucket "${bucket}": ${system} would store it as ` +
      `the same file as "${existing}" (names differing only in case or Unicode normalisation are one file there)`,
  });
}

const isMissing = (err: unknown) => {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
};

/**
 * Checks the bucket folder and each existing segment of `segments` under it (see above). Segments
 * past the first one that does not exist are not checked: nothing stands there yet.
 */
export async function guardPath(
  bucketDir: string,
  bucket: string,
  key: string,
  segments: readonly string[],
  platform: NamePlatform,
  use: PathUse,
  refuse: (bucket: string, what: string, link: string) => StorageError = linkRefused,
): Promise<void> {
  const what = key ? `the object "${key}"` : 'a listing';
  try {
    if ((await fs.lstat(bucketDir)).isSymbolicLink()) throw refuse(bucket, `the bucket "${bucket}"`, bucket);
  } catch (err) {
    if (isMissing(err)) return;
    throw err;
  }
  let current = bucketDir;
  const shown: string[] = [bucket];
  for (const segment of segments) {
    if (segment === '') continue;
    if (foldsNames(platform)) {
      let names: string[];
      try {
        names = await fs.readdir(current);
      } catch (err) {
        if (isMissing(err)) return;
        throw err;
      }
      const other = collidingName(names, segment, platform);
      if (other !== undefined)
        throw collision(bucket, key, [...shown.slice(1), other].join('/'), platform, use);
    }
    current = path.join(current, segment);
    shown.push(segment);
    try {
      if ((await fs.lstat(current)).isSymbolicLink()) throw refuse(bucket, what, shown.slice(1).join('/'));
    } catch (err) {
      if (isMissing(err)) return;
      throw err;
    }
  }
}

/** Opening flags that refuse a link as the file itself (Windows has no O_NOFOLLOW; links there need privileges). */
export const READ_NO_FOLLOW = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0);

/** The file was opened through a link (ELOOP from O_NOFOLLOW): say so like every other refusal. */
export function isLinkOpenError(err: unknown): boolean {
  return (err as NodeJS.ErrnoException).code === 'ELOOP';
}
