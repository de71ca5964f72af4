/**
 * The Local provider: folders under `DATA_DIR/local` are buckets, files are objects. It implements
 * the whole provider interface — listing in key order with delimiters and continuation, ranged
 * reads, metadata and tags (kept in sidecar files), and multipart uploads with part copies — so the
 * copy engine treats it exactly like a cloud store, and uploads/downloads are copies to or from it.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import writeFileAtomic from 'write-file-atomic';
import { StorageError } from '../errors';
import type {
  BucketInfo,
  ByteRange,
  CopyDomain,
  CopyObjectOptions,
  CopyResult,
  ListOptions,
  ListPage,
  ListedPart,
  MultipartUploadEntry,
  ObjectEntry,
  ObjectHead,
  ObjectMetadata,
  ObjectRef,
  ObjectStore,
  PartResult,
  ProviderCapabilities,
  RequestOptions,
  WriteOptions,
} from '../provider';
import { assertBucketName, compareKeys, keySegments, pathInFolder } from './keys';
import { guardPath, isLinkOpenError, linkRefused, READ_NO_FOLLOW, type PathUse } from './path-guard';
import type { NamePlatform } from './platform-names';
import { isStaleTempName, tempName } from './temp-files';

interface Sidecar {
  key: string;
  size: number;
  mtimeMs: number;
  md5: string;
  metadata: ObjectMetadata;
  storageClass?: string;
  tags?: Record<string, string>;
}

interface UploadRecord {
  bucket: string;
  key: string;
  uploadId: string;
  initiated: string;
  write: WriteOptions;
}

interface DirEntry {
  name: string;
  isDir: boolean;
  /** A symbolic link, listed only by stores that show links (the computer provider); never entered. */
  isLink?: boolean;
}

const INTERNAL = '.ferry';

function notFound(code: 'NoSuchKey' | 'NoSuchBucket' | 'NoSuchUpload', what: string): StorageError {
  return new StorageError({ status: 404, code, message: `${what} does not exist` });
}

/** Maps file-system failures onto the storage error shape, so the UI shows one kind of error. */
function fsError(err: unknown, what: string): StorageError {
  if (err instanceof StorageError) return err;
  const code = (err as NodeJS.ErrnoException).code ?? 'LocalError';
  const messages: Record<string, string> = {
    ENOSPC: `no space left on the device while writing ${what}`,
    EACCES: `permission denied on ${what}`,
    EPERM: `permission denied on ${what}`,
    EROFS: `${what} is on a read-only file system`,
    ENAMETOOLONG: `the name of ${what} is too long for this file system`,
    ENOTDIR: `${what} cannot be stored: a file stands where a folder is needed`,
    EISDIR: `${what} cannot be stored: a folder of that name exists`,
    // mkdir -p fails so when one of the folders on the way is a file.
    EEXIST: `${what} cannot be stored: a file stands where a folder is needed`,
  };
  return new StorageError(
    {
      status: code === 'ENOSPC' ? 507 : 500,
      code,
      message: messages[code] ?? `${what}: ${(err as Error).message}`,
    },
    { cause: err },
  );
}

export class LocalStore implements ObjectStore {
  readonly kind = 'local' as const;
  readonly capabilities: ProviderCapabilities = {
    minPartSize: 1,
    maxPartSize: 5 * 1024 ** 3,
    maxParts: 10_000,
    copyObjectMaxSize: Number.MAX_SAFE_INTEGER,
    wholeObjectCrc64: false,
  };
  private readonly dirCache = new Map<string, { mtimeMs: number; entries: DirEntry[] }>();
  /** Whose file-name rules apply (platform-names.ts); a parameter so tests run Windows' on Linux. */
  readonly platform: NamePlatform;

  /** Told, once per folder read, which symbolic links a listing skipped there ('' for buckets; for the log). */
  private readonly onSkippedLinks?: (folder: string, names: string[]) => void;

  constructor(
    readonly root: string,
    options: { platform?: NamePlatform; onSkippedLinks?: (folder: string, names: string[]) => void } = {},
  ) {
    this.platform = options.platform ?? process.platform;
    this.onSkippedLinks = options.onSkippedLinks;
  }

  /** The file of a key, after the link and name-collision checks of path-guard.ts. */
  private async pathOf(bucket: string, key: string, use: PathUse): Promise<string> {
    const file = this.fileOf(bucket, key);
    await guardPath(
      this.bucketPath(bucket),
      bucket,
      key,
      keySegments(key, this.platform),
      this.platform,
      use,
      (b, what, link) => this.linkError(b, what, link),
    );
    return file;
  }

