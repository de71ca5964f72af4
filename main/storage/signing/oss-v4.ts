/**
 * OSS signature V4 (`OSS4-HMAC-SHA256`), docs/PROTOCOL.md §1.3. It looks like AWS SigV4 but differs in
 * ways that break a borrowed signer (§1.6): the canonical URI is always `/bucket/key` whatever the
 * host style, empty query values are bare names, `host` is not signed unless asked for, and the
 * payload is always `UNSIGNED-PAYLOAD`.
 */
import { createHash, createHmac } from 'node:crypto';
import { encodePath, formatQuery } from '../encoding';
import {
  byteOrder,
  iso8601Basic,
  ossResourcePath,
  rfc1123,
  type OssCredentials,
  type OssSignable,
} from './oss-request';

export const OSS_V4_ALGORITHM = 'OSS4-HMAC-SHA256';
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';

export interface OssV4Scope {
  /** V4 region id (`cn-hangzhou`, never `oss-cn-hangzhou`). */
  region: string;
  /** `oss`, or `oss-cloudbox` for Cloud Box (then region is the cloud-box id). */
  product?: string;
  /** Extra headers to sign (e.g. `host`); see {@link ossV4AdditionalHeaders}. */
  additionalHeaders?: string[];
}

const isDefaultSigned = (name: string): boolean =>
  name.startsWith('x-oss-') || name === 'content-type' || name === 'content-md5';

function lowerCaseHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) out[name.toLowerCase()] = value.trim();
  return out;
}

/**
 * Lower-cased, de-duplicated, sorted; names signed anyway or absent from the request are dropped,
 * because OSS rejects an AdditionalHeaders entry it cannot find and an empty list (EC 0002-00000209).
 */
export function ossV4AdditionalHeaders(
  requested: string[] | undefined,
  headers: Record<string, string>,
): string[] {
  const present = lowerCaseHeaders(headers);
  const names = new Set((requested ?? []).map((h) => h.toLowerCase()));
  return [...names].filter((n) => !isDefaultSigned(n) && present[n] !== undefined).sort(byteOrder);
}

export function ossV4CanonicalQuery(query: Record<string, string>): string {
  return formatQuery(Object.entries(query), { emptyValueEquals: false });
}

export function ossV4CanonicalRequest(req: OssSignable, additional: string[]): string {
  const headers = lowerCaseHeaders(req.headers);
  const signed = Object.keys(headers)
    .filter((name) => isDefaultSigned(name) || additional.includes(name))
    .sort(byteOrder);
  return [
    req.method.toUpperCase(),
    encodePath(ossResourcePath(req.bucket, req.key)),
    ossV4CanonicalQuery(req.query),
    signed.map((name) => `${name}:${headers[name]}\n`).join(''),
    additional.join(';'),
    headers['x-oss-content-sha256'] ?? UNSIGNED_PAYLOAD,
  ].join('\n');
}

export function ossV4CredentialScope(date: string, scope: OssV4Scope): string {
  return `${date}/${scope.region}/${scope.product ?? 'oss'}/aliyun_v4_request`;
}

export function ossV4StringToSign(datetime: string, scope: OssV4Scope, canonicalRequest: string): string {
  const hash = createHash('sha256').update(canonicalRequest, 'utf8').digest('hex');
  return [OSS_V4_ALGORITHM, datetime, ossV4CredentialScope(datetime.slice(0, 8), scope), hash].join('\n');
}

// The key changes once a day per region; a store signs thousands of part copies with the same one.
const signingKeys = new Map<string, Buffer>();

export function ossV4SigningKey(secret: string, date: string, region: string, product = 'oss'): Buffer {
  const cacheKey = createHash('sha256').update(`${secret}\n${date}\n${region}\n${product}`).digest('hex');
  const cached = signingKeys.get(cacheKey);
  if (cached) return cached;
  const hmac = (key: string | Buffer, data: string): Buffer =>
    createHmac('sha256', key).update(data, 'utf8').digest();
  const key = hmac(hmac(hmac(hmac(`aliyun_v4${secret}`, date), region), product), 'aliyun_v4_request');
  if (signingKeys.size > 64) signingKeys.clear();
  signingKeys.set(cacheKey, key);
  return key;
}

export function ossV4Signature(
  secret: string,
  scope: OssV4Scope,
  stringToSign: string,
  datetime: string,
): string {
  const key = ossV4SigningKey(secret, datetime.slice(0, 8), scope.region, scope.product);
  return createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex');
}

export interface OssV4Signed {
  headers: Record<string, string>;
  canonicalRequest: string;
  stringToSign: string;
}

/**
 * Adds `x-oss-date`, `x-oss-content-sha256`, the STS token, `date` (unsigned, sent as the SDKs do)
 * and `authorization` to a copy of the request headers.
 */
export function signOssV4(
  req: OssSignable,
  creds: OssCredentials,
  scope: OssV4Scope,
  nowMs: number,
): OssV4Signed {
  const datetime = iso8601Basic(nowMs);
  const headers: Record<string, string> = {
    ...req.headers,
    'x-oss-date': datetime,
    'x-oss-content-sha256': UNSIGNED_PAYLOAD,
  };
  if (creds.securityToken) headers['x-oss-security-token'] = creds.securityToken;
  const additional = ossV4AdditionalHeaders(scope.additionalHeaders, headers);
  const canonicalRequest = ossV4CanonicalRequest({ ...req, headers }, additional);
  const stringToSign = ossV4StringToSign(datetime, scope, canonicalRequest);
  const signature = ossV4Signature(creds.secretAccessKey, scope, stringToSign, datetime);
  const credential = `${creds.accessKeyId}/${ossV4CredentialScope(datetime.slice(0, 8), scope)}`;
  const extra = additional.length > 0 ? `,AdditionalHeaders=${additional.join(';')}` : '';
  headers.authorization = `${OSS_V4_ALGORITHM} Credential=${credential}${extra},Signature=${signature}`;
  headers.date = rfc1123(nowMs);
  return { headers, canonicalRequest, stringToSign };
}
