/**
 * The S3 provider: AWS S3 and S3-compatible servers (Ceph RGW, MinIO, R2, OSS's S3 endpoint), spoken
 * directly over undici with SigV4. Every request goes through `send`, which signs with the bucket's
 * region, learns that region from a wrong-region answer (301/307/400 + `x-amz-bucket-region`, §2.5)
 * and re-sends once, corrects clock skew, retries transient failures, and maps every failure to a
 * StorageError.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { StorageError, invalidInput } from '../errors';
import { encodeCopySource, type QueryParam } from '../encoding';
import {
  HttpClient,
  bodyStream,
  discardBody,
  readText,
  type HttpClientOptions,
  type HttpResponse,
} from '../http';
import type {
  BucketDetails,
  BucketInfo,
  ByteRange,
  CreateBucketOptions,
  VersionListOptions,
  VersionPage,
  CopyDomain,
  CopyObjectOptions,
  CopyResult,
  ListOptions,
  ListPage,
  ListedPart,
  MultipartUploadEntry,
  ObjectHead,
  ObjectRef,
  ObjectStore,
  PartResult,
  ProviderCapabilities,
  RequestOptions,
  WriteOptions,
} from '../provider';
import {
  ClockOffsets,
  DEFAULT_RETRY_POLICY,
  abortableSleep,
  backoffDelay,
  shouldRetry,
  withRetry,
  type RetryPolicy,
} from '../retry';
import {
  EMPTY_PAYLOAD_SHA256,
  UNSIGNED_PAYLOAD,
  payloadSha256,
  presignQuery,
  signRequest,
  type SigV4Credentials,
} from '../signing/sigv4';
import { DELETE_BATCH, deleteInBatches } from '../batch-delete';
import { buildXml } from '../xml';
import {
  deleteVersionsXml,
  parseDeleteVersionsResult,
  parseListVersions,
  parseVersioning,
} from '../versions-xml';
import { normalizeEtag, quoteEtag } from '../../../preload/shared/etag';
import { S3Endpoint } from './s3-endpoint';
import { assertS3Names } from './s3-names';
import { errorIn200, s3Error, type S3ErrorContext } from './s3-errors';
import { headFromHeaders, writeHeaders } from './s3-metadata';
import {
  completeXml,
  deleteXml,
  parseBucketLocation,
  parseDeleteResult,
  parseInitiate,
  parseListBuckets,
  parseListObjectsV2,
  parseListParts,
  parseListUploads,
  parseResultEtag,
  parseTagging,
  taggingXml,
} from './s3-results';

export interface S3StoreOptions {
  /** `http://127.0.0.1:17480`, `https://s3.eu-west-1.amazonaws.com`, … */
  endpoint: string;
  /** Signing region for buckets whose region is not known yet (and for ListBuckets). */
  region: string;
  /** Path-style addressing (most S3-compatible servers need it). */
  pathStyle?: boolean;
  credentials: SigV4Credentials;
  /** Connections per host (= requests in flight per host). */
  maxConnections?: number;
  /** Time allowed for response headers and for each silence in a body. Default 60 s. */
  requestTimeoutMs?: number;
  /** Headers timeout for server-side copies and Complete, which answer only when done. Default 10 min. */
  copyTimeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  /** Routes requests through this undici dispatcher (fault injection, proxies, tests). */
  dispatcher?: HttpClientOptions['dispatcher'];
  /** Sees every request and response (request-id logging). */
  observe?: HttpClientOptions['observe'];
}

type Body = Buffer | Readable;

interface S3Call {
  /** Operation name for messages (`HeadObject`). */
  operation: string;
  method: 'GET' | 'HEAD' | 'PUT' | 'POST' | 'DELETE';
  bucket?: string;
  key?: string;
  query?: QueryParam[];
  /** Wire-byte header values. */
  headers?: Record<string, string>;
  body?: Body;
  /** Retry on transient failures (false for calls that create something new on each send). */
  idempotent?: boolean;
  signal?: AbortSignal;
  headersTimeoutMs?: number;
  /** Statuses that are not errors (default: 2xx). */
  accept?: (status: number) => boolean;
  /** Counts the sends (retries and redirects included). */
  tries?: { count: number };
}

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

const ok2xx = (status: number) => status >= 200 && status < 300;

