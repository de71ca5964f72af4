/**
 * Checks an OSS request's signature the way OSS does, with ali-oss's own signing functions
 * (`ali-oss/lib/common/signUtils.js`): V1 (`Authorization: OSS ak:sig`, or `OSSAccessKeyId`,
 * `Expires`, `Signature` in the query) and V4 (`OSS4-HMAC-SHA256 …`, or `x-oss-signature-version`
 * and friends in the query). Ferry's signers (`main/storage/signing/*`) are deliberately not used:
 * the gateway judges Ferry's requests by the official SDK's code, never by Ferry's own.
 */
import { createRequire } from 'node:module';
import { timingSafeEqual } from 'node:crypto';
import { OssError } from './oss-errors';

interface SignUtils {
  buildCanonicalString(
    method: string,
    resource: string,
    request: { headers: Record<string, string>; parameters?: Record<string, string> },
    expires?: string,
  ): string;
  computeSignature(secret: string, canonicalString: string, headerEncoding?: string): string;
  fixAdditionalHeaders(names?: string[]): string[];
  getCanonicalRequest(
    method: string,
    request: { headers: Record<string, string>; queries: Record<string, string | null> },
    bucket?: string,
    key?: string,
    additionalHeaders?: string[],
  ): string;
  getStringToSign(region: string, date: string, canonicalRequest: string, product?: string): string;
  getSignatureV4(
    secret: string,
    date: string,
    region: string,
    stringToSign: string,
    product?: string,
  ): string;
}

const signUtils = createRequire(__filename)('ali-oss/lib/common/signUtils.js') as SignUtils;

/**
 * V1 sub-resources: the query parameters that belong in the canonicalized resource (PROTOCOL.md
 * §1.2; the union of the official SDKs' lists). Ordinary parameters (prefix, marker, max-keys…) are not signed in V1.
 */
const V1_SUBRESOURCES = new Set(
  (
    'acl uploads location cors logging website referer lifecycle delete append tagging objectMeta uploadId ' +
    'partNumber security-token position img style styleName replication replicationProgress ' +
    'replicationLocation cname bucketInfo comp qos live status vod startTime endTime symlink x-oss-process ' +
    'response-content-type x-oss-traffic-limit response-content-language response-expires ' +
    'response-cache-control response-content-disposition response-content-encoding udf udfName udfImage ' +
    'udfId udfImageDesc udfApplication udfApplicationLog restore callback callback-var qosInfo policy stat ' +
    'encryption versions versioning versionId requestPayment x-oss-request-payer sequential inventory ' +
    'inventoryId continuation-token asyncFetch worm wormId wormExtend withHashContext x-oss-enable-md5 ' +
    'x-oss-enable-sha1 x-oss-enable-sha256 x-oss-hash-ctx x-oss-md5-ctx transferAcceleration regionList ' +
    'cloudboxes x-oss-ac-source-ip x-oss-ac-subnet-mask x-oss-ac-vpc-id x-oss-ac-forward-allow metaQuery ' +
    'resourceGroup rtc x-oss-async-process responseHeader'
  ).split(' '),
);

/** OSS refuses a request signed more than 15 minutes away from its own clock. */
const MAX_SKEW_MS = 15 * 60 * 1000;

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  /** V4 scope region, e.g. `cn-hangzhou`. */
  region: string;
}

export interface SignedRequest {
  method: string;
  bucket?: string;
  key?: string;
  /** Decoded query parameters, in arrival order. */
  query: Record<string, string>;
  /** Lower-case names; values decoded from their UTF-8 wire bytes. */
  headers: Record<string, string>;
  now?: number;
}

export type AuthKind = 'v1' | 'v4' | 'v1-query' | 'v4-query';

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function mismatch(stringToSign: string, accessKeyId: string): OssError {
  return new OssError(
    403,
    'SignatureDoesNotMatch',
    'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
    {
      StringToSign: stringToSign,
      OSSAccessKeyId: accessKeyId,
    },
  );
}

function checkKeyId(given: string, creds: Credentials): void {
  if (given !== creds.accessKeyId)
    throw new OssError(
      403,
      'InvalidAccessKeyId',
      'The OSS Access Key Id you provided does not exist in our records.',
      {
        OSSAccessKeyId: given,
      },
    );
}

