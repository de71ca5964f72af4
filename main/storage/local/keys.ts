/**
 * How object keys map onto a file system. A key is split at `/`; every segment becomes a file or
 * folder name. Keys that a file system cannot hold faithfully (empty segments from `//` or a leading
 * `/`, `.` and `..` segments, NUL bytes, segments over 255 bytes) are refused with a clear error
 * instead of being silently rewritten — a copy must never land under another name.
 */
import path from 'node:path';
import { StorageError } from '../errors';
import { segmentProblem, type NamePlatform } from './platform-names';

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export function assertBucketName(bucket: string, platform: NamePlatform = process.platform): void {
  if (!BUCKET_NAME.test(bucket) || bucket.includes('..')) {
    throw new StorageError({
      status: 400,
      code: 'InvalidBucketName',
      message: `"${bucket}" is not a valid bucket name (3–63 lower-case letters, digits, hyphens or dots)`,
    });
  }
  // A bucket is a folder too: "con" or "nul.x" is a valid bucket name but a device on Windows.
  const problem = segmentProblem(bucket, platform);
  if (problem) {
    throw new StorageError({
      status: 400,
      code: 'InvalidBucketName',
      message: `"${bucket}" cannot be a Local bucket on this computer: ${problem}`,
    });
  }
}

function invalidKey(key: string, why: string): StorageError {
  const shown = key.length > 80 ? `${key.slice(0, 77)}…` : key;
  return new StorageError({
    status: 400,
    code: 'InvalidObjectName',
    message: `the key "${shown}" cannot be stored in a Local bucket: ${why}`,
  });
}

/**
 * The key's path segments; a trailing `/` marks a folder object and yields a final empty segment.
 * `platform` decides which names the file system can hold (platform-names.ts).
 */
export function keySegments(key: string, platform: NamePlatform = process.platform): string[] {
  if (key.length === 0) throw invalidKey(key, 'it is empty');
  if (Buffer.byteLength(key) > 1024) throw invalidKey(key, 'it is longer than 1,024 bytes');
  if (key.includes('\0')) throw invalidKey(key, 'it contains a NUL byte');
  const segments = key.split('/');
  const isFolder = key.endsWith('/');
  const named = isFolder ? segments.slice(0, -1) : segments;
  for (const segment of named) {
    if (segment === '') throw invalidKey(key, 'it has an empty path segment (a leading "/" or "//")');
    if (segment === '.' || segment === '..') throw invalidKey(key, `it has a "${segment}" path segment`);
    if (Buffer.byteLength(segment) > 255)
      throw invalidKey(key, 'one of its path segments is longer than 255 bytes');
    if (segment.startsWith('.ferry-')) throw invalidKey(key, 'names starting with ".ferry-" are reserved');
    const problem = segmentProblem(segment, platform);
    if (problem) throw invalidKey(key, problem);
  }
  return segments;
}

/** Absolute file path of an object (for a folder object, its directory). Never escapes the bucket. */
export function objectPath(
  root: string,
  bucket: string,
  key: string,
  platform: NamePlatform = process.platform,
): string {
  assertBucketName(bucket, platform);
  return pathInFolder(path.join(root, bucket), key, platform);
}

/** The file of `key` below `bucketDir` (any folder a bucket maps to). Never escapes it. */
export function pathInFolder(
  bucketDir: string,
  key: string,
  platform: NamePlatform = process.platform,
): string {
  const segments = keySegments(key, platform).filter((s) => s !== '');
  const full = path.join(bucketDir, ...segments);
  const inside = bucketDir.endsWith(path.sep) ? bucketDir : bucketDir + path.sep;
  if (full !== bucketDir && !full.startsWith(inside)) throw invalidKey(key, 'it leaves the bucket');
  return full;
}

/** Compares keys in UTF-8 byte order, the order S3 and OSS list in. */
export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}
