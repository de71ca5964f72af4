/**
 * The native Alibaba Cloud OSS provider: requests are built, signed (V4 by default, V1 on demand)
 * and parsed here, with undici underneath (`../http`) and no SDK. Every failure is a StorageError.
 *
 * Two corrections happen inside a call, once each: a 403 naming another `<Endpoint>` re-sends the
 * request to that region and remembers it for the bucket (docs/PROTOCOL.md §2.5), and `RequestTimeTooSkewed` adopts
 * the server's clock and re-signs (§1.7). Transient failures are retried by `withRetry`.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { DELETE_BATCH, deleteInBatches } from '../batch-delete';
import { StorageError, invalidInput } from '../errors';
import { decodeUrlEncoded, encodeCopySource, formatQuery, fromHeaderBytes, toHeaderBytes } from '../encoding';
import { HttpClient, bodyStream, discardBody, readText, type HttpMethod, type HttpResponse } from '../http';
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
  ObjectMetadata,
  ObjectRef,
  ObjectStore,
  PartResult,
  ProviderCapabilities,
  RequestOptions,
  ServerSideEncryption,
  WriteOptions,
} from '../provider';
import {
  DEFAULT_RETRY_POLICY,
  abortableSleep,
  backoffDelay,
  shouldRetry,
  withRetry,
  type RetryPolicy,
} from '../retry';
import { presignOssV1, presignOssV4 } from '../signing/oss-presign';
import type { OssCredentials, OssSignable } from '../signing/oss-request';
import { signOssV1 } from '../signing/oss-v1';
import { signOssV4 } from '../signing/oss-v4';
import {
  buildXml,
  childBool,
  childNode,
  childNodes,
  childNumber,
  childText,
  parseErrorXml,
  parseXml,
  xmlRoot,
  type XmlNode,
} from '../xml';
import { normalizeEtag, quoteEtag } from '../../../preload/shared/etag';
import {
  endpointForRegion,
  endpointFromRedirect,
  describeOssHost,
  ossEndpointHost,
  ossRegionId,
  ossUrl,
  parseOssEndpoint,
  type OssEndpoint,
} from './oss-endpoints';
import { isWrongEndpoint, ossError, ossErrorFromResponse } from './oss-errors';
import { deleteVersionsXml, parseDeleteVersionsResult, parseListVersions } from '../versions-xml';
import { assertOssKey } from './oss-names';

export interface OssStoreOptions {
  /** `https://oss-cn-hangzhou.aliyuncs.com`, an internal/accelerate endpoint, a CNAME or a private server. */
  endpoint: string;
  /** V4 region id (`cn-hangzhou`); taken from a standard endpoint when omitted. */
  region?: string;
  signatureVersion?: 'v4' | 'v1';
  /** `/bucket/key` URLs: needed by private/compatible servers; forced for IP endpoints. */
  pathStyle?: boolean;
  /**
   * The endpoint is a custom domain (CNAME) bound to one bucket: no bucket in the host or path, the
   * signature still names `/bucket/key` (§2.1). New accounts must use one for data calls on buckets
   * in mainland China (since March 2025).
   */
  cname?: boolean;
  /** With `cname`, the bucket the domain is bound to: the account's only bucket. */
  cnameBucket?: string;
  credentials: OssCredentials;
  /** Shared HTTP client (connection pools); one is created when omitted. */
  http?: HttpClient;
  /** Milliseconds since the epoch; injected in tests. */
  clock?: () => number;
  retry?: Partial<RetryPolicy>;
}

export const OSS_CAPABILITIES: ProviderCapabilities = {
  minPartSize: 100 * 1024,
  maxPartSize: 5 * 1024 ** 3,
  maxParts: 10_000,
  copyObjectMaxSize: 1024 ** 3,
  wholeObjectCrc64: true,
  // `x-oss-forbid-overwrite` on PutObject, CopyObject, Initiate and Complete (§4.1).
  conditionalWrites: { put: true, copy: true, complete: true },
};

type Query = Record<string, string>;

interface OssCall {
  method: HttpMethod;
  bucket?: string;
  key?: string;
  query?: Query;
  headers?: Record<string, string>;
  body?: Buffer | Readable;
  /** Statuses that are not errors (default: any 2xx). */
  ok?: number[];
  /** Safe to send twice (default true). */
  idempotent?: boolean;
  signal?: AbortSignal;
}

export class OssStore implements ObjectStore {
  readonly kind = 'oss' as const;
  readonly capabilities = OSS_CAPABILITIES;

  private readonly endpoint: OssEndpoint;
  private readonly region: string;
  private readonly version: 'v4' | 'v1';
  private readonly http: HttpClient;
  private readonly clock: () => number;
  /** Buckets found (by a wrong-region answer or a listing) to live behind another endpoint. */
  private readonly bucketEndpoints = new Map<string, OssEndpoint>();
  private readonly bucketRegions = new Map<string, string>();
  /** `ExtranetEndpoint` hosts ListBuckets gave, for buckets an `-internal` endpoint cannot reach. */
  private readonly listedEndpoints = new Map<string, string>();
  /** Server clock minus ours, per host, from RequestTimeTooSkewed answers. */
  private readonly clockOffsets = new Map<string, number>();