export class S3Store implements ObjectStore {
  readonly kind = 's3' as const;
  readonly capabilities: ProviderCapabilities;
  readonly endpoint: S3Endpoint;
  private readonly http: HttpClient;
  private readonly clock = new ClockOffsets();
  /** Bucket → region, learnt from HeadBucket/GetBucketLocation or a wrong-region answer. */
  private readonly regions = new Map<string, string>();
  private readonly copyTimeoutMs: number;

  constructor(private readonly options: S3StoreOptions) {
    if (!options.credentials.accessKeyId || !options.credentials.secretAccessKey) {
      throw invalidInput('an access key id and a secret access key are required');
    }
    this.endpoint = new S3Endpoint(options.endpoint, options.pathStyle ?? false);
    this.capabilities = {
      minPartSize: 5 * MiB,
      maxPartSize: 5 * GiB,
      maxParts: 10_000,
      copyObjectMaxSize: 5 * GiB,
      wholeObjectCrc64: false,
      // AWS honours If-None-Match on PutObject, CopyObject and Complete (2024); Ceph RGW 16.2 only
      // on PutObject and ignores it on the other two, as other compatibles may (§4.1).
      conditionalWrites: { put: true, copy: this.endpoint.isAws, complete: this.endpoint.isAws },
    };
    const timeout = options.requestTimeoutMs ?? 60_000;
    this.copyTimeoutMs = options.copyTimeoutMs ?? 10 * 60_000;
    this.http = new HttpClient({
      maxConnections: options.maxConnections,
      headersTimeoutMs: timeout,
      bodyTimeoutMs: timeout,
      dispatcher: options.dispatcher,
      observe: options.observe,
    });
  }

  /** Closes the connection pools. */
  close(): Promise<void> {
    return this.http.close();
  }

  private regionOf(bucket: string | undefined): string {
    return (bucket !== undefined ? this.regions.get(bucket) : undefined) ?? this.options.region;
  }

  // ------------------------------------------------------------------------------------------
  // Request pipeline

  /** Signs and sends one attempt with the given region. */
  private async attempt(call: S3Call, region: string): Promise<HttpResponse> {
    if (call.tries) call.tries.count++;
    const target = this.endpoint.target(region, call.bucket, call.key);
    const body = call.body;
    const headers: Record<string, string> = { host: target.host, ...call.headers };
    let payloadHash = EMPTY_PAYLOAD_SHA256;
    if (Buffer.isBuffer(body)) {
      payloadHash = payloadSha256(body);
      headers['content-length'] = String(body.length);
    } else if (body) {
      // A stream is hashed by nobody: S3 accepts UNSIGNED-PAYLOAD, and TLS protects the bytes.
      payloadHash = UNSIGNED_PAYLOAD;
    }
    const signed = signRequest(
      { method: call.method, path: target.path, query: call.query, headers, payloadHash },
      this.options.credentials,
      { region, date: this.clock.now(this.endpoint.origin) },
    );
    return this.http.request({
      method: call.method,
      origin: target.origin,
      path: signed.query ? `${target.path}?${signed.query}` : target.path,
      headers: signed.headers,
      body,
      signal: call.signal,
      headersTimeoutMs: call.headersTimeoutMs,
    });
  }

  /** Reads an error answer into a StorageError (the body is consumed). */
  private async failure(res: HttpResponse, call: S3Call): Promise<StorageError> {
    const text = call.method === 'HEAD' ? '' : await readText(res, MiB).catch(() => '');
    if (call.method === 'HEAD') await discardBody(res);
    const err = s3Error(res, text, this.context(call));
    // Ceph RGW answers ListParts for an unknown upload with NoSuchKey; the engine's resume logic
    // (docs/PROTOCOL.md §7.4) looks for NoSuchUpload.
    if (err.status === 404 && err.code === 'NoSuchKey' && call.query?.some(([name]) => name === 'uploadId')) {
      err.code = 'NoSuchUpload';
      err.message = s3Error(res, '<Error><Code>NoSuchUpload</Code></Error>', this.context(call)).message;
    }
    // Some servers (Ceph RGW 16.2 with a 0xA0 byte, e.g. in "张") canonicalise non-ASCII header
    // bytes differently, so the secret is not what is wrong: say so instead of blaming the keys.
    if (
      err.code === 'SignatureDoesNotMatch' &&
      // eslint-disable-next-line no-control-regex
      Object.values(call.headers ?? {}).some((v) => /[^\x00-\x7f]/.test(v))
    ) {
      err.message =
        'the server rejected the signature of a request carrying non-ASCII metadata (SignatureDoesNotMatch): ' +
        'it probably does not accept these characters in metadata headers';
    }
    return err;
  }

