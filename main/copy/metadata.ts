/**
 * What a destination object is written with when the copy cannot carry metadata by itself.
 * Multipart copies (and every streamed copy) lose the source's metadata and tags unless they are
 * sent again with Initiate / PUT (PROTOCOL.md §5.1), so COPY means "reproduce them from the HEAD".
 */
import type { CopyOptions } from '../../preload/contract';
import type {
  ObjectHead,
  ObjectMetadata,
  ObjectRef,
  ObjectStore,
  RequestOptions,
  WriteOptions,
} from '../storage/provider';
import { isStorageError } from '../storage/errors';

export function metadataFor(
  head: ObjectHead,
  options: Pick<CopyOptions, 'metadataDirective' | 'metadata'>,
): ObjectMetadata {
  if (options.metadataDirective === 'REPLACE') return cloneMetadata(options.metadata ?? { userMeta: {} });
  return cloneMetadata(head.metadata);
}

function cloneMetadata(m: ObjectMetadata): ObjectMetadata {
  const out: ObjectMetadata = { userMeta: { ...m.userMeta } };
  for (const k of [
    'contentType',
    'cacheControl',
    'contentDisposition',
    'contentEncoding',
    'contentLanguage',
    'expires',
  ] as const) {
    if (m[k] !== undefined) out[k] = m[k];
  }
  return out;
}

/**
 * The source's tags; read only when the HEAD says there are some or cannot say (S3 HEAD carries no
 * tag count). A provider that refuses tagging (501, 403) is noted, not fatal: the data matters more.
 */
export async function sourceTags(
  store: ObjectStore,
  src: ObjectRef,
  head: ObjectHead,
  opts: RequestOptions,
  warn: (message: string) => void,
): Promise<Record<string, string>> {
  if (head.taggingCount === 0) return {};
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

export async function writeOptionsFor(
  store: ObjectStore,
  src: ObjectRef,
  head: ObjectHead,
  options: CopyOptions,
  opts: RequestOptions,
  warn: (message: string) => void,
): Promise<WriteOptions> {
  const write: WriteOptions = { metadata: metadataFor(head, options) };
  // Storage class names differ between providers, so only an explicit choice is sent.
  if (options.storageClass) write.storageClass = options.storageClass;
  const tagging = encodeTags(await sourceTags(store, src, head, opts, warn));
  if (tagging) write.tagging = tagging;
  return write;
}