  constructor(private readonly options: OssStoreOptions) {
    this.endpoint = parseOssEndpoint(options.endpoint);
    const region = options.region ?? describeOssHost(this.endpoint.host)?.region;
    if (!region) throw invalidInput(`the region of OSS endpoint ${options.endpoint} must be given`);
    this.region = ossRegionId(region);
    this.version = options.signatureVersion ?? 'v4';
    this.http = options.http ?? new HttpClient();
    this.clock = options.clock ?? Date.now;
  }

  // ---------- request machinery ----------

  /**
   * Where a bucket's requests go and the region they are signed for (§2.1). The region is always the
   * bucket's own once known — an accelerate, private-link, CNAME or IP endpoint names no region, and
   * the profile's region is only the first guess. A bucket in another region than a standard endpoint
   * goes to that region's endpoint of the same kind, except an `-internal` one: it is reachable only
   * from inside its own region, so such a bucket goes to the public endpoint ListBuckets named for
   * it, or to its region's public endpoint.
   */
  private endpointFor(bucket?: string): { endpoint: OssEndpoint; region: string } {
    if (!bucket) return { endpoint: this.endpoint, region: this.region };
    const known = this.bucketRegions.get(bucket);
    const learned = this.bucketEndpoints.get(bucket);
    if (learned)
      return { endpoint: learned, region: describeOssHost(learned.host)?.region ?? known ?? this.region };
    if (!known) return { endpoint: this.endpoint, region: this.region };
    const configured = describeOssHost(this.endpoint.host);
    if (this.options.cname || !configured || configured.region === known)
      return { endpoint: this.endpoint, region: known };
    if (configured.kind === 'internal') {
      const listed = this.listedEndpoints.get(bucket);
      const publicHost = listed && describeOssHost(listed)?.kind !== 'internal' ? listed : undefined;
      return {
        endpoint: { protocol: this.endpoint.protocol, host: publicHost ?? ossEndpointHost(known, 'public') },
        region: known,
      };
    }
    return { endpoint: endpointForRegion(this.endpoint, known), region: known };
  }

