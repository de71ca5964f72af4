/**
 * AWS Signature Version 4, S3 flavour (docs/PROTOCOL.md §1.5): the canonical URI is the request path as
 * sent (encoded once, never normalised), the canonical query is `formatQuery` (also what goes on the
 * wire), every `x-amz-*` header is signed, and the payload hash is a real SHA-256 or UNSIGNED-PAYLOAD.
 * Header values are wire bytes (latin1, see `toHeaderBytes`) and are hashed as those bytes, so
 * non-ASCII metadata signs exactly what the server receives.
 */
import { createHash, createHmac } from 'node:crypto';
import { encodeRfc3986, formatQuery, type QueryParam } from '../encoding';

export const ALGORITHM = 'AWS4-HMAC-SHA256';
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
export const EMPTY_PAYLOAD_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
/** Longest presigned-URL lifetime SigV4 allows (7 days). */
export const MAX_PRESIGN_SECONDS = 604_800;

export interface SigV4Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface SigV4Scope {
  region: string;
  /** `s3` for S3; other values only for the generic test suite. */
  service?: string;
  /** Signing time (already corrected for clock skew by the caller). */
  date: Date;
}

export interface SigV4Request {
  method: string;
  /** Pre-encoded request path, without the query (`/bucket/a%20b`). */
  path: string;
  /** Raw (decoded) query parameters. */
  query?: readonly QueryParam[];
  /** Headers to send, values as wire bytes; must include `host`. */
  headers: Record<string, string>;
  /** Hex SHA-256 of the body, or UNSIGNED-PAYLOAD. */
  payloadHash: string;
}

export interface SignedRequest {
  /** The request headers plus `x-amz-date`, `x-amz-content-sha256`, the token and `authorization`. */
  headers: Record<string, string>;
  /** Query string to send (same as signed), without `?`. */
  query: string;
  canonicalRequest: string;
  stringToSign: string;
  signature: string;
}

/** Headers a proxy may change or drop, so they are never signed (smithy's list). */
const UNSIGNABLE = new Set([
  'authorization',
  'cache-control',
  'connection',
  'content-length',
  'expect',
  'from',
  'keep-alive',
  'max-forwards',
  'pragma',
  'referer',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'user-agent',
  'x-amzn-trace-id',
]);

const sha256Hex = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string): Buffer =>
  createHmac('sha256', key).update(data, 'utf8').digest();

