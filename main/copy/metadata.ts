/**
 * What a destination object is written with when the copy cannot carry metadata by itself.
 * Multipart copies (and every streamed copy) lose the source's metadata and tags unless they are
 * sent again with Initiate / PUT (docs/PROTOCOL.md §5.1), so COPY means "reproduce them from the HEAD".
 */
import type { CopyOptions } from '../../preload/shared/contract';
import type {
  ObjectHead,
  ObjectMetadata,
  ObjectRef,
  ObjectStore,
  RequestOptions,
  WriteOptions,
} from '../storage/provider';
import { isStorageError } from '../storage/errors';

const HEADER_FIELDS = [
  'contentType',
  'cacheControl',
  'contentDisposition',
  'contentEncoding',
  'contentLanguage',
  'expires',
] as const;

/**
 * REPLACE sends the whole metadata set (PROTOCOL.md §4: the service keeps nothing of the source's),
 * so "change only these fields" is built here from the object's own HEAD, one object at a time:
 * a folder of JPEGs and PDFs keeps each content type when only Cache-Control is changed.
 */
export function metadataFor(
  head: ObjectHead,
  options: Pick<CopyOptions, 'metadataDirective' | 'metadata' | 'metadataMerge'>,
): ObjectMetadata {
  if (options.metadataDirective !== 'REPLACE') return cloneMetadata(head.metadata);
  const given = options.metadata ?? { userMeta: {} };
  if (!options.metadataMerge) return cloneMetadata(given);
  const merged = cloneMetadata(head.metadata);
  for (const k of HEADER_FIELDS) if (given[k] !== undefined) merged[k] = given[k];
  merged.userMeta = { ...merged.userMeta, ...given.userMeta };
  return merged;
}

function cloneMetadata(m: ObjectMetadata): ObjectMetadata {
  const out: ObjectMetadata = { userMeta: { ...m.userMeta } };
  for (const k of HEADER_FIELDS) {
    if (m[k] !== undefined) out[k] = m[k];
  }
  return out;
}

/** A tags read started before the HEAD answered; it never rejects (a failure is read again later). */
export type EarlyTags = Promise<{ tags: Record<string, string> } | { failed: unknown }>;

/**
 * Starts reading the current version's tags now, alongside the source HEAD, instead of one round
 * trip after it. Only worth it where an Initiate or PUT will carry them (a CopyObject keeps them
 * server-side); the caller decides.
 */
export function readTagsEarly(store: ObjectStore, src: ObjectRef, opts: RequestOptions): EarlyTags {
  return store.getObjectTagging(src, opts).then(
    (tags) => ({ tags }),
    (failed: unknown) => ({ failed }),
  );
}

/**
 * The source's tags; read only when the HEAD says there are some or cannot say (S3 HEAD carries no
 * tag count). A provider that refuses tagging (501, 403) is noted, not fatal: the data matters more.
 * An early read is used for an unversioned source only: it names no version, and where there are
 * versions the copy is pinned to one. (Unversioned, a source replaced between the HEAD and that read
 * is caught by the look at the source before Complete / after the PUT, and the object starts over.)
 */
export async function sourceTags(
  store: ObjectStore,
  src: ObjectRef,
  head: ObjectHead,
  opts: RequestOptions,
  warn: (message: string) => void,
  early?: EarlyTags,
): Promise<Record<string, string>> {
  if (head.taggingCount === 0) return {};
  const read = early && !src.versionId ? await early : undefined;
  if (read && 'tags' in read) return read.tags;
  try {
    return await store.getObjectTagging(src, opts);
  } catch (err) {
    if (isStorageError(err) && (err.status === 501 || err.status === 403 || err.code === 'NotImplemented')) {
      warn(`tags of "${src.key}" could not be read (${err.code}); the copy is made without them`);
      return {};
    }
    throw err;
  }
}

export function encodeTags(tags: Record<string, string>): string | undefined {
  const entries = Object.entries(tags);
  if (entries.length === 0) return undefined;
  return entries.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
}

/** The inverse of `encodeTags`. */
export function decodeTags(tagging: string): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const pair of tagging.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const key = eq < 0 ? pair : pair.slice(0, eq);
    tags[decodeURIComponent(key)] = eq < 0 ? '' : decodeURIComponent(pair.slice(eq + 1));
  }
  return tags;
}

/**
 * After a multipart or streamed write: the tags sent with Initiate / PUT are on the destination.
 * Ceph RGW (16.2) accepts `x-amz-tagging` on CreateMultipartUpload and silently drops it, so the
 * tags are read back and, where they differ, set with PutObjectTagging. Idempotent, so it also runs
 * after a resume that found the upload already completed.
 */
export async function ensureTags(
  store: ObjectStore,
  dst: ObjectRef,
  tagging: string | undefined,
  opts: RequestOptions,
  log: { info(message: string): void; warn(message: string): void },
): Promise<void> {
  if (!tagging) return;
  const want = decodeTags(tagging);
  let have: Record<string, string>;
  try {
    have = await store.getObjectTagging(dst, opts);
  } catch (err) {
    if (isStorageError(err) && (err.status === 501 || err.status === 403 || err.code === 'NotImplemented')) {
      log.warn(`tags of "${dst.key}" could not be checked (${err.code}); they may be missing`);
      return;
    }
    throw err;
  }
  const same =
    Object.keys(have).length === Object.keys(want).length &&
    Object.entries(want).every(([k, v]) => have[k] === v);
  if (same) return;
  log.info(`the tags of "${dst.key}" were not stored with the upload; setting them`);
  await store.putObjectTagging(dst, want, opts);
}

export async function writeOptionsFor(
  store: ObjectStore,
  src: ObjectRef,
  head: ObjectHead,
  options: CopyOptions,
  opts: RequestOptions,
  warn: (message: string) => void,
  early?: EarlyTags,
): Promise<WriteOptions> {
  const write: WriteOptions = { metadata: metadataFor(head, options) };
  // Storage class names differ between providers, so only an explicit choice is sent.
  if (options.storageClass) write.storageClass = options.storageClass;
  const tagging = encodeTags(await sourceTags(store, src, head, opts, warn, early));
  if (tagging) write.tagging = tagging;
  return write;
}