  /** Signs and builds the wire form of one attempt: header values as UTF-8 bytes, as signed. */
  private prepare(call: OssCall, endpoint: OssEndpoint, region: string) {
    const req: OssSignable = {
      method: call.method,
      bucket: call.bucket,
      key: call.key,
      query: call.query ?? {},
      headers: call.headers ?? {},
    };
    const now = this.clock() + (this.clockOffsets.get(endpoint.host) ?? 0);
    const signed =
      this.version === 'v4'
        ? signOssV4(req, this.options.credentials, { region }, now)
        : signOssV1(req, this.options.credentials, now);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(signed.headers)) headers[name] = toHeaderBytes(value);
    const url = ossUrl(endpoint, this.options, call.bucket, call.key);
    const query = formatQuery(Object.entries(req.query), { emptyValueEquals: false });
    return { origin: url.origin, path: query ? `${url.path}?${query}` : url.path, headers };
  }

  private async sendOnce(call: OssCall): Promise<HttpResponse> {
    let redirected = false;
    let skewCorrected = false;
    for (;;) {
      const { endpoint, region } = this.endpointFor(call.bucket);
      const wire = this.prepare(call, endpoint, region);
      const sentAt = this.clock();
      const res = await this.http.request({
        method: call.method,
        ...wire,
        body: call.body,
        signal: call.signal,
      });
      const ok = call.ok ? call.ok.includes(res.status) : res.status >= 200 && res.status < 300;
      if (ok) return res;
      const err = await ossErrorFromResponse(res, call.method);
      // A stream body has been (partly) consumed: learn from the answer, but let the caller resend.
      const replayable = !(call.body instanceof Readable);
      if (call.bucket && isWrongEndpoint(err) && !redirected) {
        redirected = true;
        const moved = this.reachable(endpointFromRedirect(this.endpoint, err.endpoint!, call.bucket));
        this.bucketEndpoints.set(call.bucket, moved);
        const movedRegion = describeOssHost(moved.host)?.region;
        if (movedRegion) this.bucketRegions.set(call.bucket, movedRegion);
        if (replayable) continue;
      }
      if (err.code === 'RequestTimeTooSkewed' && !skewCorrected && err.serverDate) {
        const server = Date.parse(err.serverDate);
        if (!Number.isNaN(server)) {
          skewCorrected = true;
          this.clockOffsets.set(endpoint.host, server - sentAt);
          if (replayable) continue;
        }
      }
      throw err;
    }
  }

  private call(call: OssCall): Promise<HttpResponse> {
    // Refused here, before any request, rather than by OSS after the source was read (§2.1).
    if (call.key !== undefined) assertOssKey(call.key);
    if (call.bucket !== undefined) this.assertServed(call.bucket);
    return withRetry(() => this.sendOnce(call), {
      policy: this.options.retry,
      idempotent: call.idempotent ?? true,
      replayable: !(call.body instanceof Readable),
      signal: call.signal,
    });
  }

  /**
   * A call whose answer is an XML document; a 200 carrying `<Error>` is still an error. `call`
   * retried failures up to the answer's headers; an answer cut off by a broken connection while its
   * document arrived is as retryable as a reset before it (as the S3 store does), so it is sent again
   * here — found by the fault suite on OSS, where a reset mid-answer failed whole folder copies.
   */
  private async callXml(call: OssCall): Promise<{ res: HttpResponse; root: XmlNode; text: string }> {
    const policy = { ...DEFAULT_RETRY_POLICY, ...this.options.retry };
    for (let attempt = 1; ; attempt++) {
      const res = await this.call(call);
      let text: string;
      try {
        text = await readText(res);
      } catch (err) {
        const again =
          err instanceof StorageError &&
          !call.signal?.aborted &&
          !(call.body instanceof Readable) &&
          attempt < policy.maxAttempts &&
          shouldRetry(err, call.idempotent ?? true);
        if (!again) throw err;
        await abortableSleep(backoffDelay(attempt, policy), call.signal);
        continue;
      }
      const root = xmlRoot(text);
      if (root?.name === 'Error') throw ossError(res.status, res.headers, parseErrorXml(text));
      return { res, root: root?.node ?? {}, text };
    }
  }

  private async callEmpty(call: OssCall): Promise<HttpResponse> {
    const res = await this.call(call);
    await discardBody(res);
    return res;
  }

  checkKey(key: string): void {
    assertOssKey(key);
  }

  /** A custom domain serves the bucket it is bound to and no other (§2.1). */
  private assertServed(bucket: string): void {
    const bound = this.options.cnameBucket;
    if (!this.options.cname || !bound || bucket === bound) return;
    throw invalidInput(
      `this account's custom domain ${this.endpoint.host} serves bucket "${bound}" only, not "${bucket}"`,
      'NoSuchBucket',
    );
  }

  // ---------- buckets ----------

  async copyDomain(bucket: string): Promise<CopyDomain> {
    // OSS copies server-side only within one region (§4.2), and only with one account's keys.
    const account = this.options.credentials.accessKeyId;
    const region = this.bucketRegions.get(bucket) ?? (await this.lookUpRegion(bucket));
    // A region that cannot be found (a RAM user without GetBucketLocation) is no region: the bucket
    // shares a copy domain with itself only, so a copy to another bucket streams instead of sending
    // a CopyObject that could cross regions.
    return { kind: 'oss', key: region ? `${account}@${region}` : `${account}@unknown/${bucket}` };
  }

  /** The bucket's region from GetBucketLocation, else from `?bucketInfo`; undefined if neither answers. */
  private async lookUpRegion(bucket: string): Promise<string | undefined> {
    try {
      return await this.bucketRegion(bucket);
    } catch {
      return (await this.bucketInfo(bucket).catch(() => undefined))?.region;
    }
  }

  /**
   * An endpoint a wrong-region answer named, made reachable: another region's `-internal` endpoint
   * is useless from here (an internal endpoint works only inside its own region), so that region's
   * public endpoint is used instead.
   */
  private reachable(moved: OssEndpoint): OssEndpoint {
    const to = describeOssHost(moved.host);
    const from = describeOssHost(this.endpoint.host);
    if (to?.kind !== 'internal' || (from?.kind === 'internal' && from.region === to.region)) return moved;
    return { protocol: moved.protocol, host: ossEndpointHost(to.region, 'public') };
  }

  async listBuckets(opts?: RequestOptions): Promise<BucketInfo[]> {
    // A custom domain answers `GET /` with its bucket's objects: the bucket is the one it is bound to.
    if (this.options.cname && this.options.cnameBucket) {
      const known = this.bucketRegions.get(this.options.cnameBucket);
      return [{ name: this.options.cnameBucket, region: known ?? this.region }];
    }
    const buckets: BucketInfo[] = [];
    let marker = '';
    for (;;) {
      const query: Query = { 'max-keys': '1000' };
      if (marker) query.marker = marker;
      const { root } = await this.callXml({ method: 'GET', query, signal: opts?.signal });
      for (const b of childNodes(childNode(root, 'Buckets'), 'Bucket')) {
        const info = bucketInfoFrom(b);
        buckets.push(info);
        if (info.region) this.bucketRegions.set(info.name, info.region);
        if (info.endpoint) this.listedEndpoints.set(info.name, info.endpoint.toLowerCase());
      }
      const next = childText(root, 'NextMarker');
      if (!childBool(root, 'IsTruncated') || !next || next === marker) return buckets;
      marker = next;
    }
  }

  /** The bucket's V4 region id (`cn-hangzhou`), from `GET /?location`. */
  async bucketRegion(bucket: string, opts?: RequestOptions): Promise<string> {
    const { text } = await this.callXml({
      method: 'GET',
      bucket,
      query: { location: '' },
      signal: opts?.signal,
    });
    // The root element itself holds the text: `<LocationConstraint>oss-cn-hangzhou</LocationConstraint>`.
    const location = childText(parseXml(text), 'LocationConstraint')?.trim();
    if (!location)
      throw new StorageError({ status: 200, code: 'InvalidResponse', message: 'no LocationConstraint' });
    const region = ossRegionId(location);
    this.bucketRegions.set(bucket, region);
    return region;
  }

  /** `GET /?bucketInfo`: name, region, creation date, storage class, endpoints. */
  async bucketInfo(bucket: string, opts?: RequestOptions): Promise<BucketInfo & { versioning?: string }> {
    const { root } = await this.callXml({
      method: 'GET',
      bucket,
      query: { bucketInfo: '' },
      signal: opts?.signal,
    });
    const node = childNode(root, 'Bucket');
    const info = bucketInfoFrom(node ?? {});
    if (info.region) this.bucketRegions.set(bucket, info.region);
    if (info.endpoint) this.listedEndpoints.set(bucket, info.endpoint.toLowerCase());
    const versioning = childText(node, 'Versioning');
    return versioning ? { ...info, versioning } : info;
  }

  /**
   * `PUT /` on the bucket: private (`x-oss-acl`), with the storage class asked for. A region other
   * than the account's is reached through that region's endpoint (OSS has no LocationConstraint).
   */
  async createBucket(bucket: string, region?: string, opts?: CreateBucketOptions): Promise<void> {
    if (region) this.bucketRegions.set(bucket, ossRegionId(region));
    const body = Buffer.from(
      buildXml('CreateBucketConfiguration', opts?.storageClass ? { StorageClass: opts.storageClass } : {}),
      'utf8',
    );
    try {
      await this.callEmpty({
        method: 'PUT',
        bucket,
        headers: { ...xmlBodyHeaders(body), 'x-oss-acl': 'private' },
        body,
        idempotent: false,
        signal: opts?.signal,
      });
    } catch (err) {
      this.bucketRegions.delete(bucket);
      throw err;
    }
  }

  async deleteBucket(bucket: string, opts?: RequestOptions): Promise<void> {
    await this.callEmpty({ method: 'DELETE', bucket, signal: opts?.signal });
    this.bucketRegions.delete(bucket);
    this.bucketEndpoints.delete(bucket);
  }

  async setBucketVersioning(
    bucket: string,
    state: 'Enabled' | 'Suspended',
    opts?: RequestOptions,
  ): Promise<void> {
    const body = Buffer.from(buildXml('VersioningConfiguration', { Status: state }), 'utf8');
    await this.callEmpty({
      method: 'PUT',
      bucket,
      query: { versioning: '' },
      headers: xmlBodyHeaders(body),
      body,
      signal: opts?.signal,
    });
  }

  async bucketDetails(bucket: string, opts?: RequestOptions): Promise<BucketDetails> {
    const info = await this.bucketInfo(bucket, opts);
    const v = info.versioning;
    const details: BucketDetails = {
      name: info.name || bucket,
      versioning: v === 'Enabled' || v === 'Suspended' ? v : 'Off',
    };
    if (info.region) details.region = info.region;
    if (info.creationDate) details.creationDate = info.creationDate;
    if (info.storageClass) details.storageClass = info.storageClass;
    return details;
  }

  async listObjectVersions(
    bucket: string,
    list: VersionListOptions,
    opts?: RequestOptions,
  ): Promise<VersionPage> {
    const query: Query = { versions: '', 'encoding-type': 'url', 'max-keys': String(list.maxKeys ?? 1000) };
    if (list.prefix) query.prefix = list.prefix;
    if (list.delimiter) query.delimiter = list.delimiter;
    if (list.keyMarker !== undefined) {
      query['key-marker'] = list.keyMarker;
      if (list.versionIdMarker) query['version-id-marker'] = list.versionIdMarker;
    }
    const { text } = await this.callXml({ method: 'GET', bucket, query, signal: opts?.signal });
    return parseListVersions(text);
  }

  async deleteObjectVersions(
    bucket: string,
    items: { key: string; versionId: string }[],
    opts?: RequestOptions,
  ): Promise<{ key: string; versionId?: string; code: string; message: string }[]> {
    const failed: { key: string; versionId?: string; code: string; message: string }[] = [];
    for (let i = 0; i < items.length; i += DELETE_BATCH) {
      const body = Buffer.from(deleteVersionsXml(items.slice(i, i + DELETE_BATCH)), 'utf8');
      const { text } = await this.callXml({
        method: 'POST',
        bucket,
        query: { delete: '' },
        headers: xmlBodyHeaders(body),
        body,
        signal: opts?.signal,
      });
      failed.push(...parseDeleteVersionsResult(text));
    }
    return failed;
  }

  // ---------- listing ----------

  async listObjects(bucket: string, list: ListOptions, opts?: RequestOptions): Promise<ListPage> {
    const query: Query = {
      'list-type': '2',
      'encoding-type': 'url',
      'max-keys': String(list.maxKeys ?? 1000),
    };
    if (list.prefix) query.prefix = list.prefix;
    if (list.delimiter) query.delimiter = list.delimiter;
    if (list.startAfter) query['start-after'] = list.startAfter;
    if (list.continuationToken) query['continuation-token'] = list.continuationToken;
    const { root } = await this.callXml({ method: 'GET', bucket, query, signal: opts?.signal });
    const encoded = childText(root, 'EncodingType') === 'url';
    const decode = (value: string | undefined): string | undefined =>
      value === undefined ? undefined : encoded ? decodeListField(value) : value;
    const objects = childNodes(root, 'Contents').map((c) => {
      const type = childText(c, 'Type');
      return {
        key: decode(childText(c, 'Key')) ?? '',
        size: childNumber(c, 'Size') ?? 0,
        etag: normalizeEtag(childText(c, 'ETag')),
        lastModified: childText(c, 'LastModified') ?? '',
        storageClass: childText(c, 'StorageClass'),
        ...(type ? { objectType: type } : {}),
      };
    });
    const prefixes = childNodes(root, 'CommonPrefixes').map((p) => decode(childText(p, 'Prefix')) ?? '');
    // OSS URL-encodes the continuation tokens too (§3.3); decoded here, re-encoded by the query encoder.
    const next = childBool(root, 'IsTruncated')
      ? decode(childText(root, 'NextContinuationToken'))
      : undefined;
    return next ? { objects, prefixes, nextToken: next } : { objects, prefixes };
  }

  // ---------- objects ----------

  async headObject(src: ObjectRef, opts?: RequestOptions): Promise<ObjectHead> {
    const res = await this.callEmpty({
      method: 'HEAD',
      bucket: src.bucket,
      key: src.key,
      query: versionQuery(src),
      signal: opts?.signal,
    });
    const h = res.headers;
    const tagCount = h['x-oss-tagging-count'];
    const encryption = encryptionFromHeaders(h);
    const objectType = h['x-oss-object-type'];
    return {
      key: src.key,
      size: Number(h['content-length'] ?? 0),
      etag: normalizeEtag(h['etag']),
      lastModified: h['last-modified'] ?? '',
      versionId: h['x-oss-version-id'],
      crc64: h['x-oss-hash-crc64ecma'],
      storageClass: h['x-oss-storage-class'],
      taggingCount: tagCount === undefined ? 0 : Number(tagCount),
      ...(objectType ? { objectType } : {}),
      ...(encryption ? { encryption } : {}),
      metadata: metadataFromHeaders(h),
    };
  }

  async getObject(src: ObjectRef, range?: ByteRange, opts?: RequestOptions): Promise<Readable> {
    const headers: Record<string, string> = {};
    if (range) {
      headers.range = `bytes=${range.start}-${range.end}`;
      // Without it OSS answers a range it cannot satisfy with the whole object and a 200.
      headers['x-oss-range-behavior'] = 'standard';
    }
    const res = await this.call({
      method: 'GET',
      bucket: src.bucket,
      key: src.key,
      query: versionQuery(src),
      headers,
      signal: opts?.signal,
    });
    if (range && res.status !== 206) {
      // Bytes from another offset would be written where the range belongs: refuse them.
      await discardBody(res);
      throw new StorageError({
        status: res.status,
        code: 'RangeIgnored',
        message: `OSS answered a ranged GET of "${src.key}" with ${res.status} instead of 206 Partial Content`,
        requestId: res.headers['x-oss-request-id'] as string | undefined,
      });
    }
    return bodyStream(res);
  }

  async putObject(
    bucket: string,
    key: string,
    body: Readable | Buffer,
    size: number,
    write: WriteOptions = {},
    opts?: RequestOptions,
  ): Promise<CopyResult> {
    const headers = { ...writeHeaders(write), 'content-length': String(size) };
    const res = await this.callEmpty({ method: 'PUT', bucket, key, headers, body, signal: opts?.signal });
    return resultFromHeaders(res, normalizeEtag(res.headers['etag']));
  }

  async deleteObject(bucket: string, key: string, opts?: RequestOptions): Promise<void> {
    await this.callEmpty({ method: 'DELETE', bucket, key, signal: opts?.signal });
  }

  async deleteObjects(
    bucket: string,
    keys: string[],
    opts?: RequestOptions,
  ): Promise<{ key: string; code: string; message: string }[]> {
    // `encoding-type=url` asks OSS to URL-encode the keys of its answer; the request's keys are XML
    // text, control characters as character references or sent alone (§3.5).
    return deleteInBatches(
      keys,
      (key) => this.deleteObject(bucket, key, opts),
      async (batch) => {
        const body = Buffer.from(
          buildXml('Delete', { Quiet: 'true', Object: batch.map((key) => ({ Key: key })) }),
          'utf8',
        );
        const { root } = await this.callXml({
          method: 'POST',
          bucket,
          query: { delete: '', 'encoding-type': 'url' },
          headers: xmlBodyHeaders(body),
          body,
          signal: opts?.signal,
        });
        const encoded = childText(root, 'EncodingType') === 'url';
        return childNodes(root, 'Error').map((e) => {
          const key = childText(e, 'Key') ?? '';
          return {
            key: encoded ? decodeListField(key) : key,
            code: childText(e, 'Code') ?? 'DeleteFailed',
            message: childText(e, 'Message') ?? '',
          };
        });
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
      ...(copy.directive === 'REPLACE' ? writeHeaders(copy) : writeHeaders({ ...copy, metadata: undefined })),
      'x-oss-copy-source': copySource(src),
      'x-oss-metadata-directive': copy.directive,
    };
    if (copy.ifMatch) headers['x-oss-copy-source-if-match'] = quoteEtag(copy.ifMatch);
    if (copy.taggingDirective) headers['x-oss-tagging-directive'] = copy.taggingDirective;
    if (copy.taggingDirective !== 'REPLACE') delete headers['x-oss-tagging'];
    const { res, root } = await this.callXml({
      method: 'PUT',
      bucket: dst.bucket,
      key: dst.key,
      headers,
      signal: opts?.signal,
    });
    return resultFromHeaders(res, normalizeEtag(childText(root, 'ETag') ?? res.headers['etag']));
  }

  // ---------- multipart ----------

  async createMultipartUpload(
    bucket: string,
    key: string,
    write: WriteOptions,
    opts?: RequestOptions,
  ): Promise<string> {
    const { root } = await this.callXml({
      method: 'POST',
      bucket,
      key,
      query: { uploads: '', 'encoding-type': 'url' },
      headers: writeHeaders(write),
      // Each Initiate creates another upload id: never re-sent blindly (§7.3).
      idempotent: false,
      signal: opts?.signal,
    });
    const uploadId = childText(root, 'UploadId');
    if (!uploadId)
      throw new StorageError({ status: 200, code: 'InvalidResponse', message: 'no UploadId in answer' });
    return uploadId;
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
    const res = await this.callEmpty({
      method: 'PUT',
      bucket,
      key,
      query: { partNumber: String(partNumber), uploadId },
      headers: { 'content-length': String(size) },
      body,
      signal: opts?.signal,
    });
    return {
      partNumber,
      etag: normalizeEtag(res.headers['etag']),
      crc64: res.headers['x-oss-hash-crc64ecma'],
    };
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
      'x-oss-copy-source': copySource(src),
      'x-oss-copy-source-range': `bytes=${range.start}-${range.end}`,
    };
    if (ifMatch) headers['x-oss-copy-source-if-match'] = quoteEtag(ifMatch);
    const { res, root } = await this.callXml({
      method: 'PUT',
      bucket,
      key,
      query: { partNumber: String(partNumber), uploadId },
      headers,
      signal: opts?.signal,
    });
    const part: PartResult = {
      partNumber,
      etag: normalizeEtag(childText(root, 'ETag') ?? res.headers['etag']),
    };
    const crc = res.headers['x-oss-hash-crc64ecma'];
    return crc ? { ...part, crc64: crc } : part;
  }

  async completeMultipartUpload(
    bucket: string,
    key: string,
    uploadId: string,
    parts: PartResult[],
    opts?: RequestOptions,
    conditions?: Pick<WriteOptions, 'forbidOverwrite'>,
  ): Promise<CopyResult> {
    // Ascending part numbers, each once (the last ETag recorded for a number wins).
    const byNumber = new Map(parts.map((p) => [p.partNumber, p]));
    const sorted = [...byNumber.values()].sort((a, b) => a.partNumber - b.partNumber);
    const body = Buffer.from(
      buildXml('CompleteMultipartUpload', {
        Part: sorted.map((p) => ({ PartNumber: p.partNumber, ETag: quoteEtag(p.etag) })),
      }),
      'utf8',
    );
    const { res, root } = await this.callXml({
      method: 'POST',
      bucket,
      key,
      query: { uploadId, 'encoding-type': 'url' },
      headers: { ...xmlBodyHeaders(body), ...(conditions?.forbidOverwrite ? FORBID_OVERWRITE : {}) },
      body,
      // A retried Complete can answer NoSuchUpload after the first one succeeded (§5.3): the copy
      // engine decides with a HEAD, so no blind retry here.
      idempotent: false,
      signal: opts?.signal,
    });
    return resultFromHeaders(res, normalizeEtag(childText(root, 'ETag') ?? res.headers['etag']));
  }

  async abortMultipartUpload(
    bucket: string,
    key: string,
    uploadId: string,
    opts?: RequestOptions,
  ): Promise<void> {
    try {
      await this.callEmpty({ method: 'DELETE', bucket, key, query: { uploadId }, signal: opts?.signal });
    } catch (err) {
      // Already completed or aborted: the goal of an abort is reached (§5.5).
      if (err instanceof StorageError && err.code === 'NoSuchUpload') return;
      throw err;
    }
  }

  async *listParts(
    bucket: string,
    key: string,
    uploadId: string,
    opts?: RequestOptions,
  ): AsyncIterable<ListedPart> {
    let marker = '';
    for (;;) {
      const query: Query = { uploadId, 'max-parts': '1000' };
      if (marker) query['part-number-marker'] = marker;
      const { root } = await this.callXml({ method: 'GET', bucket, key, query, signal: opts?.signal });
      for (const p of childNodes(root, 'Part')) {
        const part: ListedPart = {
          partNumber: childNumber(p, 'PartNumber') ?? 0,
          etag: normalizeEtag(childText(p, 'ETag')),
          size: childNumber(p, 'Size') ?? 0,
          lastModified: childText(p, 'LastModified'),
        };
        const crc = childText(p, 'HashCrc64ecma');
        yield crc ? { ...part, crc64: crc } : part;
      }
      const next = childText(root, 'NextPartNumberMarker');
      if (!childBool(root, 'IsTruncated') || !next || next === marker) return;
      marker = next;
    }
  }

  async *listMultipartUploads(
    bucket: string,
    prefix?: string,
    opts?: RequestOptions,
  ): AsyncIterable<MultipartUploadEntry> {
    let keyMarker = '';
    let uploadIdMarker = '';
    for (;;) {
      const query: Query = { uploads: '', 'max-uploads': '1000', 'encoding-type': 'url' };
      if (prefix) query.prefix = prefix;
      if (keyMarker) query['key-marker'] = keyMarker;
      if (uploadIdMarker) query['upload-id-marker'] = uploadIdMarker;
      const { root } = await this.callXml({ method: 'GET', bucket, query, signal: opts?.signal });
      const encoded = childText(root, 'EncodingType') === 'url';
      const decode = (v: string): string => (encoded ? decodeListField(v) : v);
      for (const u of childNodes(root, 'Upload')) {
        yield {
          key: decode(childText(u, 'Key') ?? ''),
          uploadId: childText(u, 'UploadId') ?? '',
          initiated: childText(u, 'Initiated') ?? '',
        };
      }
      const nextKey = decode(childText(root, 'NextKeyMarker') ?? '');
      const nextId = childText(root, 'NextUploadIdMarker') ?? '';
      if (!childBool(root, 'IsTruncated') || (nextKey === keyMarker && nextId === uploadIdMarker)) return;
      keyMarker = nextKey;
      uploadIdMarker = nextId;
    }
  }

  // ---------- tagging and URLs ----------

  async getObjectTagging(src: ObjectRef, opts?: RequestOptions): Promise<Record<string, string>> {
    const { root } = await this.callXml({
      method: 'GET',
      bucket: src.bucket,
      key: src.key,
      query: { tagging: '', ...versionQuery(src) },
      signal: opts?.signal,
    });
    const tags: Record<string, string> = {};
    for (const tag of childNodes(childNode(root, 'TagSet'), 'Tag')) {
      tags[childText(tag, 'Key') ?? ''] = childText(tag, 'Value') ?? '';
    }
    return tags;
  }

  async putObjectTagging(dst: ObjectRef, tags: Record<string, string>, opts?: RequestOptions): Promise<void> {
    const body = Buffer.from(
      buildXml('Tagging', {
        TagSet: { Tag: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) },
      }),
      'utf8',
    );
    await this.callEmpty({
      method: 'PUT',
      bucket: dst.bucket,
      key: dst.key,
      query: { tagging: '', ...versionQuery(dst) },
      headers: xmlBodyHeaders(body),
      body,
      signal: opts?.signal,
    });
  }

  async presign(method: 'GET' | 'PUT', src: ObjectRef, expiresSeconds: number): Promise<string> {
    assertOssKey(src.key);
    this.assertServed(src.bucket);
    const { endpoint, region } = this.endpointFor(src.bucket);
    const req: OssSignable = {
      method,
      bucket: src.bucket,
      key: src.key,
      query: versionQuery(src),
      headers: {},
    };
    const now = this.clock() + (this.clockOffsets.get(endpoint.host) ?? 0);
    const signed =
      this.version === 'v4'
        ? presignOssV4(req, this.options.credentials, { region }, now, expiresSeconds)
        : presignOssV1(req, this.options.credentials, Math.floor(now / 1000) + expiresSeconds);
    const url = ossUrl(endpoint, this.options, src.bucket, src.key);
    return `${url.origin}${url.path}?${formatQuery(Object.entries(signed.query), { emptyValueEquals: false })}`;
  }

  async close(): Promise<void> {
    if (!this.options.http) await this.http.close();
  }
}