  // ------------------------------------------------------------------------------------------
  // Where things are: the hooks the computer provider (storage/computer/) overrides to map buckets
  // onto the disk's roots instead of folders of the data folder.

  /** The folder a bucket's keys live in (unchecked: bucketDir checks it exists and is no link). */
  protected bucketPath(bucket: string): string {
    assertBucketName(bucket, this.platform);
    return path.join(this.root, bucket);
  }

  /** The file or folder a key names, never outside its bucket's folder. */
  protected fileOf(bucket: string, key: string): string {
    return pathInFolder(this.bucketPath(bucket), key, this.platform);
  }

  /** Where Ferry's own state lives: sidecars, multipart parts, temp files. */
  protected get internal(): string {
    return path.join(this.root, INTERNAL);
  }

  /** A temp file an object is written to before it is renamed to `target` (same file system). */
  protected async tempFileFor(_target: string): Promise<string> {
    return path.join(this.internal, 'tmp', tempName());
  }

  /** Told when a temp file from tempFileFor is renamed into place or removed. */
  protected async tempFileGone(_tmp: string): Promise<void> {}

  /** Whether listings show symbolic links as entries (never entered) instead of skipping them. */
  protected get listsLinks(): boolean {
    return false;
  }

  /** The error for a key whose path goes through a symbolic link. */
  protected linkError(bucket: string, what: string, link: string): StorageError {
    return linkRefused(bucket, what, link);
  }

  async copyDomain(): Promise<CopyDomain> {
    return { kind: 'local', key: `local:${this.root}` };
  }

  // ------------------------------------------------------------------------------------------
  // Buckets

  async listBuckets(): Promise<BucketInfo[]> {
    await fs.mkdir(this.root, { recursive: true });
    const entries = await fs.readdir(this.root, { withFileTypes: true });
    // A linked folder is not a bucket: its files lie outside the data folder.
    const links = entries.filter((e) => e.isSymbolicLink() && !e.name.startsWith('.')).map((e) => e.name);
    if (links.length) this.onSkippedLinks?.('', links);
    const buckets: BucketInfo[] = [];
    for (const e of entries) {
      if (!e.isDirectory() || e.name.startsWith('.')) continue;
      try {
        assertBucketName(e.name, this.platform);
      } catch {
        continue; // a folder whose name is not a bucket name is not shown as a bucket
      }
      const st = await fs.stat(path.join(this.root, e.name));
      buckets.push({ name: e.name, region: 'local', creationDate: st.birthtime.toISOString() });
    }
    return buckets.sort((a, b) => compareKeys(a.name, b.name));
  }

  async bucketRegion(bucket: string): Promise<string> {
    await this.bucketDir(bucket);
    return 'local';
  }

  async createBucket(bucket: string): Promise<void> {
    assertBucketName(bucket, this.platform);
    await fs.mkdir(path.join(this.root, bucket), { recursive: true });
    await this.bucketDir(bucket); // a link of that name already there is refused, not used
  }

  protected async bucketDir(bucket: string): Promise<string> {
    const dir = this.bucketPath(bucket);
    let st;
    try {
      st = await fs.lstat(dir);
    } catch {
      throw notFound('NoSuchBucket', `the bucket "${bucket}"`);
    }
    if (st.isSymbolicLink()) throw this.linkError(bucket, `the bucket "${bucket}"`, bucket);
    if (st.isDirectory()) return dir;
    throw notFound('NoSuchBucket', `the bucket "${bucket}"`);
  }

  // ------------------------------------------------------------------------------------------
  // Listing

  async listObjects(bucket: string, list: ListOptions): Promise<ListPage> {
    const bucketDir = await this.bucketDir(bucket);
    const prefix = list.prefix ?? '';
    const maxKeys = Math.min(Math.max(list.maxKeys ?? 1000, 1), 1000);
    const marker = list.continuationToken
      ? Buffer.from(list.continuationToken, 'base64url').toString('utf8')
      : (list.startAfter ?? '');
    const slash = prefix.lastIndexOf('/');
    const dirKey = slash >= 0 ? prefix.slice(0, slash + 1) : '';
    const namePrefix = prefix.slice(dirKey.length);
    let dir = bucketDir;
    if (dirKey) {
      try {
        dir = this.fileOf(bucket, dirKey);
      } catch {
        return { objects: [], prefixes: [] }; // a prefix no Local key can have lists nothing
      }
      await this.pathOf(bucket, dirKey, 'read');
      await this.checkFolder(bucket, dir, dirKey);
    }

    const objects: ObjectEntry[] = [];
    const prefixes: string[] = [];
    let last = '';
    let more = false;
    const walk =
      list.delimiter === '/'
        ? this.walkShallow(bucket, dir, dirKey, namePrefix, marker)
        : this.walkDeep(bucket, dir, dirKey, namePrefix, marker);
    for await (const item of walk) {
      if (objects.length + prefixes.length >= maxKeys) {
        more = true;
        break;
      }
      if (item.kind === 'prefix') prefixes.push(item.key);
      else objects.push(item.entry);
      last = item.key;
    }
    return {
      objects,
      prefixes,
      nextToken: more ? Buffer.from(last, 'utf8').toString('base64url') : undefined,
    };
  }