/** `20130524T000000Z` */
export function amzDate(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

export function credentialScope(scope: SigV4Scope): string {
  return `${amzDate(scope.date).slice(0, 8)}/${scope.region}/${scope.service ?? 's3'}/aws4_request`;
}

/** kSigning = HMAC(HMAC(HMAC(HMAC("AWS4"+secret, yyyymmdd), region), service), "aws4_request") */
export function signingKey(secret: string, yyyymmdd: string, region: string, service: string): Buffer {
  const kDate = hmac('AWS4' + secret, yyyymmdd);
  const kRegion = hmac(kDate, region);
  const kService = hmac(kRegion, service);
  return hmac(kService, 'aws4_request');
}

/**
 * Signing keys by credentials, then by day, region and service. Deriving one takes four HMACs (more
 * than the signature itself), and a folder copy signs thousands of requests with the same key. Kept
 * per credentials object, so nothing outlives the store that signs with it.
 */
const derivedKeys = new WeakMap<SigV4Credentials, Map<string, Buffer>>();

function cachedSigningKey(
  credentials: SigV4Credentials,
  day: string,
  region: string,
  service: string,
): Buffer {
  let keys = derivedKeys.get(credentials);
  if (!keys) derivedKeys.set(credentials, (keys = new Map()));
  // The secret is part of the name: credentials refreshed in place must not sign with the old key.
  const name = `${day}\n${region}\n${service}\n${credentials.secretAccessKey}`;
  let key = keys.get(name);
  if (!key) {
    if (keys.size >= 16) keys.clear(); // days roll over; a handful of regions at most
    key = signingKey(credentials.secretAccessKey, day, region, service);
    keys.set(name, key);
  }
  return key;
}

function canonicalHeaders(headers: Record<string, string>): { block: string; signed: string } {
  const entries = new Map<string, string>();
  for (const [rawName, rawValue] of Object.entries(headers)) {
    const name = rawName.toLowerCase();
    if (UNSIGNABLE.has(name) || name.startsWith('proxy-') || name.startsWith('sec-')) continue;
    const value = rawValue.trim().replace(/\s+/g, ' ');
    const prev = entries.get(name);
    entries.set(name, prev === undefined ? value : `${prev},${value}`);
  }
  const names = [...entries.keys()].sort();
  return { block: names.map((n) => `${n}:${entries.get(n)}\n`).join(''), signed: names.join(';') };
}

function hashCanonicalRequest(canonical: string): string {
  // eslint-disable-next-line no-control-regex
  if (/[^\x00-\xff]/.test(canonical)) {
    throw new Error('SigV4: a header value is not in wire-byte form (use toHeaderBytes)');
  }
  return sha256Hex(Buffer.from(canonical, 'latin1'));
}

function buildSignature(
  canonicalRequest: string,
  credentials: SigV4Credentials,
  scope: SigV4Scope,
): { stringToSign: string; signature: string } {
  const date = amzDate(scope.date);
  const stringToSign = [ALGORITHM, date, credentialScope(scope), hashCanonicalRequest(canonicalRequest)].join(
    '\n',
  );
  const key = cachedSigningKey(credentials, date.slice(0, 8), scope.region, scope.service ?? 's3');
  return { stringToSign, signature: createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex') };
}

/** Header-based signing: returns the headers to send. */
export function signRequest(
  req: SigV4Request,
  credentials: SigV4Credentials,
  scope: SigV4Scope,
): SignedRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) headers[name.toLowerCase()] = value;
  if (!headers.host) throw new Error('SigV4: the host header is required');
  headers['x-amz-date'] = amzDate(scope.date);
  // S3 requires the payload hash header on every header-signed request; other services do not.
  if ((scope.service ?? 's3') === 's3') headers['x-amz-content-sha256'] = req.payloadHash;
  if (credentials.sessionToken) headers['x-amz-security-token'] = credentials.sessionToken;
  const query = formatQuery(req.query ?? []);
  const { block, signed } = canonicalHeaders(headers);
  const canonicalRequest = [req.method.toUpperCase(), req.path, query, block, signed, req.payloadHash].join(
    '\n',
  );
  const { stringToSign, signature } = buildSignature(canonicalRequest, credentials, scope);
  headers.authorization =
    `${ALGORITHM} Credential=${credentials.accessKeyId}/${credentialScope(scope)}, ` +
    `SignedHeaders=${signed}, Signature=${signature}`;
  return { headers, query, canonicalRequest, stringToSign, signature };
}

export interface PresignRequest {
  method: string;
  path: string;
  query?: readonly QueryParam[];
  host: string;
  expiresSeconds: number;
}

/**
 * Query-string signing (presigned URL): only `host` is signed, the payload is UNSIGNED-PAYLOAD and
 * the session token rides in the query. Returns the query string (signature last) without `?`.
 */
export function presignQuery(
  req: PresignRequest,
  credentials: SigV4Credentials,
  scope: SigV4Scope,
): { query: string; canonicalRequest: string; signature: string } {
  if (!(req.expiresSeconds >= 1 && req.expiresSeconds <= MAX_PRESIGN_SECONDS)) {
    throw new RangeError(`presigned URLs last 1 to ${MAX_PRESIGN_SECONDS} seconds`);
  }
  const params: QueryParam[] = [
    ...(req.query ?? []),
    ['X-Amz-Algorithm', ALGORITHM],
    ['X-Amz-Credential', `${credentials.accessKeyId}/${credentialScope(scope)}`],
    ['X-Amz-Date', amzDate(scope.date)],
    ['X-Amz-Expires', String(Math.floor(req.expiresSeconds))],
    ['X-Amz-SignedHeaders', 'host'],
  ];
  if (credentials.sessionToken) params.push(['X-Amz-Security-Token', credentials.sessionToken]);
  const query = formatQuery(params);
  const canonicalRequest = [
    req.method.toUpperCase(),
    req.path,
    query,
    `host:${req.host}\n`,
    'host',
    UNSIGNED_PAYLOAD,
  ].join('\n');
  const { signature } = buildSignature(canonicalRequest, credentials, scope);
  return { query: `${query}&X-Amz-Signature=${encodeRfc3986(signature)}`, canonicalRequest, signature };
}

/** Hex SHA-256 of an in-memory body (for small signed bodies such as Delete or Complete). */
export function payloadSha256(body: Buffer | string): string {
  return sha256Hex(typeof body === 'string' ? Buffer.from(body, 'utf8') : body);
}