// ---------- request and response helpers ----------

function versionQuery(ref: ObjectRef): Query {
  return ref.versionId ? { versionId: ref.versionId } : {};
}

function copySource(src: ObjectRef): string {
  return encodeCopySource(src.bucket, src.key, src.versionId, true);
}

/** OSS insists on Content-MD5 for batch delete; it is cheap, so every XML body carries one. */
function xmlBodyHeaders(body: Buffer): Record<string, string> {
  return {
    'content-type': 'application/xml',
    'content-md5': createHash('md5').update(body).digest('base64'),
    'content-length': String(body.length),
  };
}

const META_PREFIX = 'x-oss-meta-';

function writeHeaders(write: WriteOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const meta = write.metadata;
  if (meta) {
    if (meta.contentType) headers['content-type'] = meta.contentType;
    if (meta.cacheControl) headers['cache-control'] = meta.cacheControl;
    if (meta.contentDisposition) headers['content-disposition'] = meta.contentDisposition;
    if (meta.contentEncoding) headers['content-encoding'] = meta.contentEncoding;
    if (meta.contentLanguage) headers['content-language'] = meta.contentLanguage;
    if (meta.expires) headers['expires'] = meta.expires;
    for (const [name, value] of Object.entries(meta.userMeta)) {
      if (!/^[A-Za-z0-9-]+$/.test(name)) {
        throw invalidInput(`OSS metadata names may contain only letters, digits and "-": ${name}`);
      }
      headers[META_PREFIX + name.toLowerCase()] = value;
    }
  }
  if (write.storageClass) headers['x-oss-storage-class'] = write.storageClass;
  if (write.acl) headers['x-oss-object-acl'] = write.acl;
  if (write.tagging) headers['x-oss-tagging'] = write.tagging;
  if (write.forbidOverwrite) Object.assign(headers, FORBID_OVERWRITE);
  if (write.encryption) {
    headers['x-oss-server-side-encryption'] = write.encryption.algorithm;
    if (write.encryption.kmsKeyId) headers['x-oss-server-side-encryption-key-id'] = write.encryption.kmsKeyId;
  }
  return headers;
}