  private context(call: S3Call): S3ErrorContext {
    return { operation: call.operation, bucket: call.bucket, key: call.key };
  }

  /**
   * Sends a call with region redirect, clock-skew correction and retries. Resolves with an accepted
   * response whose body is unread; rejects with a StorageError.
   */
  private async send(call: S3Call): Promise<HttpResponse> {
    assertS3Names(call.operation, call.bucket, call.key);
    const accept = call.accept ?? ok2xx;
    const replayable = !(call.body instanceof Readable);
    return withRetry(
      async () => {
        let region = this.regionOf(call.bucket);
        let res = await this.attempt(call, region);
        if (!accept(res.status)) {
          let err = await this.failure(res, call);
          const redirect = this.redirectRegion(err, call, region);
          if (redirect && replayable) {
            this.regions.set(call.bucket!, redirect);
            region = redirect;
            res = await this.attempt(call, region);
            if (accept(res.status)) return res;
            err = await this.failure(res, call);
          }
          throw err;
        }
        return res;
      },
      {
        policy: this.options.retry,
        idempotent: call.idempotent ?? true,
        replayable,
        signal: call.signal,
        clock: this.clock,
        endpoint: this.endpoint.origin,
      },
    );
  }

  /** The region a wrong-region answer points to, when it differs from the one used (§2.5). */
  private redirectRegion(err: StorageError, call: S3Call, used: string): string | undefined {
    if (call.bucket === undefined || !err.region || err.region === used) return undefined;
    const wrongRegion =
      err.status === 301 ||
      err.status === 307 ||
      (err.status === 400 && (err.code === 'AuthorizationHeaderMalformed' || err.code === 'BadRequest')) ||
      // HEAD carries no body; S3 then answers a bare 403/400/301 with the region header.
      (call.method === 'HEAD' && err.status === 403);
    return wrongRegion ? err.region : undefined;
  }

  /**
   * A streamed body cannot be re-sent after a wrong-region answer, so learn the region first when
   * the endpoint is AWS (where buckets live in many regions).
   */
  private async ensureRegion(bucket: string, signal?: AbortSignal): Promise<void> {
    if (this.endpoint.isAws && !this.regions.has(bucket)) await this.bucketRegion(bucket, { signal });
  }

  /**
   * Sends a call whose 200 answer carries a result document that may be an `<Error>` (§4.4, §5.3).
   * `send` already retried transport failures and error statuses; this loop re-sends only after a
   * retryable 200-with-Error or a result document cut off by a broken connection.
   */
  private async sendForResult(call: S3Call): Promise<{ res: HttpResponse; body: string }> {
    const policy = { ...DEFAULT_RETRY_POLICY, ...this.options.retry };
    for (let n = 1; ; n++) {
      const res = await this.send({ ...call, headersTimeoutMs: call.headersTimeoutMs ?? this.copyTimeoutMs });
      let failure: StorageError;
      try {
        const body = await readText(res, 16 * MiB);
        const embedded = errorIn200(res, body, this.context(call));
        if (!embedded) return { res, body };
        failure = embedded;
      } catch (err) {
        // The connection broke while the result document arrived: as retryable as a reset before it.
        if (!(err instanceof StorageError)) throw err;
        failure = err;
      }
      if (call.signal?.aborted || n >= policy.maxAttempts || !shouldRetry(failure, call.idempotent ?? true))
        throw failure;
      await abortableSleep(backoffDelay(n, policy), call.signal);
    }
  }

  // ------------------------------------------------------------------------------------------
  // Buckets

  checkKey(key: string): void {
    assertS3Names('Copy', undefined, key);
  }

  async copyDomain(bucket: string): Promise<CopyDomain> {
    const region = await this.bucketRegion(bucket);
    return {
      kind: 's3',
      key: `s3|${this.endpoint.origin}|${this.options.credentials.accessKeyId}|${region}`,
    };
  }