  /** A listed folder that is not one; the Local provider lists nothing there, as a bucket would. */
  protected async checkFolder(_bucket: string, _dir: string, _dirKey: string): Promise<void> {}

  private async readSortedDir(dir: string, dirKey: string): Promise<DirEntry[]> {
    let st;
    try {
      st = await fs.lstat(dir); // a folder that became a link since it was listed is not entered
    } catch {
      return [];
    }
    if (!st.isDirectory()) return [];
    const cached = this.dirCache.get(dir);
    if (cached && cached.mtimeMs === st.mtimeMs) return cached.entries;
    let raw;
    try {
      raw = await fs.readdir(dir, { withFileTypes: true });
    } catch (err) {
      throw fsError(err, dirKey ? `the folder "${dirKey}"` : 'the bucket folder');
    }
    const links = raw.filter((e) => e.isSymbolicLink()).map((e) => e.name);
    if (links.length && dir !== this.root && !this.listsLinks)
      this.onSkippedLinks?.(path.relative(this.root, dir), links);
    // Only real files and folders: symbolic links (and sockets, devices) are not objects and are
    // skipped, since following a link could list files outside the data folder. The computer
    // provider shows links as links, and still never enters them.
    const entries: DirEntry[] = raw
      .filter(
        (e) =>
          (e.isDirectory() || e.isFile() || (this.listsLinks && e.isSymbolicLink())) &&
          !(dir === this.root && e.name.startsWith('.')) &&
          !e.name.startsWith('.ferry-') &&
          !e.name.endsWith('.ferry-part'),
      )
      .map((e) => ({ name: e.name, isDir: e.isDirectory(), isLink: e.isSymbolicLink() }));
    // Key order: a folder's objects all start with "name/", so it sorts as "name/".
    const sortKey = (e: DirEntry) => Buffer.from(e.isDir ? `${e.name}/` : e.name);
    entries.sort((a, b) => Buffer.compare(sortKey(a), sortKey(b)));
    this.dirCache.set(dir, { mtimeMs: st.mtimeMs, entries });
    if (this.dirCache.size > 64) this.dirCache.delete(this.dirCache.keys().next().value as string);
    return entries;
  }

  private async *walkShallow(
    bucket: string,
    dir: string,
    dirKey: string,
    namePrefix: string,
    marker: string,
  ): AsyncGenerator<{ kind: 'object'; key: string; entry: ObjectEntry } | { kind: 'prefix'; key: string }> {
    for (const e of await this.readSortedDir(dir, dirKey)) {
      if (!e.name.startsWith(namePrefix)) continue;
      const key = e.isDir ? `${dirKey}${e.name}/` : `${dirKey}${e.name}`;
      if (marker && (compareKeys(key, marker) <= 0 || (e.isDir && marker.startsWith(key)))) continue;
      if (e.isDir) {
        yield { kind: 'prefix', key };
      } else {
        const file = path.join(dir, e.name);
        const entry = e.isLink ? await this.linkEntryFor(file, key) : await this.entryFor(bucket, file, key);
        if (entry) yield { kind: 'object', key, entry };
      }
    }
  }

  /** A symbolic link as a row of a listing (stores that show links override it). */
  protected async linkEntryFor(_file: string, _key: string): Promise<ObjectEntry | undefined> {
    return undefined;
  }