const FORBID_OVERWRITE = { 'x-oss-forbid-overwrite': 'true' };

function encryptionFromHeaders(h: Record<string, string>): ServerSideEncryption | undefined {
  const algorithm = h['x-oss-server-side-encryption'];
  if (!algorithm) return undefined;
  const kmsKeyId = h['x-oss-server-side-encryption-key-id'];
  return kmsKeyId ? { algorithm, kmsKeyId } : { algorithm };
}

/** Metadata from HEAD headers, read back from wire bytes so non-ASCII values survive (§1.1). */
export function metadataFromHeaders(h: Record<string, string>): ObjectMetadata {
  const meta: ObjectMetadata = { userMeta: {} };
  const text = (name: string): string | undefined =>
    h[name] === undefined ? undefined : fromHeaderBytes(h[name]!);
  meta.contentType = text('content-type');
  meta.cacheControl = text('cache-control');
  meta.contentDisposition = text('content-disposition');
  meta.contentEncoding = text('content-encoding');
  meta.contentLanguage = text('content-language');
  meta.expires = text('expires');
  for (const name of Object.keys(h)) {
    if (name.startsWith(META_PREFIX)) meta.userMeta[name.slice(META_PREFIX.length)] = text(name)!;
  }
  for (const k of Object.keys(meta) as (keyof ObjectMetadata)[]) if (meta[k] === undefined) delete meta[k];
  return meta;
}

