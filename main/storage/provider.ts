/**
 * The provider interface the copy engine, the CLI and the UI use. Three implementations:
 * `oss/` (native OSS protocol), `s3/` (AWS S3 and compatibles) and `local/` (folders as buckets).
 *
 * Keys are passed exactly as the user gave them (a JS string, sent as UTF-8); providers never
 * normalise them. Sizes are numbers (objects ≤ 48.8 TiB stay below 2^53); CRC64 values are decimal
 * strings because they do not fit a number.
 */
import type { Readable } from 'node:stream';

export type ProviderKind = 'oss' | 's3' | 'local';

export interface ProviderCapabilities {
  /** Smallest allowed size of every part but the last (OSS 100 KB, S3 5 MiB). */
  minPartSize: number;
  maxPartSize: number;
  maxParts: number;
  /** Largest object a single server-side CopyObject may copy (OSS 1 GB, S3 5 GB). */
  copyObjectMaxSize: number;
  /** Whole-object checksum the provider reports on HEAD and Complete (OSS CRC64). */
  wholeObjectCrc64: boolean;
  /**
   * Which writes refuse to replace an existing key when asked (`forbidOverwrite`). Where CopyObject
   * or Complete does not promise it (Ceph RGW ignores If-None-Match on both), the copy engine looks
   * once more just before the write instead (docs/PROTOCOL.md §4.1). Absent: all three do.
   */
  conditionalWrites?: { put: boolean; copy: boolean; complete: boolean };
}

/** Where a bucket lives: two buckets with equal copy domains can copy server-side. */
export interface CopyDomain {
  kind: ProviderKind;
  /** Identifies account + region (+ endpoint); equal strings mean server-side copy works. */
  key: string;
}

export interface BucketInfo {
  name: string;
  region?: string;
  creationDate?: string;
  storageClass?: string;
  /** OSS: extranet endpoint from ListBuckets, when known. */
  endpoint?: string;
}

/** System and user metadata that describe an object; what REPLACE sets and COPY carries over. */
export interface ObjectMetadata {
  contentType?: string;
  cacheControl?: string;
  contentDisposition?: string;
  contentEncoding?: string;
  contentLanguage?: string;
  expires?: string;
  /** User metadata, names without the `x-oss-meta-` / `x-amz-meta-` prefix, lower-case. */
  userMeta: Record<string, string>;
}

/** A symbolic link shown in a listing (the computer provider): never followed by a walk or a copy. */
export interface LinkInfo {
  /** The link's own text, as `readlink` gives it (may be relative). */
  target: string;
  /** What it points at now; `missing` for a broken link. */
  targetKind: 'file' | 'folder' | 'missing' | 'other';
  /** Where the target is in the same store, when it has an address there (a pane opens a folder link there). */
  resolved?: { bucket: string; key: string };
}

export interface ObjectEntry {
  key: string;
  size: number;
  etag: string;
  lastModified: string;
  storageClass?: string;
  link?: LinkInfo;
  /** OSS listings' `Type` (`Normal`, `Multipart`, `Appendable`, `Symlink`). */
  objectType?: string;
}

export interface ListPage {
  objects: ObjectEntry[];
  /** Common prefixes ("folders") when a delimiter was given. */
  prefixes: string[];
  /** Opaque cursor for the next page; absent on the last page. */
  nextToken?: string;
}

export interface ListOptions {
  prefix?: string;
  delimiter?: string;
  /** Resume after this key (exclusive) — also how a folder copy resumes its listing. */
  startAfter?: string;
  continuationToken?: string;
  maxKeys?: number;
}

/**
 * Server-side encryption in the dialect's own words (OSS `AES256 | KMS | SM4`, S3 `AES256 | aws:kms
 * | aws:kms:dsse`): a copy never inherits it, so it is read from the source and sent again.
 */
export interface ServerSideEncryption {
  algorithm: string;
  /** The KMS key, when the object names one. */
  kmsKeyId?: string;
}

export interface ObjectHead {
  key: string;
  size: number;
  /** As the server sent it, quotes stripped. */
  etag: string;
  lastModified: string;
  versionId?: string;
  /** OSS `x-oss-hash-crc64ecma` as a decimal string. */
  crc64?: string;
  storageClass?: string;
  /** OSS `x-oss-tagging-count`; undefined where the provider does not say. */
  taggingCount?: number;
  /** OSS `x-oss-object-type`: `Normal`, `Multipart`, `Appendable` or `Symlink`. */
  objectType?: string;
  encryption?: ServerSideEncryption;
  metadata: ObjectMetadata;
}

export interface ObjectRef {
  bucket: string;
  key: string;
  versionId?: string;
}

export type MetadataDirective = 'COPY' | 'REPLACE';

export interface WriteOptions {
  /** Metadata to store (PutObject, Initiate, CopyObject with REPLACE). */
  metadata?: ObjectMetadata;
  storageClass?: string;
  acl?: string;
  /** `k=v&k2=v2`, already URL-encoded. */
  tagging?: string;
  /** Fail instead of replacing an existing destination (OSS forbid-overwrite, S3 If-None-Match: *). */
  forbidOverwrite?: boolean;
  encryption?: ServerSideEncryption;
}

export interface CopyObjectOptions extends WriteOptions {
  directive: MetadataDirective;
  /** `copy-source-if-match`: the source ETag the copy was planned against. */
  ifMatch?: string;
  taggingDirective?: 'COPY' | 'REPLACE';
}