  private async *walkDeep(
    bucket: string,
    dir: string,
    dirKey: string,
    namePrefix: string,
    marker: string,
  ): AsyncGenerator<{ kind: 'object'; key: string; entry: ObjectEntry }> {
    const all = await this.readSortedDir(dir, dirKey);
    // A walk never follows a link: a link to a folder above would walk in circles.
    const entries = all.filter((e) => !e.isLink);
    const links = all.filter((e) => e.isLink).map((e) => e.name);
    if (links.length) this.onSkippedLinks?.(dir, links);
    if (all.length === 0 && dirKey && !namePrefix && (!marker || compareKeys(dirKey, marker) > 0)) {
      // An empty folder is what a console's "new folder" leaves: list it as its folder object.
      const entry = await this.entryFor(bucket, dir, dirKey);
      if (entry) yield { kind: 'object', key: dirKey, entry };
      return;
    }
    for (const e of entries) {
      if (!e.name.startsWith(namePrefix)) continue;
      const key = e.isDir ? `${dirKey}${e.name}/` : `${dirKey}${e.name}`;
      if (marker) {
        const inside = e.isDir && marker.startsWith(key);
        if (!inside && compareKeys(key, marker) <= 0) continue;
      }
      if (e.isDir) {
        yield* this.walkDeep(bucket, path.join(dir, e.name), key, '', marker);
      } else {
        const entry = await this.entryFor(bucket, path.join(dir, e.name), key);
        if (entry) yield { kind: 'object', key, entry };
      }
    }
  }

  private async entryFor(bucket: string, file: string, key: string): Promise<ObjectEntry | undefined> {
    try {
      const st = await fs.lstat(file);
      if (st.isSymbolicLink()) return undefined; // replaced by a link since readdir: not an object
      const sidecar = await this.readSidecar(bucket, key);
      const isDir = st.isDirectory();
      const size = isDir ? 0 : st.size;
      return {
        key,
        size,
        etag: this.etagOf(sidecar, size, st.mtimeMs),
        lastModified: st.mtime.toISOString(),
        storageClass: sidecar?.storageClass ?? 'STANDARD',
      };
    } catch {
      return undefined; // removed between readdir and stat
    }
  }

  // ------------------------------------------------------------------------------------------
  // Sidecars: metadata, tags and the MD5 of what Ferry wrote

  private sidecarPath(bucket: string, key: string): string {
    const hash = createHash('sha256').update(key).digest('hex');
    return path.join(this.internal, 'meta', bucket, hash.slice(0, 2), `${hash}.json`);
  }

  private async readSidecar(bucket: string, key: string): Promise<Sidecar | undefined> {
    try {
      const parsed = JSON.parse(await fs.readFile(this.sidecarPath(bucket, key), 'utf8')) as Sidecar;
      return parsed.key === key ? parsed : undefined;
    } catch {
      return undefined;
    }
  }

  private async writeSidecar(bucket: string, sidecar: Sidecar): Promise<void> {
    const file = this.sidecarPath(bucket, sidecar.key);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await writeFileAtomic(file, JSON.stringify(sidecar));
  }

  /** The stored MD5 when the file is still what Ferry wrote; otherwise a stat-derived tag. */
  private etagOf(sidecar: Sidecar | undefined, size: number, mtimeMs: number): string {
    if (sidecar && sidecar.size === size && sidecar.mtimeMs === mtimeMs) return sidecar.md5;
    return createHash('md5').update(`${size}:${mtimeMs}`).digest('hex');
  }

  // ------------------------------------------------------------------------------------------
  // Objects

  async headObject(src: ObjectRef): Promise<ObjectHead> {
    await this.bucketDir(src.bucket);
    const file = await this.pathOf(src.bucket, src.key, 'read');
    let st;
    try {
      st = await fs.lstat(file);
    } catch {
      throw notFound('NoSuchKey', `the object "${src.key}"`);
    }
    const isFolderKey = src.key.endsWith('/');
    if (st.isDirectory() !== isFolderKey) throw notFound('NoSuchKey', `the object "${src.key}"`);
    const sidecar = await this.readSidecar(src.bucket, src.key);
    const size = st.isDirectory() ? 0 : st.size;
    return {
      key: src.key,
      size,
      etag: this.etagOf(sidecar, size, st.mtimeMs),
      lastModified: st.mtime.toUTCString(),
      storageClass: sidecar?.storageClass ?? 'STANDARD',
      taggingCount: sidecar?.tags ? Object.keys(sidecar.tags).length : 0,
      metadata: sidecar?.metadata ?? { userMeta: {} },
    };
  }

  async getObject(src: ObjectRef, range?: ByteRange): Promise<Readable> {
    const head = await this.headObject(src);
    if (src.key.endsWith('/')) return Readable.from([]);
    if (range && (range.start > range.end || range.end >= head.size)) {
      throw new StorageError({
        status: 416,
        code: 'InvalidRange',
        message: `the range ${range.start}-${range.end} is outside the object`,
      });
    }
    const file = this.fileOf(src.bucket, src.key);
    const handle = await this.openForRead(src.bucket, src.key, file);
    return handle.createReadStream(range ? { start: range.start, end: range.end } : {});
  }