  async listBuckets(opts?: RequestOptions): Promise<BucketInfo[]> {
    const buckets: BucketInfo[] = [];
    let token: string | undefined;
    // Servers that do not page (most S3-compatibles) answer everything at once, without a token.
    do {
      const query: QueryParam[] = token ? [['continuation-token', token]] : [];
      const res = await this.send({ operation: 'ListBuckets', method: 'GET', query, signal: opts?.signal });
      const page = parseListBuckets(await readText(res));
      for (const b of page.buckets) {
        if (b.region) this.regions.set(b.name, b.region);
        buckets.push(b);
      }
      token = page.continuationToken !== token ? page.continuationToken : undefined;
    } while (token);
    return buckets;
  }

  async bucketRegion(bucket: string, opts?: RequestOptions): Promise<string> {
    const known = this.regions.get(bucket);
    if (known) return known;
    // AWS: HeadBucket names the region even when it answers 301/403 (§2.4). Other servers (Ceph,
    // MinIO, R2…) do not name it there, so they are asked with GetBucketLocation first: one round
    // instead of two before a copy can start.
    let region = this.endpoint.isAws ? undefined : await this.locationIfAnswered(bucket, opts);
    if (!region) {
      const res = await this.send({
        operation: 'HeadBucket',
        method: 'HEAD',
        bucket,
        signal: opts?.signal,
        accept: (s) => ok2xx(s) || s === 301 || s === 307 || s === 403 || s === 400,
      });
      await discardBody(res);
      region = res.headers['x-amz-bucket-region'];
      if (!region) {
        if (!ok2xx(res.status)) throw s3Error(res, '', { operation: 'HeadBucket', bucket });
        // Reachable with our signature but unnamed: the region we sign with is the bucket's.
        region = this.endpoint.isAws ? await this.location(bucket, opts) : this.options.region;
      }
    }
    this.regions.set(bucket, region);
    return region;
  }

  private async location(bucket: string, opts?: RequestOptions): Promise<string> {
    const loc = await this.send({
      operation: 'GetBucketLocation',
      method: 'GET',
      bucket,
      query: [['location', '']],
      signal: opts?.signal,
    });
    return parseBucketLocation(await readText(loc));
  }

  /** GetBucketLocation, or undefined where the server or the policy refuses it (HeadBucket decides then). */
  private async locationIfAnswered(bucket: string, opts?: RequestOptions): Promise<string | undefined> {
    try {
      return await this.location(bucket, opts);
    } catch (err) {
      const refused =
        err instanceof StorageError &&
        (err.status === 400 ||
          err.status === 405 ||
          err.status === 501 ||
          err.code === 'NotImplemented' ||
          (err.status === 403 && err.code === 'AccessDenied'));
      if (!refused || opts?.signal?.aborted) throw err;
      return undefined;
    }
  }

  /** Creates a bucket (in `region`, default the store's region); private, as S3 makes every new bucket. */
  async createBucket(
    bucket: string,
    region = this.options.region,
    opts?: CreateBucketOptions,
  ): Promise<void> {
    // us-east-1 is the one region that must not be named in CreateBucketConfiguration.
    const body =
      region === 'us-east-1'
        ? undefined
        : Buffer.from(buildXml('CreateBucketConfiguration', { LocationConstraint: region }));
    this.regions.set(bucket, region);
    const res = await this.send({
      operation: 'CreateBucket',
      method: 'PUT',
      bucket,
      body,
      signal: opts?.signal,
    });
    await discardBody(res);
  }

  /** Deletes an empty bucket. */
  async deleteBucket(bucket: string, opts?: RequestOptions): Promise<void> {
    const res = await this.send({
      operation: 'DeleteBucket',
      method: 'DELETE',
      bucket,
      signal: opts?.signal,
    });
    await discardBody(res);
    this.regions.delete(bucket);
  }

  async setBucketVersioning(
    bucket: string,
    state: 'Enabled' | 'Suspended',
    opts?: RequestOptions,
  ): Promise<void> {
    const body = Buffer.from(buildXml('VersioningConfiguration', { Status: state }), 'utf8');
    const res = await this.send({
      operation: 'PutBucketVersioning',
      method: 'PUT',
      bucket,
      query: [['versioning', '']],
      headers: xmlBodyHeaders(body),
      body,
      signal: opts?.signal,
    });
    await discardBody(res);
  }

