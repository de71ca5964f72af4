/**
 * An OSS gateway for tests: speaks Alibaba Cloud OSS's REST dialect on loopback and keeps the data
 * in an S3 server (Ceph RGW). Every request's OSS signature is checked with ali-oss's own code
 * (oss-auth.ts); requests go on to RGW through aws4 (rgw-client.ts); OSS's own rules are enforced
 * here where they differ from S3 (see README "OSS: what is proven how"):
 *
 * - CopyObject refuses sources above 1 GiB; Complete refuses parts under 100 KiB but the last;
 * - `x-oss-metadata-directive`, `x-oss-tagging-directive`, `x-oss-forbid-overwrite`,
 *   `x-oss-copy-source-if-*`, `x-oss-copy-source-range`;
 * - `x-oss-hash-crc64ecma` on PUT, GET, HEAD, UploadPart, Complete and copies, computed here and
 *   kept as RGW user metadata; `x-oss-object-type` Normal / Multipart / Appendable, AppendObject;
 * - ListObjects (v1 and v2) at 100 keys a page by default, `NextMarker` whenever truncated,
 *   `encoding-type=url`; ETags in upper-case hex; GetBucketLocation and `?bucketInfo`;
 * - ranged GETs: an unsatisfiable range returns the whole object unless `x-oss-range-behavior: standard`.
 *
 * Addressing: path-style (`/bucket/key`) on an IP or `localhost` host, as OSS clients send to an IP
 * endpoint; virtual-hosted (`bucket.oss-cn-hangzhou.aliyuncs.com` in the Host header, which ali-oss
 * sends to an IP endpoint) otherwise.
 */
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Crc64, crc64 } from './crc64';
import { verifyOssSignature, type Credentials } from './oss-auth';
import { TemporaryCredentials } from './sts';
import { OssError, escapeXml, sendError } from './oss-errors';
import { RgwClient, encodeRfc3986, type RgwAnswer } from './rgw-client';
import {
  CRC_META,
  TYPE_META,
  answerHeadersToOss,
  elementText,
  etagToOss,
  etagToS3,
  listingToOss,
  mapElements,
  requestHeadersToS3,
  requestedAttributes,
  requestedMetadata,
  storedMetadata,
  urlEncodeName,
  withoutAttributes,
  type ObjectType,
} from './translate';

export interface OssGatewayOptions {
  /** The S3 server the data lives in, e.g. `http://127.0.0.1:17480`. */
  s3: string;
  port?: number;
  /** Keys OSS clients sign with; the gateway forwards to RGW with the same pair. */
  accessKeyId?: string;
  secretAccessKey?: string;
  /** The region OSS clients sign for (V4 scope) and the gateway reports. */
  region?: string;
  /** Receives one line per request (method, path, status, error code), e.g. for `--verbose`. */
  log?: (line: string) => void;
  /** CopyObject's limit (OSS: 1 GB); lower only so a test can show the refusal without a 1 GiB object. */
  copyObjectMaxBytes?: number;
}

export interface OssGateway {
  /** `http://127.0.0.1:PORT` */
  endpoint: string;
  port: number;
  /** Issues and expires temporary (STS) credentials (sts.ts). */
  sts: TemporaryCredentials;
  close(): Promise<void>;
}

const KiB = 1024;
const GiB = 1024 * 1024 * 1024;
/** OSS's CopyObject limit (PROTOCOL.md §0.1): larger objects need UploadPartCopy. */
const COPY_OBJECT_MAX = 1 * GiB;
/** OSS's minimum part size, all but the last part (S3's is 5 MiB). */
const MIN_PART = 100 * KiB;
/** OSS's default page of ListObjects and ListBuckets (S3's is 1,000). */
const DEFAULT_MAX_KEYS = '100';

interface Ctx {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  method: string;
  bucket?: string;
  key?: string;
  query: Record<string, string>;
  requestId: string;
  /** The client's headers translated for RGW (wire bytes). */
  s3: Record<string, string>;
}

function parseQuery(raw: string): Record<string, string> {
  const query: Record<string, string> = {};
  if (!raw) return query;
  for (const part of raw.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const name = decodeURIComponent(eq < 0 ? part : part.slice(0, eq));
    query[name] = eq < 0 ? '' : decodeURIComponent(part.slice(eq + 1));
  }
  return query;
}

function isIpHost(hostname: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(hostname) || hostname.includes(':') || hostname === 'localhost';
}

/** Bucket and key of a request, from the Host header (virtual-hosted) or the path (path-style). */
export function parseTarget(hostHeader: string, rawPath: string): { bucket?: string; key?: string } {
  const hostname = hostHeader.startsWith('[')
    ? hostHeader.slice(0, hostHeader.indexOf(']') + 1)
    : hostHeader.replace(/:\d+$/, '');
  const path = rawPath.startsWith('/') ? rawPath.slice(1) : rawPath;
  const virtual =
    !isIpHost(hostname) && /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]\.oss-[^.]+\.aliyuncs\.com$/.test(hostname);
  if (virtual) {
    const bucket = hostname.slice(0, hostname.indexOf('.'));
    return { bucket, key: path ? decodeURIComponent(path) : undefined };
  }
  if (!path) return {};
  const slash = path.indexOf('/');
  if (slash < 0) return { bucket: decodeURIComponent(path) };
  const key = decodeURIComponent(path.slice(slash + 1));
  return { bucket: decodeURIComponent(path.slice(0, slash)), key: key || undefined };
}

function utf8Headers(headers: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, raw] of Object.entries(headers)) {
    if (raw === undefined) continue;
    const value = Array.isArray(raw) ? raw.join(',') : raw;
    out[name] = Buffer.from(value, 'latin1').toString('utf8');
  }
  return out;
}