function checkSkew(signedAt: number, now: number): void {
  if (!Number.isFinite(signedAt))
    throw new OssError(
      403,
      'AccessDenied',
      'Invalid date format of the request: it must be RFC 1123 (V1) or yyyyMMddTHHmmssZ (V4).',
    );
  if (Math.abs(now - signedAt) > MAX_SKEW_MS)
    throw new OssError(
      403,
      'RequestTimeTooSkewed',
      'The difference between the request time and the current time is too large.',
      {
        RequestTime: new Date(signedAt).toUTCString(),
        ServerTime: new Date(now).toUTCString(),
      },
    );
}

function resourceOf(req: SignedRequest): string {
  if (!req.bucket) return '/';
  return `/${req.bucket}/${req.key ?? ''}`;
}

function v1SubResources(
  query: Record<string, string>,
  skip: Set<string> = new Set(),
): Record<string, string> {
  const sub: Record<string, string> = {};
  for (const [name, value] of Object.entries(query))
    if (V1_SUBRESOURCES.has(name) && !skip.has(name)) sub[name] = value;
  return sub;
}

function parseIsoBasic(value: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return NaN;
  return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
}

function verifyV1Header(req: SignedRequest, creds: Credentials, auth: string, now: number): void {
  const m = /^OSS ([^:]+):(.+)$/.exec(auth);
  if (!m) throw new OssError(400, 'InvalidArgument', 'Authorization header is invalid.');
  checkKeyId(m[1]!, creds);
  // ali-oss and the Python SDK put x-oss-date in the Date slot when they send it; others send Date.
  const date = req.headers['x-oss-date'] ?? req.headers.date ?? '';
  checkSkew(Date.parse(date), now);
  const stringToSign = signUtils.buildCanonicalString(
    req.method,
    resourceOf(req),
    { headers: req.headers, parameters: v1SubResources(req.query) },
    date,
  );
  if (!same(signUtils.computeSignature(creds.secretAccessKey, stringToSign, 'utf-8'), m[2]!))
    throw mismatch(stringToSign, m[1]!);
}

function verifyV1Query(req: SignedRequest, creds: Credentials, now: number): void {
  const { OSSAccessKeyId: keyId = '', Expires: expires = '', Signature: signature = '' } = req.query;
  checkKeyId(keyId, creds);
  if (!/^\d+$/.test(expires) || Number(expires) * 1000 < now)
    throw new OssError(403, 'AccessDenied', 'Request has expired.', { Expires: expires });
  const stringToSign = signUtils.buildCanonicalString(
    req.method,
    resourceOf(req),
    {
      headers: req.headers,
      parameters: v1SubResources(req.query, new Set(['OSSAccessKeyId', 'Expires', 'Signature'])),
    },
    expires,
  );
  if (!same(signUtils.computeSignature(creds.secretAccessKey, stringToSign, 'utf-8'), signature))
    throw mismatch(stringToSign, keyId);
}

interface V4Parts {
  credential: string;
  additionalHeaders: string[];
  signature: string;
  date: string;
}

function checkCredential(credential: string, creds: Credentials): { keyId: string; day: string } {
  const parts = credential.split('/');
  if (parts.length !== 5 || parts[3] !== 'oss' || parts[4] !== 'aliyun_v4_request')
    throw new OssError(400, 'InvalidArgument', `Invalid credential in the V4 signature: ${credential}`);
  checkKeyId(parts[0]!, creds);
  if (parts[2] !== creds.region)
    throw new OssError(
      400,
      'InvalidArgument',
      `Invalid signing region in Authorization header: ${parts[2]} (expected ${creds.region}).`,
    );
  return { keyId: parts[0]!, day: parts[1]! };
}

function verifyV4(
  req: SignedRequest,
  creds: Credentials,
  v4: V4Parts,
  queries: Record<string, string | null>,
): void {
  const { keyId, day } = checkCredential(v4.credential, creds);
  if (!v4.date.startsWith(day))
    throw new OssError(400, 'InvalidArgument', 'The date of the credential scope does not match x-oss-date.');
  const additional = signUtils.fixAdditionalHeaders(v4.additionalHeaders);
  let canonical: string;
  try {
    canonical = signUtils.getCanonicalRequest(
      req.method,
      { headers: req.headers, queries },
      req.bucket,
      req.key,
      additional,
    );
  } catch (e) {
    throw new OssError(400, 'InvalidArgument', (e as Error).message);
  }
  const stringToSign = signUtils.getStringToSign(creds.region, v4.date, canonical);
  const expected = signUtils.getSignatureV4(creds.secretAccessKey, day, creds.region, stringToSign);
  if (!same(expected, v4.signature)) throw mismatch(stringToSign, keyId);
}