function resultFromHeaders(res: HttpResponse, etag: string): CopyResult {
  const result: CopyResult = { etag };
  const crc = res.headers['x-oss-hash-crc64ecma'];
  const version = res.headers['x-oss-version-id'];
  if (crc) result.crc64 = crc;
  if (version) result.versionId = version;
  return result;
}

function bucketInfoFrom(node: XmlNode): BucketInfo {
  const location = childText(node, 'Location');
  const region = childText(node, 'Region') ?? (location ? ossRegionId(location) : undefined);
  const info: BucketInfo = { name: childText(node, 'Name') ?? '' };
  if (region) info.region = region;
  const created = childText(node, 'CreationDate');
  if (created) info.creationDate = created;
  const storageClass = childText(node, 'StorageClass');
  if (storageClass) info.storageClass = storageClass;
  const endpoint = childText(node, 'ExtranetEndpoint');
  if (endpoint) info.endpoint = endpoint;
  return info;
}

/** `encoding-type=url` fields (§3.3): `+` is a space, a literal plus arrives as `%2B`. */
function decodeListField(value: string): string {
  try {
    return decodeUrlEncoded(value);
  } catch {
    throw new StorageError({
      status: 200,
      code: 'InvalidResponse',
      message: `undecodable listing field ${value}`,
    });
  }
}