  async bucketDetails(bucket: string, opts?: RequestOptions): Promise<BucketDetails> {
    const region = await this.bucketRegion(bucket, opts);
    const res = await this.send({
      operation: 'GetBucketVersioning',
      method: 'GET',
      bucket,
      query: [['versioning', '']],
      signal: opts?.signal,
    });
    const details: BucketDetails = { name: bucket, region, versioning: parseVersioning(await readText(res)) };
    // S3 has no per-bucket creation date call: ListBuckets names it, when the key may list buckets.
    const listed = await this.listBuckets(opts).catch(() => []);
    const created = listed.find((b) => b.name === bucket)?.creationDate;
    if (created) details.creationDate = created;
    return details;
  }

  async listObjectVersions(
    bucket: string,
    list: VersionListOptions,
    opts?: RequestOptions,
  ): Promise<VersionPage> {
    const query: QueryParam[] = [
      ['versions', ''],
      ['encoding-type', 'url'],
    ];
    if (list.prefix) query.push(['prefix', list.prefix]);
    if (list.delimiter) query.push(['delimiter', list.delimiter]);
    if (list.keyMarker !== undefined) {
      query.push(['key-marker', list.keyMarker]);
      if (list.versionIdMarker) query.push(['version-id-marker', list.versionIdMarker]);
    }
    if (list.maxKeys !== undefined) query.push(['max-keys', String(list.maxKeys)]);
    const res = await this.send({
      operation: 'ListObjectVersions',
      method: 'GET',
      bucket,
      query,
      signal: opts?.signal,
    });
    return parseListVersions(await readText(res));
  }

  async deleteObjectVersions(
    bucket: string,
    items: { key: string; versionId: string }[],
    opts?: RequestOptions,
  ): Promise<{ key: string; versionId?: string; code: string; message: string }[]> {
    const failed: { key: string; versionId?: string; code: string; message: string }[] = [];
    for (let i = 0; i < items.length; i += DELETE_BATCH) {
      const body = Buffer.from(deleteVersionsXml(items.slice(i, i + DELETE_BATCH)), 'utf8');
      const res = await this.send({
        operation: 'DeleteObjects',
        method: 'POST',
        bucket,
        query: [['delete', '']],
        headers: xmlBodyHeaders(body),
        body,
        signal: opts?.signal,
      });
      failed.push(...parseDeleteVersionsResult(await readText(res)));
    }
    return failed;
  }

  // ------------------------------------------------------------------------------------------
  // Listing

  async listObjects(bucket: string, list: ListOptions, opts?: RequestOptions): Promise<ListPage> {
    const query: QueryParam[] = [
      ['list-type', '2'],
      ['encoding-type', 'url'],
    ];
    if (list.prefix) query.push(['prefix', list.prefix]);
    if (list.delimiter) query.push(['delimiter', list.delimiter]);
    if (list.continuationToken) query.push(['continuation-token', list.continuationToken]);
    else if (list.startAfter) query.push(['start-after', list.startAfter]);
    if (list.maxKeys !== undefined) query.push(['max-keys', String(list.maxKeys)]);
    const res = await this.send({
      operation: 'ListObjectsV2',
      method: 'GET',
      bucket,
      query,
      signal: opts?.signal,
    });
    return parseListObjectsV2(await readText(res));
  }

  // ------------------------------------------------------------------------------------------
  // Objects

  async headObject(src: ObjectRef, opts?: RequestOptions): Promise<ObjectHead> {
    const res = await this.send({
      operation: 'HeadObject',
      method: 'HEAD',
      bucket: src.bucket,
      key: src.key,
      query: versionQuery(src),
      signal: opts?.signal,
    });
    await discardBody(res);
    return headFromHeaders(src.key, res.headers);
  }