async function readBody(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

function codeForStatus(status: number, objectLevel: boolean): string {
  if (status === 404) return objectLevel ? 'NoSuchKey' : 'NoSuchBucket';
  if (status === 403) return 'AccessDenied';
  if (status === 412) return 'PreconditionFailed';
  if (status === 409) return 'Conflict';
  if (status === 416) return 'InvalidRange';
  if (status >= 500) return 'InternalError';
  return 'InvalidArgument';
}

/** RGW's answer as an OSS error (the status kept, the code renamed where OSS names it differently). */
function rgwError(a: RgwAnswer, objectLevel: boolean): OssError {
  const text = a.body.toString('utf8');
  let code = elementText(text, 'Code') ?? codeForStatus(a.status, objectLevel);
  if (code === 'BucketAlreadyOwnedByYou') code = 'BucketAlreadyExists';
  const message = elementText(text, 'Message') || code;
  return new OssError(a.status, code, message);
}

/** A request about a multipart upload: RGW says NoSuchKey (404) where OSS says NoSuchUpload. */
function okUpload(a: RgwAnswer): RgwAnswer {
  if (a.status === 404)
    throw new OssError(
      404,
      'NoSuchUpload',
      'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
    );
  return ok(a, true);
}

function ok(a: RgwAnswer, objectLevel: boolean, accept: number[] = []): RgwAnswer {
  if ((a.status >= 200 && a.status < 300) || accept.includes(a.status)) {
    // S3 may answer a copy or a Complete with 200 and an error inside (PROTOCOL.md §5.3).
    if (a.status === 200 && /^\s*(<\?xml[^>]*\?>)?\s*<Error>/.test(a.body.toString('utf8')))
      throw rgwError({ ...a, status: 500 }, objectLevel);
    return a;
  }
  throw rgwError(a, objectLevel);
}

function xmlReply(ctx: Ctx, status: number, xml: string, headers: Record<string, string> = {}): void {
  const body = Buffer.from(xml.startsWith('<?xml') ? xml : `<?xml version="1.0" encoding="UTF-8"?>\n${xml}`);
  ctx.res.writeHead(status, {
    ...headers,
    'x-oss-request-id': ctx.requestId,
    'content-type': 'application/xml',
    'content-length': String(body.length),
  });
  ctx.res.end(body);
}

function emptyReply(ctx: Ctx, status: number, headers: Record<string, string> = {}): void {
  ctx.res.writeHead(status, { ...headers, 'x-oss-request-id': ctx.requestId, 'content-length': '0' });
  ctx.res.end();
}

function headerOf(h: http.IncomingHttpHeaders, name: string): string | undefined {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
}

/** `x-oss-copy-source: /bucket/key?versionId=…`, URL-encoded. */
function parseCopySource(value: string): { bucket: string; key: string; versionId?: string } {
  const raw = value.startsWith('/') ? value.slice(1) : value;
  const q = raw.indexOf('?');
  const path = q < 0 ? raw : raw.slice(0, q);
  const versionId = q < 0 ? undefined : parseQuery(raw.slice(q + 1)).versionId;
  const slash = path.indexOf('/');
  if (slash <= 0) throw new OssError(400, 'InvalidArgument', `Invalid x-oss-copy-source: ${value}`);
  const bucket = decodeURIComponent(path.slice(0, slash));
  const key = decodeURIComponent(path.slice(slash + 1));
  if (!key) throw new OssError(400, 'InvalidArgument', `Invalid x-oss-copy-source: ${value}`);
  return versionId ? { bucket, key, versionId } : { bucket, key };
}

function s3CopySource(src: { bucket: string; key: string; versionId?: string }): string {
  return `/${src.bucket}/${encodeRfc3986(src.key, true)}${src.versionId ? `?versionId=${encodeRfc3986(src.versionId)}` : ''}`;
}

function pick(query: Record<string, string>, names: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of names) if (query[n] !== undefined) out[n] = query[n];
  return out;
}

