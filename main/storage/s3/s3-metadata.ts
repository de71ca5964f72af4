/**
 * Object metadata ⇄ S3 headers. Values go out as UTF-8 bytes and come back the same way
 * (`toHeaderBytes`/`fromHeaderBytes`), so a non-ASCII `x-amz-meta-*` value or filename in
 * Content-Disposition survives HEAD → Create/Copy unchanged (docs/PROTOCOL.md §1.1, §5.1).
 */
import { invalidInput } from '../errors';
import { fromHeaderBytes, toHeaderBytes } from '../encoding';
import type { ObjectHead, ObjectMetadata, ServerSideEncryption, WriteOptions } from '../provider';
import { normalizeEtag } from '../../../preload/shared/etag';

const SYSTEM_HEADERS: [keyof Omit<ObjectMetadata, 'userMeta'>, string][] = [
  ['contentType', 'content-type'],
  ['cacheControl', 'cache-control'],
  ['contentDisposition', 'content-disposition'],
  ['contentEncoding', 'content-encoding'],
  ['contentLanguage', 'content-language'],
  ['expires', 'expires'],
];

const META_PREFIX = 'x-amz-meta-';
const TOKEN = /^[!#$%&'*+.^_`|~0-9a-z-]+$/;

/** Headers that store `metadata` (system headers and `x-amz-meta-*`), as wire bytes. */
export function metadataHeaders(metadata: ObjectMetadata | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  if (!metadata) return headers;
  for (const [field, name] of SYSTEM_HEADERS) {
    const value = metadata[field];
    if (value !== undefined && value !== '') headers[name] = toHeaderBytes(value);
  }
  for (const [rawName, value] of Object.entries(metadata.userMeta ?? {})) {
    const name = rawName.toLowerCase();
    if (!TOKEN.test(name))
      throw invalidInput(`the metadata name "${rawName}" is not allowed in an HTTP header`);
    headers[META_PREFIX + name] = toHeaderBytes(value);
  }
  return headers;
}

/** Headers of a write: metadata plus storage class, ACL, tagging and overwrite protection. */
export function writeHeaders(write: WriteOptions | undefined, withMetadata = true): Record<string, string> {
  const headers = withMetadata ? metadataHeaders(write?.metadata) : {};
  if (write?.storageClass) headers['x-amz-storage-class'] = write.storageClass;
  if (write?.acl) headers['x-amz-acl'] = write.acl;
  if (write?.tagging) headers['x-amz-tagging'] = write.tagging;
  // S3 conditional write: fail with 412 when the destination exists (docs/PROTOCOL.md §4.1).
  if (write?.forbidOverwrite) headers['if-none-match'] = '*';
  if (write?.encryption) {
    headers['x-amz-server-side-encryption'] = write.encryption.algorithm;
    if (write.encryption.kmsKeyId)
      headers['x-amz-server-side-encryption-aws-kms-key-id'] = write.encryption.kmsKeyId;
  }
  return headers;
}

/** Metadata from HEAD/GET response headers. */
export function metadataFromHeaders(headers: Record<string, string>): ObjectMetadata {
  const metadata: ObjectMetadata = { userMeta: {} };
  for (const [field, name] of SYSTEM_HEADERS) {
    const value = headers[name];
    if (value !== undefined) metadata[field] = fromHeaderBytes(value);
  }
  for (const [name, value] of Object.entries(headers)) {
    if (name.startsWith(META_PREFIX))
      metadata.userMeta[name.slice(META_PREFIX.length)] = fromHeaderBytes(value);
  }
  return metadata;
}

/** HTTP dates (`Last-Modified`) as ISO 8601, like listings; unreadable values are kept as sent. */
export function isoDate(value: string | undefined): string {
  if (!value) return '';
  const t = Date.parse(value);
  return Number.isNaN(t) ? value : new Date(t).toISOString();
}

export function headFromHeaders(key: string, headers: Record<string, string>): ObjectHead {
  const encryption = encryptionFromHeaders(headers);
  return {
    key,
    size: Number(headers['content-length'] ?? 0),
    etag: normalizeEtag(headers['etag']),
    lastModified: isoDate(headers['last-modified']),
    versionId: headers['x-amz-version-id'],
    // S3 leaves the header out for STANDARD objects.
    storageClass: headers['x-amz-storage-class'] ?? 'STANDARD',
    taggingCount:
      headers['x-amz-tagging-count'] !== undefined ? Number(headers['x-amz-tagging-count']) : undefined,
    ...(encryption ? { encryption } : {}),
    metadata: metadataFromHeaders(headers),
  };
}

function encryptionFromHeaders(headers: Record<string, string>): ServerSideEncryption | undefined {
  const algorithm = headers['x-amz-server-side-encryption'];
  if (!algorithm) return undefined;
  const kmsKeyId = headers['x-amz-server-side-encryption-aws-kms-key-id'];
  return kmsKeyId ? { algorithm, kmsKeyId } : { algorithm };
}