  async getObject(src: ObjectRef, range?: ByteRange, opts?: RequestOptions): Promise<Readable> {
    if (range && !(range.start >= 0 && range.end >= range.start)) {
      throw invalidInput(`invalid byte range ${range.start}-${range.end}`);
    }
    const call: S3Call = {
      operation: 'GetObject',
      method: 'GET',
      bucket: src.bucket,
      key: src.key,
      query: versionQuery(src),
      headers: range ? { range: `bytes=${range.start}-${range.end}` } : {},
      signal: opts?.signal,
    };
    const res = await this.send(call);
    if (range && res.status === 200) {
      // A server that ignored Range sends the whole object; only acceptable if that is the range.
      const length = Number(res.headers['content-length']);
      if (range.start !== 0 || length !== range.end + 1) {
        res.body.destroy();
        throw new StorageError({
          status: 200,
          code: 'RangeIgnored',
          message: 'the server ignored the byte range of GetObject',
        });
      }
    }
    return bodyStream(res);
  }

  async putObject(
    bucket: string,
    key: string,
    body: Readable | Buffer,
    size: number,
    write?: WriteOptions,
    opts?: RequestOptions,
  ): Promise<CopyResult> {
    if (!Buffer.isBuffer(body)) await this.ensureRegion(bucket, opts?.signal);
    if (Buffer.isBuffer(body) && body.length !== size) {
      throw invalidInput(`putObject: size ${size} does not match the ${body.length}-byte body`);
    }
    const res = await this.send({
      operation: 'PutObject',
      method: 'PUT',
      bucket,
      key,
      headers: { ...writeHeaders(write), 'content-length': String(size) },
      body,
      signal: opts?.signal,
    });
    await discardBody(res);
    return { etag: normalizeEtag(res.headers['etag']), versionId: res.headers['x-amz-version-id'] };
  }

  async deleteObject(bucket: string, key: string, opts?: RequestOptions): Promise<void> {
    const res = await this.send({
      operation: 'DeleteObject',
      method: 'DELETE',
      bucket,
      key,
      signal: opts?.signal,
    });
    await discardBody(res);
  }

  async deleteObjects(
    bucket: string,
    keys: string[],
    opts?: RequestOptions,
  ): Promise<{ key: string; code: string; message: string }[]> {
    return deleteInBatches(
      keys,
      (key) => this.deleteObject(bucket, key, opts),
      async (batch) => {
        const body = Buffer.from(deleteXml(batch), 'utf8');
        const res = await this.send({
          operation: 'DeleteObjects',
          method: 'POST',
          bucket,
          query: [['delete', '']],
          // S3 requires Content-MD5 (or a checksum) on multi-object delete.
          headers: xmlBodyHeaders(body),
          body,
          signal: opts?.signal,
        });
        return parseDeleteResult(await readText(res));
      },
    );
  }

  async copyObject(
    src: ObjectRef,
    dst: ObjectRef,
    copy: CopyObjectOptions,
    opts?: RequestOptions,
  ): Promise<CopyResult> {
    const headers: Record<string, string> = {
      ...writeHeaders(copy, copy.directive === 'REPLACE'),
      'x-amz-copy-source': encodeCopySource(src.bucket, src.key, src.versionId),
      'x-amz-metadata-directive': copy.directive,
    };
    if (copy.ifMatch) Object.assign(headers, copyIfMatchHeaders(copy.ifMatch));
    if (copy.taggingDirective) headers['x-amz-tagging-directive'] = copy.taggingDirective;
    if (copy.taggingDirective !== 'REPLACE') delete headers['x-amz-tagging'];
    const { res, body } = await this.sendForResult({
      operation: 'CopyObject',
      method: 'PUT',
      bucket: dst.bucket,
      key: dst.key,
      headers,
      signal: opts?.signal,
    });
    return {
      etag: parseResultEtag(body, 'CopyObjectResult'),
      versionId: res.headers['x-amz-version-id'],
    };
  }

  // ------------------------------------------------------------------------------------------
  // Multipart

  async createMultipartUpload(
    bucket: string,
    key: string,
    write: WriteOptions,
    opts?: RequestOptions,
  ): Promise<string> {
    const res = await this.send({
      operation: 'CreateMultipartUpload',
      method: 'POST',
      bucket,
      key,
      query: [['uploads', '']],
      headers: writeHeaders(write),
      // Each send creates another upload id; a retry would leave an orphan behind (§7.3).
      idempotent: false,
      signal: opts?.signal,
    });
    return parseInitiate(await readText(res));
  }