  /**
   * Opens without following a link as the file itself, then checks the folders above it again: one
   * swapped for a link between the HEAD and the open is caught before a byte is read.
   */
  private async openForRead(bucket: string, key: string, file: string): Promise<fs.FileHandle> {
    let handle: fs.FileHandle;
    try {
      handle = await fs.open(file, READ_NO_FOLLOW);
    } catch (err) {
      if (isLinkOpenError(err)) throw this.linkError(bucket, `the object "${key}"`, key);
      throw fsError(err, `"${key}"`);
    }
    try {
      await this.pathOf(bucket, key, 'read');
    } catch (err) {
      await handle.close();
      throw err;
    }
    return handle;
  }

  /** Writes a stream to a temp file in the same file system, then renames it into place. */
  private async writeObject(
    bucket: string,
    key: string,
    source: Readable | Buffer,
    write: WriteOptions | undefined,
    expectedSize?: number,
  ): Promise<CopyResult> {
    await this.bucketDir(bucket);
    const target = await this.pathOf(bucket, key, 'write');
    if (write?.forbidOverwrite && (await exists(target))) {
      throw new StorageError({
        status: 409,
        code: 'FileAlreadyExists',
        message: `the object "${key}" already exists`,
      });
    }
    const tmp = await this.tempFileFor(target);
    const tmpDir = path.dirname(tmp);
    const md5 = createHash('md5');
    let size = 0;
    try {
      await fs.mkdir(tmpDir, { recursive: true });
      if (key.endsWith('/')) {
        await fs.mkdir(target, { recursive: true });
        await this.pathOf(bucket, key, 'write'); // mkdir -p went through no link
      } else {
        const hasher = new Transform({
          transform(chunk: Buffer, _enc, cb) {
            md5.update(chunk);
            size += chunk.length;
            cb(null, chunk);
          },
        });
        const input = Buffer.isBuffer(source) ? Readable.from([source]) : source;
        await pipeline(input, hasher, createWriteStream(tmp, { flags: 'wx' }));
        if (expectedSize !== undefined && size !== expectedSize) {
          throw new StorageError({
            status: 400,
            code: 'IncompleteBody',
            message: `expected ${expectedSize} bytes for "${key}" but received ${size}`,
          });
        }
        const handle = await fs.open(tmp, 'r');
        try {
          await handle.sync(); // the bytes are on disk before the name points at them
        } finally {
          await handle.close();
        }
        await fs.mkdir(path.dirname(target), { recursive: true });
        // Again, right before the rename: a folder on the way that became a link while the bytes
        // were written (or that mkdir -p went through) would put the file outside the bucket.
        await this.pathOf(bucket, key, 'write');
        await fs.rename(tmp, target);
      }
      const st = await fs.lstat(target);
      const etag = key.endsWith('/') ? createHash('md5').digest('hex') : md5.digest('hex');
      await this.writeSidecar(bucket, {
        key,
        size: st.isDirectory() ? 0 : st.size,
        mtimeMs: st.mtimeMs,
        md5: etag,
        metadata: write?.metadata ?? { userMeta: {} },
        storageClass: write?.storageClass,
        tags: write?.tagging ? parseTagging(write.tagging) : undefined,
      });
      return { etag };
    } catch (err) {
      // Beside a target whose folder is a file (the computer provider) the temp file was never made.
      await fs.rm(tmp, { force: true }).catch(() => undefined);
      throw fsError(err, `"${key}"`);
    } finally {
      await this.tempFileGone(tmp);
    }
  }

  async putObject(
    bucket: string,
    key: string,
    body: Readable | Buffer,
    size: number,
    write?: WriteOptions,
  ): Promise<CopyResult> {
    return this.writeObject(bucket, key, body, write, size);
  }

  async deleteObject(bucket: string, key: string): Promise<void> {
    await this.bucketDir(bucket);
    let file: string;
    try {
      file = await this.pathOf(bucket, key, 'read');
    } catch (err) {
      // Another key's file (a case variant on Windows or macOS) is not this key: nothing to delete.
      if (err instanceof StorageError && err.code === 'NoSuchKey') return;
      throw err;
    }
    try {
      if (key.endsWith('/')) await fs.rmdir(file);
      else await fs.rm(file, { force: true });
    } catch (err) {
      if (
        (err as NodeJS.ErrnoException).code !== 'ENOENT' &&
        (err as NodeJS.ErrnoException).code !== 'ENOTEMPTY'
      ) {
        throw fsError(err, `"${key}"`);
      }
    }
    await fs.rm(this.sidecarPath(bucket, key), { force: true });
    await this.pruneEmptyParents(bucket, file);
  }