/** V4 canonical query: every parameter, an empty value written as the bare name. */
function v4Queries(query: Record<string, string>, skip?: string): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const [name, value] of Object.entries(query))
    if (name !== skip) out[name] = value === '' ? null : value;
  return out;
}

function verifyV4Header(req: SignedRequest, creds: Credentials, auth: string, now: number): void {
  const body = auth.slice('OSS4-HMAC-SHA256 '.length);
  const fields: Record<string, string> = {};
  for (const piece of body.split(',')) {
    const eq = piece.indexOf('=');
    if (eq > 0) fields[piece.slice(0, eq).trim()] = piece.slice(eq + 1).trim();
  }
  if (!fields.Credential || !fields.Signature)
    throw new OssError(
      400,
      'InvalidArgument',
      'Authorization header is invalid: Credential and Signature are required.',
    );
  if ('AdditionalHeaders' in fields && !fields.AdditionalHeaders)
    throw new OssError(400, 'InvalidArgument', 'AdditionalHeaders must be omitted when empty.', {
      EC: '0002-00000209',
    });
  if (req.headers['x-oss-content-sha256'] !== 'UNSIGNED-PAYLOAD')
    throw new OssError(400, 'InvalidArgument', 'x-oss-content-sha256 must be UNSIGNED-PAYLOAD.', {
      EC: '0002-00000214',
    });
  const date = req.headers['x-oss-date'] ?? '';
  checkSkew(parseIsoBasic(date), now);
  verifyV4(
    req,
    creds,
    {
      credential: fields.Credential,
      additionalHeaders: fields.AdditionalHeaders ? fields.AdditionalHeaders.split(';') : [],
      signature: fields.Signature,
      date,
    },
    v4Queries(req.query),
  );
}

function verifyV4Query(req: SignedRequest, creds: Credentials, now: number): void {
  const q = req.query;
  if (q['x-oss-signature-version'] !== 'OSS4-HMAC-SHA256')
    throw new OssError(400, 'InvalidArgument', 'Unsupported x-oss-signature-version.');
  const date = q['x-oss-date'] ?? '';
  const signedAt = parseIsoBasic(date);
  const expires = Number(q['x-oss-expires'] ?? NaN);
  if (!Number.isFinite(signedAt) || !Number.isInteger(expires) || expires < 1 || expires > 604800)
    throw new OssError(400, 'InvalidArgument', 'x-oss-date or x-oss-expires is missing or invalid.');
  if (signedAt - now > MAX_SKEW_MS)
    throw new OssError(403, 'AccessDenied', 'The request is signed for the future.');
  if (signedAt + expires * 1000 < now) throw new OssError(403, 'AccessDenied', 'Request has expired.');
  verifyV4(
    req,
    creds,
    {
      credential: q['x-oss-credential'] ?? '',
      additionalHeaders: q['x-oss-additional-headers'] ? q['x-oss-additional-headers'].split(';') : [],
      signature: q['x-oss-signature'] ?? '',
      date,
    },
    v4Queries(q, 'x-oss-signature'),
  );
}

/** Throws an OssError unless the request carries a valid signature by `creds`; says which kind it was. */
export function verifyOssSignature(req: SignedRequest, creds: Credentials): AuthKind {
  const now = req.now ?? Date.now();
  const auth = req.headers.authorization;
  if (auth?.startsWith('OSS4-HMAC-SHA256 ')) {
    verifyV4Header(req, creds, auth, now);
    return 'v4';
  }
  if (auth?.startsWith('OSS ')) {
    verifyV1Header(req, creds, auth, now);
    return 'v1';
  }
  if (auth) throw new OssError(400, 'InvalidArgument', 'Authorization header is invalid.');
  if ('x-oss-signature' in req.query) {
    verifyV4Query(req, creds, now);
    return 'v4-query';
  }
  if ('Signature' in req.query) {
    verifyV1Query(req, creds, now);
    return 'v1-query';
  }
  throw new OssError(403, 'AccessDenied', 'You have no right to access this object because of bucket acl.');
}