const bareEtag = (v: string) => v.trim().replace(/^W\//, '').replace(/^"|"$/g, '').toLowerCase();

/**
 * The `x-oss-copy-source-if-*` conditions against the source's HEAD, as OSS answers them: 412 for
 * if-match / if-unmodified-since, 304 for if-none-match / if-modified-since. Checked here because
 * RGW (16.2) lets a copy through whatever its `x-amz-copy-source-if-match` says.
 */
function checkCopyConditions(req: http.IncomingHttpHeaders, source: http.IncomingHttpHeaders): void {
  const etag = bareEtag(headerOf(source, 'etag') ?? '');
  const modified = Date.parse(headerOf(source, 'last-modified') ?? '');
  const ifMatch = headerOf(req, 'x-oss-copy-source-if-match');
  const ifNoneMatch = headerOf(req, 'x-oss-copy-source-if-none-match');
  const ifUnmodified = headerOf(req, 'x-oss-copy-source-if-unmodified-since');
  const ifModified = headerOf(req, 'x-oss-copy-source-if-modified-since');
  if (ifMatch !== undefined && bareEtag(ifMatch) !== etag)
    throw new OssError(
      412,
      'PreconditionFailed',
      'At least one of the pre-conditions you specified did not hold.',
      { Condition: 'x-oss-copy-source-if-match' },
    );
  if (ifUnmodified !== undefined && modified > Date.parse(ifUnmodified))
    throw new OssError(
      412,
      'PreconditionFailed',
      'At least one of the pre-conditions you specified did not hold.',
      { Condition: 'x-oss-copy-source-if-unmodified-since' },
    );
  if (ifNoneMatch !== undefined && bareEtag(ifNoneMatch) === etag)
    throw new OssError(304, 'NotModified', 'Not Modified');
  if (ifModified !== undefined && modified <= Date.parse(ifModified))
    throw new OssError(304, 'NotModified', 'Not Modified');
}

function typeOf(headers: http.IncomingHttpHeaders): ObjectType {
  const stored = headerOf(headers, TYPE_META);
  if (stored === 'Normal' || stored === 'Multipart' || stored === 'Appendable') return stored;
  return /-\d+"?$/.test(headerOf(headers, 'etag') ?? '') ? 'Multipart' : 'Normal';
}

export class OssGatewayServer {
  readonly rgw: RgwClient;
  readonly creds: Credentials;
  /** Temporary (STS) key pairs OSS clients may sign with; they act as the gateway's RGW user. */
  readonly sts: TemporaryCredentials;
  private readonly region: string;
  private readonly copyObjectMax: number;
  private readonly log: ((line: string) => void) | undefined;

  constructor(options: OssGatewayOptions) {
    this.copyObjectMax = options.copyObjectMaxBytes ?? COPY_OBJECT_MAX;
    this.log = options.log;
    this.creds = {
      accessKeyId: options.accessKeyId ?? 'testkey',
      secretAccessKey: options.secretAccessKey ?? 'testsecret',
      region: options.region ?? 'cn-hangzhou',
    };
    this.region = this.creds.region;
    this.sts = new TemporaryCredentials(this.region);
    this.rgw = new RgwClient({
      endpoint: options.s3,
      accessKeyId: this.creds.accessKeyId,
      secretAccessKey: this.creds.secretAccessKey,
    });
  }

  async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const requestId = randomBytes(12).toString('hex').toUpperCase();
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    let hostId = `oss-${this.region}.aliyuncs.com`;
    let code = '';
    if (this.log) {
      const log = this.log;
      const started = Date.now();
      res.on('close', () =>
        log(
          `${method} ${url} ${res.statusCode}${code ? ` ${code}` : ''} ${Date.now() - started} ms ${requestId}`,
        ),
      );
    }
    try {
      const target = parseTarget(headerOf(req.headers, 'host') ?? '', q < 0 ? url : url.slice(0, q));
      if (target.bucket) hostId = `${target.bucket}.${hostId}`;
      const query = parseQuery(q < 0 ? '' : url.slice(q + 1));
      const signed = { method, ...target, query, headers: utf8Headers(req.headers) };
      verifyOssSignature(signed, this.sts.credentialsFor(signed) ?? this.creds);
      const ctx: Ctx = { req, res, method, ...target, query, requestId, s3: requestHeadersToS3(req.headers) };
      await this.route(ctx);
    } catch (e) {
      if (res.headersSent) {
        res.destroy(e as Error);
        return;
      }
      req.resume();
      const err =
        e instanceof OssError
          ? e
          : new OssError(500, 'InternalError', `The gateway failed: ${(e as Error).message}`);
      code = `${err.code}: ${err.message}`;
      sendError(res, method, err, requestId, hostId);
    }
  }

  private async route(ctx: Ctx): Promise<void> {
    const { method, bucket, key, query } = ctx;
    if (!bucket) {
      if (method === 'GET') return this.listBuckets(ctx);
      throw new OssError(
        405,
        'MethodNotAllowed',
        'The specified method is not allowed against this resource.',
      );
    }
    if (!/^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/.test(bucket))
      throw new OssError(400, 'InvalidBucketName', `The specified bucket is not valid: ${bucket}`);
    if (key === undefined) {
      if (method === 'GET' && 'location' in query) return this.location(ctx);
      if (method === 'GET' && 'bucketInfo' in query) return this.bucketInfo(ctx);
      if ('versioning' in query && (method === 'GET' || method === 'PUT'))
        return this.passThrough(ctx, { versioning: '' }, false);
      if (method === 'GET' && 'uploads' in query) return this.listUploads(ctx);
      if (method === 'GET' && 'versions' in query) return this.listVersions(ctx);
      if (method === 'GET' && Object.keys(query).every((k) => !OTHER_BUCKET_SUBRESOURCES.has(k)))
        return this.listObjects(ctx);
      if (method === 'POST' && 'delete' in query) return this.deleteObjects(ctx);
      if (method === 'PUT' && Object.keys(query).length === 0) return this.createBucket(ctx);
      if (method === 'DELETE' && Object.keys(query).length === 0) return this.passThrough(ctx, {}, false);
      if (method === 'HEAD') return this.passThrough(ctx, {}, false);
      throw new OssError(
        501,
        'NotImplemented',
        `The OSS gateway does not implement ${method} ${Object.keys(query).join('&')} on a bucket.`,
      );
    }
    if (Buffer.byteLength(key) > 1023 || /^[/\\]/.test(key))
      throw new OssError(
        400,
        'InvalidObjectName',
        'The object name must be 1 to 1023 bytes of UTF-8 and must not start with / or \\.',
      );
    if ('tagging' in query)
      return this.passThrough(ctx, { tagging: '', ...pick(query, ['versionId']) }, true);
    if (method === 'PUT' && 'uploadId' in query)
      return headerOf(ctx.req.headers, 'x-oss-copy-source') ? this.uploadPartCopy(ctx) : this.uploadPart(ctx);
    if (method === 'PUT' && headerOf(ctx.req.headers, 'x-oss-copy-source')) return this.copyObject(ctx);
    if (method === 'PUT' && !Object.keys(query).some((k) => OTHER_OBJECT_SUBRESOURCES.has(k)))
      return this.putObject(ctx);
    if (method === 'POST' && 'uploads' in query) return this.initiate(ctx);
    if (method === 'POST' && 'uploadId' in query) return this.complete(ctx);
    if (method === 'POST' && 'append' in query) return this.append(ctx);
    if (method === 'DELETE' && 'uploadId' in query) return this.abort(ctx);
    if (method === 'GET' && 'uploadId' in query) return this.listParts(ctx);
    if (
      (method === 'GET' || method === 'HEAD') &&
      !Object.keys(query).some((k) => OTHER_OBJECT_SUBRESOURCES.has(k))
    )
      return this.getObject(ctx);
    if (method === 'DELETE' && !Object.keys(query).some((k) => OTHER_OBJECT_SUBRESOURCES.has(k)))
      return this.deleteObject(ctx);
    throw new OssError(
      501,
      'NotImplemented',
      `The OSS gateway does not implement ${method} ${Object.keys(query).join('&')} on an object.`,
    );
  }

  // ------------------------------------------------------------------------------------------
  // Buckets

  private async listBuckets(ctx: Ctx): Promise<void> {
    const a = ok(await this.rgw.send({ method: 'GET' }), false);
    const text = a.body.toString('utf8');
    const buckets = [...text.matchAll(/<Bucket>([\s\S]*?)<\/Bucket>/g)]
      .map((m) => ({
        name: elementText(m[1]!, 'Name') ?? '',
        created: elementText(m[1]!, 'CreationDate') ?? '',
      }))
      .sort((x, y) => (x.name < y.name ? -1 : 1));
    const prefix = ctx.query.prefix ?? '';
    const marker = ctx.query.marker ?? '';
    const max = Math.min(Number(ctx.query['max-keys'] ?? DEFAULT_MAX_KEYS) || 100, 1000);
    const matching = buckets.filter((b) => b.name.startsWith(prefix) && b.name > marker);
    const page = matching.slice(0, max);
    const truncated = matching.length > page.length;
    const owner = escapeXml(this.creds.accessKeyId);
    const xml =
      `<ListAllMyBucketsResult><Prefix>${escapeXml(prefix)}</Prefix><Marker>${escapeXml(marker)}</Marker>` +
      `<MaxKeys>${max}</MaxKeys><IsTruncated>${truncated}</IsTruncated>` +
      (truncated ? `<NextMarker>${escapeXml(page.at(-1)!.name)}</NextMarker>` : '') +
      `<Owner><ID>${owner}</ID><DisplayName>${owner}</DisplayName></Owner><Buckets>` +
      page
        .map(
          (b) =>
            `<Bucket><CreationDate>${b.created}</CreationDate><ExtranetEndpoint>oss-${this.region}.aliyuncs.com</ExtranetEndpoint>` +
            `<IntranetEndpoint>oss-${this.region}-internal.aliyuncs.com</IntranetEndpoint><Location>oss-${this.region}</Location>` +
            `<Name>${escapeXml(b.name)}</Name><Region>${this.region}</Region><StorageClass>Standard</StorageClass></Bucket>`,
        )
        .join('') +
      '</Buckets></ListAllMyBucketsResult>';
    xmlReply(ctx, 200, xml);
  }

  private async requireBucket(bucket: string): Promise<void> {
    const a = await this.rgw.send({ method: 'HEAD', bucket });
    if (a.status === 404)
      throw new OssError(404, 'NoSuchBucket', 'The specified bucket does not exist.', { BucketName: bucket });
    ok(a, false);
  }

  private async location(ctx: Ctx): Promise<void> {
    await this.requireBucket(ctx.bucket!);
    xmlReply(ctx, 200, `<LocationConstraint>oss-${this.region}</LocationConstraint>`);
  }

  private async bucketInfo(ctx: Ctx): Promise<void> {
    const bucket = ctx.bucket!;
    await this.requireBucket(bucket);
    const versioning = ok(await this.rgw.send({ method: 'GET', bucket, query: { versioning: '' } }), false);
    const status = elementText(versioning.body.toString('utf8'), 'Status');
    const list = ok(await this.rgw.send({ method: 'GET' }), false).body.toString('utf8');
    const entry = [...list.matchAll(/<Bucket>([\s\S]*?)<\/Bucket>/g)]
      .map((m) => m[1]!)
      .find((b) => elementText(b, 'Name') === bucket);
    const owner = escapeXml(this.creds.accessKeyId);
    xmlReply(
      ctx,
      200,
      `<BucketInfo><Bucket><AccessMonitor>Disabled</AccessMonitor><CreationDate>${elementText(entry ?? '', 'CreationDate') ?? ''}</CreationDate>` +
        `<CrossRegionReplication>Disabled</CrossRegionReplication><DataRedundancyType>LRS</DataRedundancyType>` +
        `<ExtranetEndpoint>oss-${this.region}.aliyuncs.com</ExtranetEndpoint><IntranetEndpoint>oss-${this.region}-internal.aliyuncs.com</IntranetEndpoint>` +
        `<Location>oss-${this.region}</Location><Name>${escapeXml(bucket)}</Name><ResourceGroupId>rg-default</ResourceGroupId>` +
        `<StorageClass>Standard</StorageClass><TransferAcceleration>Disabled</TransferAcceleration>` +
        (status ? `<Versioning>${status}</Versioning>` : '') +
        `<Owner><DisplayName>${owner}</DisplayName><ID>${owner}</ID></Owner>` +
        `<AccessControlList><Grant>private</Grant></AccessControlList>` +
        `<ServerSideEncryptionRule><SSEAlgorithm>None</SSEAlgorithm></ServerSideEncryptionRule>` +
        `<BucketPolicy><LogBucket></LogBucket><LogPrefix></LogPrefix></BucketPolicy></Bucket></BucketInfo>`,
    );
  }

  private async createBucket(ctx: Ctx): Promise<void> {
    // OSS's body names a storage class and redundancy; RGW would read it as a LocationConstraint.
    await readBody(ctx.req);
    ok(await this.rgw.send({ method: 'PUT', bucket: ctx.bucket }), false);
    emptyReply(ctx, 200, { location: `/${ctx.bucket}` });
  }

  /** Sub-resources whose request and answer mean the same on both dialects (versioning, tagging, HEAD/DELETE bucket). */
  private async passThrough(ctx: Ctx, query: Record<string, string>, objectLevel: boolean): Promise<void> {
    const body = ctx.method === 'PUT' || ctx.method === 'POST' ? await readBody(ctx.req) : undefined;
    const headers = pick(ctx.s3, ['content-md5', 'content-type']);
    const a = await this.rgw.send({
      method: ctx.method,
      bucket: ctx.bucket,
      key: ctx.key,
      query,
      headers,
      body,
    });
    if (a.status === 404 && ctx.method === 'HEAD')
      throw new OssError(404, objectLevel ? 'NoSuchKey' : 'NoSuchBucket', 'Not found.');
    ok(a, objectLevel);
    const out = answerHeadersToOss(a.headers, ctx.requestId);
    delete out['content-length'];
    // RGW answers GetObjectTagging of an untagged object with an empty body; OSS with an empty TagSet.
    if (ctx.method === 'GET' && 'tagging' in query && !a.body.length)
      xmlReply(ctx, 200, '<Tagging><TagSet></TagSet></Tagging>', out);
    else if (a.body.length) xmlReply(ctx, a.status, a.body.toString('utf8'), out);
    else emptyReply(ctx, a.status, out);
  }

  // ------------------------------------------------------------------------------------------
  // Listings

  private wantsUrl(ctx: Ctx): boolean {
    const e = ctx.query['encoding-type'];
    if (e !== undefined && e !== 'url')
      throw new OssError(400, 'InvalidArgument', 'encoding-type must be url.');
    return e === 'url';
  }

  private async listObjects(ctx: Ctx): Promise<void> {
    const v2 = ctx.query['list-type'] === '2';
    const url = this.wantsUrl(ctx);
    const maxKeys = ctx.query['max-keys'] ?? DEFAULT_MAX_KEYS;
    if (!/^\d+$/.test(maxKeys) || Number(maxKeys) > 1000)
      throw new OssError(400, 'InvalidArgument', 'max-keys must be an integer from 0 to 1000.');
    const query = v2
      ? {
          'list-type': '2',
          ...pick(ctx.query, ['prefix', 'delimiter', 'continuation-token', 'start-after', 'fetch-owner']),
          'max-keys': maxKeys,
        }
      : { ...pick(ctx.query, ['prefix', 'delimiter', 'marker']), 'max-keys': maxKeys };
    const a = ok(await this.rgw.send({ method: 'GET', bucket: ctx.bucket, query }), false);
    let xml = a.body.toString('utf8');
    if (!v2 && /<IsTruncated>true<\/IsTruncated>/.test(xml) && !/<NextMarker>/.test(xml)) {
      // S3 sends NextMarker only with a delimiter; OSS whenever the page is truncated.
      const last = [...xml.matchAll(/<Key>([^<]*)<\/Key>/g)].at(-1)?.[1] ?? '';
      xml = xml.replace('</ListBucketResult>', `<NextMarker>${last}</NextMarker></ListBucketResult>`);
    }
    const fields = v2
      ? ['Prefix', 'StartAfter', 'Delimiter', 'ContinuationToken', 'NextContinuationToken', 'Key']
      : ['Prefix', 'Marker', 'Delimiter', 'NextMarker', 'Key'];
    xmlReply(ctx, 200, listingToOss(xml, url ? fields : undefined, true));
  }

  private async listVersions(ctx: Ctx): Promise<void> {
    const url = this.wantsUrl(ctx);
    const query = {
      versions: '',
      ...pick(ctx.query, ['prefix', 'delimiter', 'key-marker', 'version-id-marker', 'max-keys']),
    };
    const a = ok(await this.rgw.send({ method: 'GET', bucket: ctx.bucket, query }), false);
    const fields = ['Prefix', 'KeyMarker', 'NextKeyMarker', 'Delimiter', 'Key'];
    xmlReply(ctx, 200, listingToOss(a.body.toString('utf8'), url ? fields : undefined, true));
  }

  private async listUploads(ctx: Ctx): Promise<void> {
    const url = this.wantsUrl(ctx);
    const query = {
      uploads: '',
      ...pick(ctx.query, ['prefix', 'delimiter', 'key-marker', 'upload-id-marker', 'max-uploads']),
    };
    const a = ok(await this.rgw.send({ method: 'GET', bucket: ctx.bucket, query }), false);
    const fields = ['Prefix', 'KeyMarker', 'NextKeyMarker', 'Delimiter', 'Key'];
    xmlReply(ctx, 200, listingToOss(a.body.toString('utf8'), url ? fields : undefined));
  }

  private async listParts(ctx: Ctx): Promise<void> {
    const url = this.wantsUrl(ctx);
    const query = pick(ctx.query, ['uploadId', 'max-parts', 'part-number-marker']);
    const a = okUpload(await this.rgw.send({ method: 'GET', bucket: ctx.bucket, key: ctx.key, query }));
    xmlReply(ctx, 200, listingToOss(a.body.toString('utf8'), url ? ['Key'] : undefined));
  }

  private async deleteObjects(ctx: Ctx): Promise<void> {
    const url = this.wantsUrl(ctx);
    const body = await readBody(ctx.req);
    if (!ctx.s3['content-md5'])
      throw new OssError(400, 'InvalidDigest', 'Content-MD5 is required for DeleteMultipleObjects.');
    if (createHash('md5').update(body).digest('base64') !== ctx.s3['content-md5'])
      throw new OssError(
        400,
        'InvalidDigest',
        'The Content-MD5 you specified did not match what we received.',
      );
    // With encoding-type=url OSS takes the request's keys URL-encoded too.
    const sent = url
      ? Buffer.from(mapElements(body.toString('utf8'), ['Key'], (k) => decodeURIComponent(k)))
      : body;
    const headers = {
      'content-md5': createHash('md5').update(sent).digest('base64'),
      'content-type': 'application/xml',
    };
    const a = ok(
      await this.rgw.send({ method: 'POST', bucket: ctx.bucket, query: { delete: '' }, headers, body: sent }),
      false,
    );
    let xml = a.body.toString('utf8');
    if (url)
      xml = listingToOss(xml, ['Key']).replace(/(<DeleteResult[^>]*>)/, '$1<EncodingType>url</EncodingType>');
    xmlReply(ctx, 200, xml);
  }

  // ------------------------------------------------------------------------------------------
  // Objects

  private async head(bucket: string, key: string, versionId?: string): Promise<RgwAnswer> {
    return this.rgw.send({ method: 'HEAD', bucket, key, query: versionId ? { versionId } : {} });
  }

  private async refuseOverwrite(ctx: Ctx): Promise<void> {
    if ((headerOf(ctx.req.headers, 'x-oss-forbid-overwrite') ?? '').toLowerCase() !== 'true') return;
    const existing = await this.head(ctx.bucket!, ctx.key!);
    if (existing.status === 200)
      throw new OssError(
        409,
        'FileAlreadyExists',
        'The object you specified already exists and can not be overwritten.',
      );
  }

  /** An object's tags as an `x-amz-tagging` value. */
  private async tagsOf(bucket: string, key: string, versionId?: string): Promise<string> {
    const a = ok(
      await this.rgw.send({
        method: 'GET',
        bucket,
        key,
        query: { tagging: '', ...(versionId ? { versionId } : {}) },
      }),
      true,
    );
    const text = a.body.toString('utf8');
    return [...text.matchAll(/<Tag>([\s\S]*?)<\/Tag>/g)]
      .map(
        (m) =>
          `${encodeRfc3986(elementText(m[1]!, 'Key') ?? '')}=${encodeRfc3986(elementText(m[1]!, 'Value') ?? '')}`,
      )
      .join('&');
  }

  /** How many tags an object has (0 when it has none or cannot be read). */
  private async tagCount(bucket: string, key: string, versionId?: string): Promise<number> {
    const a = await this.rgw.send({
      method: 'GET',
      bucket,
      key,
      query: { tagging: '', ...(versionId ? { versionId } : {}) },
    });
    return a.status === 200 ? (a.body.toString('utf8').match(/<Tag>/g) ?? []).length : 0;
  }

  /** Sets an object's tags from an `x-amz-tagging` value (none: removes them). */
  private async setTags(bucket: string, key: string, tagging: string, versionId?: string): Promise<void> {
    const query = { tagging: '', ...(versionId ? { versionId } : {}) };
    if (!tagging) {
      ok(await this.rgw.send({ method: 'DELETE', bucket, key, query }), true);
      return;
    }
    const tags = parseQuery(tagging);
    const body = Buffer.from(
      '<Tagging><TagSet>' +
        Object.entries(tags)
          .map(([k, v]) => `<Tag><Key>${escapeXml(k)}</Key><Value>${escapeXml(v)}</Value></Tag>`)
          .join('') +
        '</TagSet></Tagging>',
    );
    const headers = {
      'content-md5': createHash('md5').update(body).digest('base64'),
      'content-type': 'application/xml',
    };
    ok(await this.rgw.send({ method: 'PUT', bucket, key, query, headers, body }), true);
  }

  /** The CRC64 of an object's bytes, read back from RGW. */
  private async crcOf(bucket: string, key: string, versionId?: string): Promise<string> {
    const res = await this.rgw.stream({ method: 'GET', bucket, key, query: versionId ? { versionId } : {} });
    const crc = new Crc64();
    const chunks: Buffer[] = [];
    for await (const c of res) {
      if ((res.statusCode ?? 0) >= 300) chunks.push(c as Buffer);
      else crc.update(c as Buffer);
    }
    if ((res.statusCode ?? 0) >= 300)
      throw rgwError(
        { status: res.statusCode ?? 500, headers: res.headers, body: Buffer.concat(chunks) },
        true,
      );
    return crc.digest().toString();
  }

  private async putObject(ctx: Ctx): Promise<void> {
    const body = await readBody(ctx.req);
    await this.refuseOverwrite(ctx);
    const crc = crc64(body).toString();
    const headers = {
      ...pick(ctx.s3, ['content-md5', 'x-amz-tagging']),
      ...requestedMetadata(ctx.s3),
      ...requestedAttributes(ctx.req.headers),
      [CRC_META]: crc,
      [TYPE_META]: 'Normal',
    };
    const a = ok(
      await this.rgw.send({ method: 'PUT', bucket: ctx.bucket, key: ctx.key, headers, body }),
      true,
    );
    emptyReply(ctx, 200, {
      ...answerHeadersToOss(a.headers, ctx.requestId),
      'x-oss-hash-crc64ecma': crc,
      'content-md5': createHash('md5').update(body).digest('base64'),
    });
  }

  private async copyObject(ctx: Ctx): Promise<void> {
    await readBody(ctx.req);
    const src = parseCopySource(headerOf(ctx.req.headers, 'x-oss-copy-source')!);
    const srcHead = await this.head(src.bucket, src.key, src.versionId);
    if (srcHead.status === 404) throw new OssError(404, 'NoSuchKey', 'The specified key does not exist.');
    ok(srcHead, true);
    checkCopyConditions(ctx.req.headers, srcHead.headers);
    // OSS copies an Appendable object only where it has no versions (PROTOCOL.md §4.2).
    if (typeOf(srcHead.headers) === 'Appendable' && headerOf(srcHead.headers, 'x-amz-version-id'))
      throw new OssError(
        400,
        'InvalidArgument',
        'An appendable object in a versioned bucket cannot be the source of CopyObject.',
      );
    if (Number(headerOf(srcHead.headers, 'content-length')) > this.copyObjectMax)
      throw new OssError(
        400,
        'InvalidArgument',
        'CopyObject copies objects up to 1 GB; use UploadPartCopy for larger ones.',
      );
    await this.refuseOverwrite(ctx);
    const directive = (headerOf(ctx.req.headers, 'x-oss-metadata-directive') ?? 'COPY').toUpperCase();
    const tagging = (headerOf(ctx.req.headers, 'x-oss-tagging-directive') ?? 'Copy').toUpperCase();
    if (!['COPY', 'REPLACE'].includes(directive))
      throw new OssError(400, 'InvalidArgument', 'x-oss-metadata-directive must be COPY or REPLACE.');
    if (!['COPY', 'REPLACE'].includes(tagging))
      throw new OssError(400, 'InvalidArgument', 'x-oss-tagging-directive must be Copy or Replace.');
    const crc = headerOf(srcHead.headers, CRC_META) ?? (await this.crcOf(src.bucket, src.key, src.versionId));
    // RGW always gets REPLACE with the metadata spelled out: the copy's type and CRC are the gateway's to set.
    const headers: Record<string, string> = {
      ...(directive === 'COPY'
        ? withoutAttributes(storedMetadata(srcHead.headers))
        : requestedMetadata(ctx.s3)),
      ...requestedAttributes(ctx.req.headers),
      ...pick(ctx.s3, [
        'x-amz-copy-source-if-match',
        'x-amz-copy-source-if-none-match',
        'x-amz-copy-source-if-modified-since',
        'x-amz-copy-source-if-unmodified-since',
      ]),
      [CRC_META]: crc,
      [TYPE_META]: 'Normal',
      'x-amz-copy-source': s3CopySource(src),
      'x-amz-metadata-directive': 'REPLACE',
    };
    const tags =
      tagging === 'REPLACE'
        ? (ctx.s3['x-amz-tagging'] ?? '')
        : await this.tagsOf(src.bucket, src.key, src.versionId);
    const a = ok(await this.rgw.send({ method: 'PUT', bucket: ctx.bucket, key: ctx.key, headers }), true);
    // RGW (16.2) neither copies tags onto a copy made with REPLACE metadata nor takes x-amz-tagging
    // on a copy: they are set after it.
    // A copy made with REPLACE starts untagged on RGW: only tags to set need a request.
    if (tags) await this.setTags(ctx.bucket!, ctx.key!, tags, headerOf(a.headers, 'x-amz-version-id'));
    const text = a.body.toString('utf8');
    const etag = etagToOss(elementText(text, 'ETag') ?? headerOf(srcHead.headers, 'etag') ?? '');
    const out: Record<string, string> = {
      'x-oss-hash-crc64ecma': crc,
      etag: etag.startsWith('"') ? etag : `"${etag}"`,
    };
    const version = headerOf(a.headers, 'x-amz-version-id');
    if (version) out['x-oss-version-id'] = version;
    if (src.versionId) out['x-oss-copy-source-version-id'] = src.versionId;
    xmlReply(
      ctx,
      200,
      `<CopyObjectResult><ETag>${escapeXml(etag.startsWith('"') ? etag : `"${etag}"`)}</ETag>` +
        `<LastModified>${escapeXml(elementText(text, 'LastModified') ?? '')}</LastModified></CopyObjectResult>`,
      out,
    );
  }

  private async initiate(ctx: Ctx): Promise<void> {
    await readBody(ctx.req);
    await this.refuseOverwrite(ctx);
    const headers = {
      ...pick(ctx.s3, ['x-amz-tagging']),
      ...requestedMetadata(ctx.s3),
      ...requestedAttributes(ctx.req.headers),
      [TYPE_META]: 'Multipart',
    };
    const url = this.wantsUrl(ctx);
    const a = ok(
      await this.rgw.send({
        method: 'POST',
        bucket: ctx.bucket,
        key: ctx.key,
        query: { uploads: '' },
        headers,
      }),
      true,
    );
    const uploadId = elementText(a.body.toString('utf8'), 'UploadId') ?? '';
    xmlReply(
      ctx,
      200,
      `<InitiateMultipartUploadResult><Bucket>${escapeXml(ctx.bucket!)}</Bucket>` +
        `<Key>${escapeXml(url ? urlEncodeName(ctx.key!) : ctx.key!)}</Key><UploadId>${escapeXml(uploadId)}</UploadId>` +
        (url ? '<EncodingType>url</EncodingType>' : '') +
        '</InitiateMultipartUploadResult>',
    );
  }

  private async uploadPart(ctx: Ctx): Promise<void> {
    const body = await readBody(ctx.req);
    const query = pick(ctx.query, ['partNumber', 'uploadId']);
    const a = okUpload(
      await this.rgw.send({
        method: 'PUT',
        bucket: ctx.bucket,
        key: ctx.key,
        query,
        headers: pick(ctx.s3, ['content-md5']),
        body,
      }),
    );
    emptyReply(ctx, 200, {
      ...answerHeadersToOss(a.headers, ctx.requestId),
      'x-oss-hash-crc64ecma': crc64(body).toString(),
      'content-md5': createHash('md5').update(body).digest('base64'),
    });
  }

  private async uploadPartCopy(ctx: Ctx): Promise<void> {
    await readBody(ctx.req);
    const src = parseCopySource(headerOf(ctx.req.headers, 'x-oss-copy-source')!);
    const srcHead = await this.head(src.bucket, src.key, src.versionId);
    if (srcHead.status === 404) throw new OssError(404, 'NoSuchKey', 'The specified key does not exist.');
    ok(srcHead, true);
    checkCopyConditions(ctx.req.headers, srcHead.headers);
    if (typeOf(srcHead.headers) === 'Appendable')
      throw new OssError(
        400,
        'InvalidArgument',
        'The source object of UploadPartCopy cannot be an appendable object.',
      );
    const headers = {
      ...pick(ctx.s3, [
        'x-amz-copy-source-range',
        'x-amz-copy-source-if-match',
        'x-amz-copy-source-if-none-match',
        'x-amz-copy-source-if-modified-since',
        'x-amz-copy-source-if-unmodified-since',
      ]),
      'x-amz-copy-source': s3CopySource(src),
    };
    const query = pick(ctx.query, ['partNumber', 'uploadId']);
    const a = okUpload(
      await this.rgw.send({ method: 'PUT', bucket: ctx.bucket, key: ctx.key, query, headers }),
    );
    const text = a.body.toString('utf8');
    const partEtag = etagToOss(elementText(text, 'ETag') ?? '');
    const out: Record<string, string> = { etag: partEtag.startsWith('"') ? partEtag : `"${partEtag}"` };
    if (src.versionId) out['x-oss-copy-source-version-id'] = src.versionId;
    xmlReply(
      ctx,
      200,
      `<CopyPartResult><LastModified>${escapeXml(elementText(text, 'LastModified') ?? '')}</LastModified>` +
        `<ETag>${escapeXml(out.etag!)}</ETag></CopyPartResult>`,
      out,
    );
  }

  private async partSizes(bucket: string, key: string, uploadId: string): Promise<Map<number, number>> {
    const sizes = new Map<number, number>();
    let marker = '';
    for (;;) {
      const query: Record<string, string> = { uploadId, 'max-parts': '1000' };
      if (marker) query['part-number-marker'] = marker;
      const text = okUpload(await this.rgw.send({ method: 'GET', bucket, key, query })).body.toString('utf8');
      for (const m of text.matchAll(/<Part>([\s\S]*?)<\/Part>/g))
        sizes.set(Number(elementText(m[1]!, 'PartNumber')), Number(elementText(m[1]!, 'Size')));
      if (!/<IsTruncated>true<\/IsTruncated>/.test(text)) return sizes;
      marker = elementText(text, 'NextPartNumberMarker') ?? '';
      if (!marker) return sizes;
    }
  }

  private async complete(ctx: Ctx): Promise<void> {
    const bucket = ctx.bucket!;
    const key = ctx.key!;
    const uploadId = ctx.query.uploadId!;
    const url = this.wantsUrl(ctx);
    const text = (await readBody(ctx.req)).toString('utf8');
    const parts = [...text.matchAll(/<Part>([\s\S]*?)<\/Part>/g)].map((m) => ({
      number: Number(elementText(m[1]!, 'PartNumber')),
      etag: elementText(m[1]!, 'ETag') ?? '',
    }));
    if (parts.length === 0 || parts.some((p) => !Number.isInteger(p.number)))
      throw new OssError(
        400,
        'MalformedXML',
        'The XML you provided was not well-formed or did not validate against our published schema.',
      );
    const sizes = await this.partSizes(bucket, key, uploadId);
    for (const p of parts.slice(0, -1)) {
      const size = sizes.get(p.number);
      if (size !== undefined && size < MIN_PART)
        throw new OssError(
          400,
          'EntityTooSmall',
          `Your proposed upload is smaller than the minimum allowed size: part ${p.number} has ${size} bytes, parts but the last need at least 100 KB.`,
          {
            PartNumber: String(p.number),
          },
        );
    }
    await this.refuseOverwrite(ctx);
    const body = Buffer.from(
      '<CompleteMultipartUpload>' +
        parts
          .map(
            (p) =>
              `<Part><PartNumber>${p.number}</PartNumber><ETag>${escapeXml(etagToS3(p.etag))}</ETag></Part>`,
          )
          .join('') +
        '</CompleteMultipartUpload>',
    );
    const done = okUpload(
      await this.rgw.send({
        method: 'POST',
        bucket,
        key,
        query: { uploadId },
        headers: { 'content-type': 'application/xml' },
        body,
      }),
    );
    const version = headerOf(done.headers, 'x-amz-version-id');
    const { crc, etag } = await this.finishMultipart(bucket, key, version);
    const out: Record<string, string> = { 'x-oss-hash-crc64ecma': crc };
    if (version) out['x-oss-version-id'] = version;
    xmlReply(
      ctx,
      200,
      `<CompleteMultipartUploadResult><EncodingType>${url ? 'url' : ''}</EncodingType>` +
        `<Location>http://${escapeXml(bucket)}.oss-${this.region}.aliyuncs.com/${escapeXml(encodeRfc3986(key, true))}</Location>` +
        `<Bucket>${escapeXml(bucket)}</Bucket><Key>${escapeXml(url ? urlEncodeName(key) : key)}</Key>` +
        `<ETag>${escapeXml(etagToOss(etag))}</ETag></CompleteMultipartUploadResult>`,
      out,
    );
  }

  /**
   * A completed upload's CRC64 is that of its whole content: read it back, then record it (and the
   * type) on the object with a copy onto itself, which RGW does without changing the ETag.
   */
  private async finishMultipart(
    bucket: string,
    key: string,
    versionId?: string,
  ): Promise<{ crc: string; etag: string }> {
    const head = ok(await this.head(bucket, key, versionId), true);
    const etag = headerOf(head.headers, 'etag') ?? '';
    const crc = await this.crcOf(bucket, key, versionId);
    const headers: Record<string, string> = {
      ...storedMetadata(head.headers),
      [CRC_META]: crc,
      [TYPE_META]: 'Multipart',
      'x-amz-copy-source': s3CopySource({ bucket, key, versionId }),
      'x-amz-copy-source-if-match': etag,
      'x-amz-metadata-directive': 'REPLACE',
    };
    const storageClass = headerOf(head.headers, 'x-amz-storage-class');
    if (storageClass) headers['x-amz-storage-class'] = storageClass;
    const copied = await this.rgw.send({ method: 'PUT', bucket, key, headers });
    // 412: another writer replaced the object meanwhile; theirs stands, and so does this answer.
    ok(copied, true, [412]);
    return { crc, etag };
  }

  private async abort(ctx: Ctx): Promise<void> {
    const a = okUpload(
      await this.rgw.send({
        method: 'DELETE',
        bucket: ctx.bucket,
        key: ctx.key,
        query: pick(ctx.query, ['uploadId']),
      }),
    );
    emptyReply(ctx, 204, answerHeadersToOss(a.headers, ctx.requestId));
  }

  private async append(ctx: Ctx): Promise<void> {
    const position = ctx.query.position ?? '';
    if (!/^\d+$/.test(position))
      throw new OssError(400, 'InvalidArgument', 'position must be a non-negative integer.');
    const body = await readBody(ctx.req);
    const head = await this.head(ctx.bucket!, ctx.key!);
    if (head.status !== 404) ok(head, true);
    const exists = head.status === 200;
    const size = exists ? Number(headerOf(head.headers, 'content-length')) : 0;
    if (exists && typeOf(head.headers) !== 'Appendable')
      throw new OssError(409, 'ObjectNotAppendable', 'The object is not appendable.');
    if (Number(position) !== size)
      throw new OssError(
        409,
        'PositionNotEqualToLength',
        'Position is not equal to file length.',
        {},
        {
          'x-oss-next-append-position': String(size),
        },
      );
    let content = body;
    let previous = 0n;
    let metadata: Record<string, string>;
    if (exists) {
      const res = await this.rgw.send({ method: 'GET', bucket: ctx.bucket, key: ctx.key });
      ok(res, true);
      content = Buffer.concat([res.body, body]);
      const stored = headerOf(head.headers, CRC_META);
      previous = stored ? BigInt(stored) : crc64(res.body);
      metadata = storedMetadata(head.headers);
    } else {
      metadata = {
        ...pick(ctx.s3, ['x-amz-tagging']),
        ...requestedMetadata(ctx.s3),
        ...requestedAttributes(ctx.req.headers),
      };
    }
    const crc = crc64(body, previous).toString();
    const headers = { ...metadata, [CRC_META]: crc, [TYPE_META]: 'Appendable' };
    const a = ok(
      await this.rgw.send({ method: 'PUT', bucket: ctx.bucket, key: ctx.key, headers, body: content }),
      true,
    );
    emptyReply(ctx, 200, {
      ...answerHeadersToOss(a.headers, ctx.requestId),
      'x-oss-next-append-position': String(content.length),
      'x-oss-hash-crc64ecma': crc,
    });
  }

  private async getObject(ctx: Ctx): Promise<void> {
    const query = pick(ctx.query, [
      'versionId',
      'response-content-type',
      'response-content-language',
      'response-expires',
      'response-cache-control',
      'response-content-disposition',
      'response-content-encoding',
    ]);
    const headers = pick(ctx.s3, [
      'range',
      'if-match',
      'if-none-match',
      'if-modified-since',
      'if-unmodified-since',
    ]);
    // OSS tells the tag count on HEAD and GET (S3 only on GET, RGW not at all): counted here.
    const tagCount = this.tagCount(ctx.bucket!, ctx.key!, query.versionId).catch(() => 0);
    let res = await this.rgw.stream({ method: ctx.method, bucket: ctx.bucket, key: ctx.key, query, headers });
    const standard = (headerOf(ctx.req.headers, 'x-oss-range-behavior') ?? '').toLowerCase() === 'standard';
    if (res.statusCode === 416 && !standard) {
      // OSS ignores a range it cannot satisfy and sends the whole object, unless asked for S3's behaviour.
      res.resume();
      delete headers.range;
      res = await this.rgw.stream({ method: ctx.method, bucket: ctx.bucket, key: ctx.key, query, headers });
    }
    const status = res.statusCode ?? 500;
    if (status >= 300 && status !== 304) {
      const chunks: Buffer[] = [];
      for await (const c of res) chunks.push(c as Buffer);
      if (ctx.method === 'HEAD' && status === 404)
        throw new OssError(404, 'NoSuchKey', 'The specified key does not exist.');
      throw rgwError({ status, headers: res.headers, body: Buffer.concat(chunks) }, true);
    }
    const out = answerHeadersToOss(res.headers, ctx.requestId);
    if (status !== 304) {
      out['x-oss-object-type'] ??= typeOf(res.headers);
      out['x-oss-storage-class'] ??= 'Standard';
      const count = await tagCount;
      if (count) out['x-oss-tagging-count'] = String(count);
    }
    ctx.res.writeHead(status, out);
    if (ctx.method === 'HEAD' || status === 304) {
      res.resume();
      ctx.res.end();
      return;
    }
    res.pipe(ctx.res);
    await new Promise<void>((resolve) => {
      ctx.res.on('close', () => {
        res.destroy();
        resolve();
      });
    });
  }

  private async deleteObject(ctx: Ctx): Promise<void> {
    const a = ok(
      await this.rgw.send({
        method: 'DELETE',
        bucket: ctx.bucket,
        key: ctx.key,
        query: pick(ctx.query, ['versionId']),
      }),
      true,
    );
    emptyReply(ctx, 204, answerHeadersToOss(a.headers, ctx.requestId));
  }
}

/** Bucket sub-resources the gateway does not translate (anything else in a GET is a listing parameter). */
const OTHER_BUCKET_SUBRESOURCES = new Set([
  'acl',
  'cors',
  'logging',
  'website',
  'referer',
  'lifecycle',
  'policy',
  'encryption',
  'replication',
  'inventory',
  'worm',
  'tagging',
  'stat',
  'transferAcceleration',
  'requestPayment',
]);
const OTHER_OBJECT_SUBRESOURCES = new Set(['acl', 'symlink', 'restore', 'x-oss-process', 'select']);

/** Starts the gateway on 127.0.0.1 (`port` 0 or absent: a free one). */
export async function startOssGateway(options: OssGatewayOptions): Promise<OssGateway> {
  const gateway = new OssGatewayServer(options);
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => void gateway.handle(req, res));
  // Idle connections stay open, as RGW's do: a client (or proxy) that reuses one a moment after a
  // short idle timeout closed it would see a reset no real server causes.
  server.keepAliveTimeout = 0;
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    sts: gateway.sts,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.destroy();
      await closed;
      gateway.rgw.close();
    },
  };
}