  async uploadPart(
    bucket: string,
    key: string,
    uploadId: string,
    partNumber: number,
    body: Readable | Buffer,
    size: number,
    opts?: RequestOptions,
  ): Promise<PartResult> {
    if (!Buffer.isBuffer(body)) await this.ensureRegion(bucket, opts?.signal);
    const res = await this.send({
      operation: 'UploadPart',
      method: 'PUT',
      bucket,
      key,
      query: partQuery(uploadId, partNumber),
      headers: { 'content-length': String(size) },
      body,
      signal: opts?.signal,
    });
    await discardBody(res);
    return { partNumber, etag: normalizeEtag(res.headers['etag']) };
  }

  async uploadPartCopy(
    bucket: string,
    key: string,
    uploadId: string,
    partNumber: number,
    src: ObjectRef,
    range: ByteRange,
    ifMatch?: string,
    opts?: RequestOptions,
  ): Promise<PartResult> {
    const headers: Record<string, string> = {
      'x-amz-copy-source': encodeCopySource(src.bucket, src.key, src.versionId),
      'x-amz-copy-source-range': `bytes=${range.start}-${range.end}`,
    };
    if (ifMatch) Object.assign(headers, copyIfMatchHeaders(ifMatch));
    const { body } = await this.sendForResult({
      operation: 'UploadPartCopy',
      method: 'PUT',
      bucket,
      key,
      query: partQuery(uploadId, partNumber),
      headers,
      signal: opts?.signal,
    });
    return { partNumber, etag: parseResultEtag(body, 'CopyPartResult') };
  }

  async completeMultipartUpload(
    bucket: string,
    key: string,
    uploadId: string,
    parts: PartResult[],
    opts?: RequestOptions,
    conditions?: Pick<WriteOptions, 'forbidOverwrite'>,
  ): Promise<CopyResult> {
    if (parts.length === 0) throw invalidInput('CompleteMultipartUpload needs at least one part');
    const body = Buffer.from(completeXml(parts), 'utf8');
    const tries = { count: 0 };
    try {
      const { res, body: result } = await this.sendForResult({
        operation: 'CompleteMultipartUpload',
        method: 'POST',
        bucket,
        key,
        query: [['uploadId', uploadId]],
        headers: {
          'content-type': 'application/xml',
          ...(conditions?.forbidOverwrite ? { 'if-none-match': '*' } : {}),
        },
        body,
        signal: opts?.signal,
        tries,
      });
      const etag = parseResultEtag(result, 'CompleteMultipartUploadResult');
      // Ceph RGW 16.2 answers with an empty <ETag/>; the object itself knows it.
      if (!etag) {
        const head = await this.headObject({ bucket, key }, opts);
        return { etag: head.etag, versionId: res.headers['x-amz-version-id'] ?? head.versionId, head };
      }
      return { etag, versionId: res.headers['x-amz-version-id'] };
    } catch (err) {
      // After an attempt whose outcome was lost, NoSuchUpload may mean the first one succeeded (§5.3).
      if (err instanceof StorageError && err.code === 'NoSuchUpload' && tries.count > 1) {
        err.message += '; an earlier attempt may have completed it — check the destination object';
      }
      throw err;
    }
  }

  async abortMultipartUpload(
    bucket: string,
    key: string,
    uploadId: string,
    opts?: RequestOptions,
  ): Promise<void> {
    const res = await this.send({
      operation: 'AbortMultipartUpload',
      method: 'DELETE',
      bucket,
      key,
      query: [['uploadId', uploadId]],
      signal: opts?.signal,
      // Already gone is what abort wants (§5.5). The body says whether it was NoSuchUpload.
      accept: (s) => ok2xx(s) || s === 404,
    });
    if (res.status === 404) {
      const err = await this.failure(res, {
        operation: 'AbortMultipartUpload',
        method: 'DELETE',
        bucket,
        key,
      });
      if (err.code !== 'NoSuchUpload') throw err;
      return;
    }
    await discardBody(res);
  }

  async *listParts(
    bucket: string,
    key: string,
    uploadId: string,
    opts?: RequestOptions,
  ): AsyncIterable<ListedPart> {
    let marker: string | undefined;
    for (;;) {
      const query: QueryParam[] = [
        ['uploadId', uploadId],
        ['max-parts', '1000'],
      ];
      if (marker) query.push(['part-number-marker', marker]);
      const res = await this.send({
        operation: 'ListParts',
        method: 'GET',
        bucket,
        key,
        query,
        signal: opts?.signal,
      });
      const page = parseListParts(await readText(res));
      yield* page.parts;
      if (!page.nextMarker || page.nextMarker === marker) return;
      marker = page.nextMarker;
    }
  }