  /** Removing the last object of a "folder" removes the folder, as on a real object store. */
  protected async pruneEmptyParents(bucket: string, file: string): Promise<void> {
    const bucketDir = this.bucketPath(bucket);
    let dir = path.dirname(file);
    while (dir.startsWith(bucketDir + path.sep)) {
      try {
        await fs.rmdir(dir);
      } catch {
        return;
      }
      dir = path.dirname(dir);
    }
  }

  async deleteObjects(
    bucket: string,
    keys: string[],
  ): Promise<{ key: string; code: string; message: string }[]> {
    const failed: { key: string; code: string; message: string }[] = [];
    for (const key of keys) {
      try {
        await this.deleteObject(bucket, key);
      } catch (err) {
        const e = err as StorageError;
        failed.push({ key, code: e.code ?? 'Error', message: e.message });
      }
    }
    return failed;
  }

  async copyObject(src: ObjectRef, dst: ObjectRef, copy: CopyObjectOptions): Promise<CopyResult> {
    const head = await this.headObject(src);
    if (copy.ifMatch && stripQuotes(copy.ifMatch) !== head.etag) {
      throw new StorageError({
        status: 412,
        code: 'PreconditionFailed',
        message: `the source "${src.key}" changed`,
      });
    }
    const sidecar = await this.readSidecar(src.bucket, src.key);
    const metadata = copy.directive === 'REPLACE' ? (copy.metadata ?? { userMeta: {} }) : head.metadata;
    const tagging =
      copy.taggingDirective === 'REPLACE'
        ? copy.tagging
        : sidecar?.tags
          ? encodeTagging(sidecar.tags)
          : undefined;
    return this.writeObject(dst.bucket, dst.key, await this.getObject(src), {
      ...copy,
      metadata,
      storageClass: copy.storageClass ?? head.storageClass,
      tagging,
    });
  }

  // ------------------------------------------------------------------------------------------
  // Multipart uploads: parts are files under .ferry/uploads/<uploadId>/

  private uploadDir(uploadId: string): string {
    if (!/^[A-Za-z0-9-]+$/.test(uploadId)) throw notFound('NoSuchUpload', `the upload "${uploadId}"`);
    return path.join(this.internal, 'uploads', uploadId);
  }

  private async uploadRecord(bucket: string, key: string, uploadId: string): Promise<UploadRecord> {
    try {
      const rec = JSON.parse(
        await fs.readFile(path.join(this.uploadDir(uploadId), 'upload.json'), 'utf8'),
      ) as UploadRecord;
      if (rec.bucket === bucket && rec.key === key) return rec;
    } catch {
      // fall through
    }
    throw notFound('NoSuchUpload', `the upload "${uploadId}"`);
  }

  async createMultipartUpload(bucket: string, key: string, write: WriteOptions): Promise<string> {
    await this.bucketDir(bucket);
    await this.pathOf(bucket, key, 'write'); // refuse keys this file system cannot hold before any part is copied
    const uploadId = randomUUID();
    const dir = this.uploadDir(uploadId);
    try {
      await fs.mkdir(dir, { recursive: true });
      const rec: UploadRecord = { bucket, key, uploadId, initiated: new Date().toISOString(), write };
      await writeFileAtomic(path.join(dir, 'upload.json'), JSON.stringify(rec));
    } catch (err) {
      throw fsError(err, `the upload of "${key}"`);
    }
    return uploadId;
  }