export interface CopyResult {
  etag: string;
  crc64?: string;
  versionId?: string;
  /** The object as a HEAD right after the write saw it, when the provider had to look anyway. */
  head?: ObjectHead;
}

export interface PartResult {
  partNumber: number;
  /** Exactly as returned (quotes stripped consistently by the provider). */
  etag: string;
  crc64?: string;
}

export interface ListedPart extends PartResult {
  size: number;
  lastModified?: string;
}

export interface MultipartUploadEntry {
  key: string;
  uploadId: string;
  initiated: string;
}

export interface ByteRange {
  /** First byte, inclusive. */
  start: number;
  /** Last byte, inclusive. */
  end: number;
}

export interface RequestOptions {
  signal?: AbortSignal;
}

export interface ObjectStore {
  readonly kind: ProviderKind;
  readonly capabilities: ProviderCapabilities;

  /** Account + region identity of a bucket, to decide whether a server-side copy is possible. */
  copyDomain(bucket: string): Promise<CopyDomain>;

  listBuckets(opts?: RequestOptions): Promise<BucketInfo[]>;
  bucketRegion(bucket: string, opts?: RequestOptions): Promise<string>;
  listObjects(bucket: string, list: ListOptions, opts?: RequestOptions): Promise<ListPage>;

  headObject(src: ObjectRef, opts?: RequestOptions): Promise<ObjectHead>;
  /**
   * The hex MD5 of the object's bytes, for stores whose ETag is not always one (Local: files Ferry
   * did not write carry a tag derived from size and modification time). Cloud stores leave it out.
   */
  contentMd5?(src: ObjectRef, opts?: RequestOptions): Promise<string>;
  getObject(src: ObjectRef, range?: ByteRange, opts?: RequestOptions): Promise<Readable>;
  putObject(
    bucket: string,
    key: string,
    body: Readable | Buffer,
    size: number,
    write?: WriteOptions,
    opts?: RequestOptions,
  ): Promise<CopyResult>;
  deleteObject(bucket: string, key: string, opts?: RequestOptions): Promise<void>;
  /** Batch delete; returns the keys that could not be deleted with the reason. */
  deleteObjects(
    bucket: string,
    keys: string[],
    opts?: RequestOptions,
  ): Promise<{ key: string; code: string; message: string }[]>;

  copyObject(
    src: ObjectRef,
    dst: ObjectRef,
    copy: CopyObjectOptions,
    opts?: RequestOptions,
  ): Promise<CopyResult>;

  createMultipartUpload(
    bucket: string,
    key: string,
    write: WriteOptions,
    opts?: RequestOptions,
  ): Promise<string>;
  uploadPart(
    bucket: string,
    key: string,
    uploadId: string,
    partNumber: number,
    body: Readable | Buffer,
    size: number,
    opts?: RequestOptions,
  ): Promise<PartResult>;
  uploadPartCopy(
    bucket: string,
    key: string,
    uploadId: string,
    partNumber: number,
    src: ObjectRef,
    range: ByteRange,
    ifMatch?: string,
    opts?: RequestOptions,
  ): Promise<PartResult>;
  completeMultipartUpload(
    bucket: string,
    key: string,
    uploadId: string,
    parts: PartResult[],
    opts?: RequestOptions,
    /** Complete only if the key is still free (OSS forbid-overwrite, S3 If-None-Match: *). */
    conditions?: Pick<WriteOptions, 'forbidOverwrite'>,
  ): Promise<CopyResult>;
  abortMultipartUpload(bucket: string, key: string, uploadId: string, opts?: RequestOptions): Promise<void>;
  listParts(bucket: string, key: string, uploadId: string, opts?: RequestOptions): AsyncIterable<ListedPart>;
  listMultipartUploads(
    bucket: string,
    prefix?: string,
    opts?: RequestOptions,
  ): AsyncIterable<MultipartUploadEntry>;

  getObjectTagging(src: ObjectRef, opts?: RequestOptions): Promise<Record<string, string>>;
  putObjectTagging(dst: ObjectRef, tags: Record<string, string>, opts?: RequestOptions): Promise<void>;

  /**
   * Removes the empty folders left under `prefix` (and the prefix's own folder) once its objects are
   * deleted: stores with real folders that do not prune them on each delete (the computer provider).
   */
  removeEmptyFolders?(bucket: string, prefix: string): Promise<void>;

  /** A time-limited URL for GET (or PUT). Local returns undefined: it has no URLs. */
  presign(method: 'GET' | 'PUT', src: ObjectRef, expiresSeconds: number): Promise<string | undefined>;
}

/** Iterates every object (and common prefix) of a listing, page by page, never holding more than a page. */
export async function* listAll(
  store: ObjectStore,
  bucket: string,
  list: ListOptions,
  opts?: RequestOptions,
): AsyncGenerator<{ page: ListPage; lastKey?: string }> {
  let token = list.continuationToken;
  for (;;) {
    const page = await store.listObjects(bucket, { ...list, continuationToken: token }, opts);
    const lastKey = page.objects.at(-1)?.key;
    yield { page, lastKey };
    if (!page.nextToken) return;
    token = page.nextToken;
  }
}

export const emptyMetadata = (): ObjectMetadata => ({ userMeta: {} });