  async *listMultipartUploads(
    bucket: string,
    prefix?: string,
    opts?: RequestOptions,
  ): AsyncIterable<MultipartUploadEntry> {
    let next: { keyMarker: string; uploadIdMarker: string } | undefined;
    for (;;) {
      // No encoding-type=url here: Ceph RGW then encodes Upload/Key but neither NextKeyMarker nor
      // says <EncodingType>, so the answer could not be decoded reliably.
      const query: QueryParam[] = [
        ['uploads', ''],
        ['max-uploads', '1000'],
      ];
      if (prefix) query.push(['prefix', prefix]);
      if (next) query.push(['key-marker', next.keyMarker], ['upload-id-marker', next.uploadIdMarker]);
      const res = await this.send({
        operation: 'ListMultipartUploads',
        method: 'GET',
        bucket,
        query,
        signal: opts?.signal,
      });
      const page = parseListUploads(await readText(res));
      yield* page.uploads;
      if (
        !page.next ||
        (next && page.next.keyMarker === next.keyMarker && page.next.uploadIdMarker === next.uploadIdMarker)
      ) {
        return;
      }
      next = page.next;
    }
  }

  // ------------------------------------------------------------------------------------------
  // Tags and URLs

  async getObjectTagging(src: ObjectRef, opts?: RequestOptions): Promise<Record<string, string>> {
    const res = await this.send({
      operation: 'GetObjectTagging',
      method: 'GET',
      bucket: src.bucket,
      key: src.key,
      query: [['tagging', ''], ...versionQuery(src)],
      signal: opts?.signal,
    });
    return parseTagging(await readText(res));
  }

  async putObjectTagging(dst: ObjectRef, tags: Record<string, string>, opts?: RequestOptions): Promise<void> {
    const body = Buffer.from(taggingXml(tags), 'utf8');
    const res = await this.send({
      operation: 'PutObjectTagging',
      method: 'PUT',
      bucket: dst.bucket,
      key: dst.key,
      query: [['tagging', ''], ...versionQuery(dst)],
      headers: xmlBodyHeaders(body),
      body,
      signal: opts?.signal,
    });
    await discardBody(res);
  }

  async presign(method: 'GET' | 'PUT', src: ObjectRef, expiresSeconds: number): Promise<string> {
    if (this.endpoint.isAws) await this.bucketRegion(src.bucket);
    const region = this.regionOf(src.bucket);
    const target = this.endpoint.target(region, src.bucket, src.key);
    const { query } = presignQuery(
      { method, path: target.path, query: versionQuery(src), host: target.host, expiresSeconds },
      this.options.credentials,
      { region, date: this.clock.now(this.endpoint.origin) },
    );
    return `${target.origin}${target.path}?${query}`;
  }

  /** Metadata headers for callers that build their own requests (e.g. a copy that reproduces metadata). */
}

function versionQuery(ref: ObjectRef): QueryParam[] {
  return ref.versionId ? [['versionId', ref.versionId]] : [];
}

function partQuery(uploadId: string, partNumber: number): QueryParam[] {
  if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > 10_000) {
    throw invalidInput(`part number ${partNumber} is outside 1..10000`);
  }
  return [
    ['partNumber', String(partNumber)],
    ['uploadId', uploadId],
  ];
}

/**
 * The source condition of a copy. Ceph RGW up to at least 16.2 reads `x-amz-copy-if-match` instead
 * of the documented `x-amz-copy-source-if-match` on CopyObject (and ignores both on UploadPartCopy);
 * sending both makes RGW enforce it, and AWS ignores the unknown one.
 */
function copyIfMatchHeaders(etag: string): Record<string, string> {
  const quoted = quoteEtag(etag);
  return { 'x-amz-copy-source-if-match': quoted, 'x-amz-copy-if-match': quoted };
}

/** Every XML request body goes with its Content-MD5: S3 requires one on multi-object delete, and it is cheap. */
function xmlBodyHeaders(body: Buffer): Record<string, string> {
  return {
    'content-md5': createHash('md5').update(body).digest('base64'),
    'content-type': 'application/xml',
  };
}