  private async writePart(
    uploadId: string,
    partNumber: number,
    body: Readable,
    expectedSize: number,
  ): Promise<PartResult> {
    const dir = this.uploadDir(uploadId);
    const tmp = path.join(dir, `part-${partNumber}.${tempName()}.tmp`);
    const md5 = createHash('md5');
    let size = 0;
    const hasher = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        md5.update(chunk);
        size += chunk.length;
        cb(null, chunk);
      },
    });
    try {
      await pipeline(body, hasher, createWriteStream(tmp, { flags: 'wx' }));
      if (size !== expectedSize) {
        throw new StorageError({
          status: 400,
          code: 'IncompleteBody',
          message: `part ${partNumber}: expected ${expectedSize} bytes, received ${size}`,
        });
      }
      const etag = md5.digest('hex');
      await fs.rename(tmp, path.join(dir, `part-${String(partNumber).padStart(5, '0')}-${etag}`));
      // An earlier copy of the same part number is replaced, as on S3.
      for (const name of await fs.readdir(dir)) {
        if (name.startsWith(`part-${String(partNumber).padStart(5, '0')}-`) && !name.endsWith(etag)) {
          await fs.rm(path.join(dir, name), { force: true });
        }
      }
      return { partNumber, etag };
    } catch (err) {
      await fs.rm(tmp, { force: true });
      throw fsError(err, `part ${partNumber}`);
    }
  }

  async uploadPart(
    bucket: string,
    key: string,
    uploadId: string,
    partNumber: number,
    body: Readable | Buffer,
    size: number,
  ): Promise<PartResult> {
    await this.uploadRecord(bucket, key, uploadId);
    return this.writePart(uploadId, partNumber, Buffer.isBuffer(body) ? Readable.from([body]) : body, size);
  }

  async uploadPartCopy(
    bucket: string,
    key: string,
    uploadId: string,
    partNumber: number,
    src: ObjectRef,
    range: ByteRange,
    ifMatch?: string,
  ): Promise<PartResult> {
    await this.uploadRecord(bucket, key, uploadId);
    if (ifMatch) {
      const head = await this.headObject(src);
      if (stripQuotes(ifMatch) !== head.etag) {
        throw new StorageError({
          status: 412,
          code: 'PreconditionFailed',
          message: `the source "${src.key}" changed`,
        });
      }
    }
    return this.writePart(
      uploadId,
      partNumber,
      await this.getObject(src, range),
      range.end - range.start + 1,
    );
  }

  private async storedParts(uploadId: string): Promise<{ partNumber: number; etag: string; file: string }[]> {
    const dir = this.uploadDir(uploadId);
    const parts: { partNumber: number; etag: string; file: string }[] = [];
    for (const name of await fs.readdir(dir)) {
      const m = /^part-(\d{5})-([0-9a-f]{32})$/.exec(name);
      if (m) parts.push({ partNumber: Number(m[1]), etag: m[2]!, file: path.join(dir, name) });
    }
    return parts.sort((a, b) => a.partNumber - b.partNumber);
  }

  async completeMultipartUpload(
    bucket: string,
    key: string,
    uploadId: string,
    parts: PartResult[],
    _opts?: RequestOptions,
    conditions?: Pick<WriteOptions, 'forbidOverwrite'>,
  ): Promise<CopyResult> {
    const rec = await this.uploadRecord(bucket, key, uploadId);
    const stored = new Map((await this.storedParts(uploadId)).map((p) => [p.partNumber, p]));
    let previous = 0;
    const files: string[] = [];
    for (const part of parts) {
      if (part.partNumber <= previous) {
        throw new StorageError({
          status: 400,
          code: 'InvalidPartOrder',
          message: 'parts must be listed in ascending order',
        });
      }
      previous = part.partNumber;
      const found = stored.get(part.partNumber);
      if (!found || found.etag !== stripQuotes(part.etag)) {
        throw new StorageError({
          status: 400,
          code: 'InvalidPart',
          message: `part ${part.partNumber} was not uploaded with that ETag`,
        });
      }
      files.push(found.file);
    }
    const joined = Readable.from(
      (async function* () {
        for (const file of files) yield* createReadStream(file);
      })(),
    );
    const write = conditions?.forbidOverwrite ? { ...rec.write, forbidOverwrite: true } : rec.write;
    const result = await this.writeObject(bucket, key, joined, write);
    await fs.rm(this.uploadDir(uploadId), { recursive: true, force: true });
    return result;
  }

  async abortMultipartUpload(bucket: string, key: string, uploadId: string): Promise<void> {
    await this.uploadRecord(bucket, key, uploadId);
    await fs.rm(this.uploadDir(uploadId), { recursive: true, force: true });
  }

  async *listParts(bucket: string, key: string, uploadId: string): AsyncIterable<ListedPart> {
    await this.uploadRecord(bucket, key, uploadId);
    for (const p of await this.storedParts(uploadId)) {
      const st = await fs.stat(p.file);
      yield { partNumber: p.partNumber, etag: p.etag, size: st.size, lastModified: st.mtime.toISOString() };
    }
  }

  async *listMultipartUploads(bucket: string, prefix = ''): AsyncIterable<MultipartUploadEntry> {
    await this.bucketDir(bucket);
    const dir = path.join(this.internal, 'uploads');
    let ids: string[];
    try {
      ids = await fs.readdir(dir);
    } catch {
      return; // no upload was ever started
    }
    const found: MultipartUploadEntry[] = [];
    for (const id of ids) {
      try {
        const rec = JSON.parse(await fs.readFile(path.join(dir, id, 'upload.json'), 'utf8')) as UploadRecord;
        if (rec.bucket === bucket && rec.key.startsWith(prefix))
          found.push({ key: rec.key, uploadId: rec.uploadId, initiated: rec.initiated });
      } catch {
        // an upload folder being created or removed right now
      }
    }
    found.sort((a, b) => compareKeys(a.key, b.key) || a.uploadId.localeCompare(b.uploadId));
    yield* found;
  }

  /**
   * Removes temp files whose writer is gone: whole objects in `.ferry/tmp` (a kill during a write or
   * a Complete) and parts being received in `.ferry/uploads/*`. Only the engine-lock holder calls
   * this, at start (temp-files.ts says why the writer's process id is in each name).
   */
  async sweepTempFiles(): Promise<string[]> {
    const removed: string[] = [];
    const sweep = async (dir: string, isTemp: (name: string) => boolean) => {
      let names: string[];
      try {
        names = await fs.readdir(dir);
      } catch {
        return; // nothing was ever written there
      }
      for (const name of names.filter(isTemp)) {
        const file = path.join(dir, name);
        try {
          const st = await fs.lstat(file);
          if (!st.isFile() || !isStaleTempName(name, st.mtimeMs)) continue;
          await fs.rm(file, { force: true });
          removed.push(path.relative(this.root, file));
        } catch {
          // removed meanwhile, or not ours to remove: the next start tries again
        }
      }
    };
    await sweep(path.join(this.internal, 'tmp'), () => true);
    let uploads: string[] = [];
    try {
      uploads = await fs.readdir(path.join(this.internal, 'uploads'));
    } catch {
      // no upload was ever started
    }
    for (const id of uploads)
      await sweep(path.join(this.internal, 'uploads', id), (name) => name.endsWith('.tmp'));
    return removed;
  }

  // ------------------------------------------------------------------------------------------
  // Tags and URLs

  async contentMd5(src: ObjectRef, opts?: RequestOptions): Promise<string> {
    const head = await this.headObject(src);
    const file = this.fileOf(src.bucket, src.key);
    const st = await fs.lstat(file);
    const sidecar = await this.readSidecar(src.bucket, src.key);
    if (sidecar && sidecar.size === st.size && sidecar.mtimeMs === st.mtimeMs) return sidecar.md5;
    const md5 = createHash('md5');
    if (!st.isDirectory()) {
      const handle = await this.openForRead(src.bucket, src.key, file);
      await pipeline(handle.createReadStream({ signal: opts?.signal }), md5);
    }
    const digest = md5.digest('hex');
    // Only if the file did not change while it was read; the next HEAD and listing then show this MD5.
    const after = await fs.lstat(file);
    if (after.size === st.size && after.mtimeMs === st.mtimeMs) {
      await this.writeSidecar(src.bucket, {
        key: src.key,
        size: st.size,
        mtimeMs: st.mtimeMs,
        md5: digest,
        metadata: sidecar?.metadata ?? head.metadata,
        storageClass: sidecar?.storageClass,
        tags: sidecar?.tags,
      });
    }
    return digest;
  }

  async getObjectTagging(src: ObjectRef): Promise<Record<string, string>> {
    await this.headObject(src);
    return (await this.readSidecar(src.bucket, src.key))?.tags ?? {};
  }

  async putObjectTagging(dst: ObjectRef, tags: Record<string, string>): Promise<void> {
    await this.headObject(dst);
    const file = this.fileOf(dst.bucket, dst.key);
    const st = await fs.lstat(file);
    const current = await this.readSidecar(dst.bucket, dst.key);
    const size = st.isDirectory() ? 0 : st.size;
    await this.writeSidecar(dst.bucket, {
      key: dst.key,
      size,
      mtimeMs: st.mtimeMs,
      md5: this.etagOf(current, size, st.mtimeMs),
      metadata: current?.metadata ?? { userMeta: {} },
      storageClass: current?.storageClass,
      tags,
    });
  }

  async presign(): Promise<string | undefined> {
    return undefined;
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.lstat(file);
    return true;
  } catch {
    return false;
  }
}

function stripQuotes(etag: string): string {
  return etag.replace(/^"|"$/g, '');
}

export function parseTagging(tagging: string): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(tagging)) tags[k] = v;
  return tags;
}

export function encodeTagging(tags: Record<string, string>): string {
  return new URLSearchParams(tags).toString();
}

// Re-exported so the seeding code and tests can check a key before writing.
export { keySegments };
