/**
 * OSS signature V1 (`Authorization: OSS <AccessKeyId>:<Signature>`), docs/PROTOCOL.md §1.2. V1 is being
 * retired by Alibaba Cloud but older accounts, private deployments and compatible servers still
 * need it; V4 is the default.
 */
import { createHmac } from 'node:crypto';
import { byteOrder, ossResourcePath, rfc1123, type OssCredentials, type OssSignable } from './oss-request';

/**
 * Query parameters that V1 signs (sub-resources); every other parameter (prefix, marker, max-keys,
 * …) is left out of the canonical resource. Union of the Go v1 and Go v2/Python v2 lists; note that
 * `continuation-token` is in it, so ListObjectsV2 page tokens are signed.
 */
// prettier-ignore
const SUB_RESOURCES = new Set([
  'acl', 'uploads', 'location', 'cors', 'logging', 'website', 'referer', 'lifecycle', 'delete', 'append',
  'tagging', 'objectMeta', 'uploadId', 'partNumber', 'security-token', 'position', 'img', 'style', 'styleName',
  'replication', 'replicationProgress', 'replicationLocation', 'cname', 'bucketInfo', 'comp', 'qos', 'live',
  'status', 'vod', 'startTime', 'endTime', 'symlink', 'x-oss-process', 'response-content-type',
  'x-oss-traffic-limit', 'response-content-language', 'response-expires', 'response-cache-control',
  'response-content-disposition', 'response-content-encoding', 'udf', 'udfName', 'udfImage', 'udfId',
  'udfImageDesc', 'udfApplication', 'udfApplicationLog', 'restore', 'callback', 'callback-var', 'qosInfo',
  'policy', 'stat', 'encryption', 'versions', 'versioning', 'versionId', 'requestPayment', 'x-oss-request-payer',
  'sequential', 'inventory', 'inventoryId', 'continuation-token', 'asyncFetch', 'worm', 'wormId', 'wormExtend',
  'withHashContext', 'x-oss-enable-md5', 'x-oss-enable-sha1', 'x-oss-enable-sha256', 'x-oss-hash-ctx',
  'x-oss-md5-ctx', 'transferAcceleration', 'regionList', 'cloudboxes', 'x-oss-ac-source-ip',
  'x-oss-ac-subnet-mask', 'x-oss-ac-vpc-id', 'x-oss-ac-forward-allow', 'metaQuery', 'resourceGroup', 'rtc',
  'x-oss-async-process', 'responseHeader',
]);

export function isOssV1SubResource(name: string): boolean {
  return SUB_RESOURCES.has(name);
}

/** `/bucket/key?sub&sub=value`: raw (not percent-encoded) key and raw sub-resource values. */
export function ossV1CanonicalResource(req: Pick<OssSignable, 'bucket' | 'key' | 'query'>): string {
  const subs = Object.keys(req.query).filter(isOssV1SubResource).sort(byteOrder);
  const resource = ossResourcePath(req.bucket, req.key);
  if (subs.length === 0) return resource;
  return `${resource}?${subs.map((name) => (req.query[name] === '' ? name : `${name}=${req.query[name]}`)).join('&')}`;
}

function canonicalOssHeaders(headers: Record<string, string>): string {
  return Object.entries(headers)
    .map(([name, value]) => [name.toLowerCase(), value.trim()] as const)
    .filter(([name]) => name.startsWith('x-oss-'))
    .sort((a, b) => byteOrder(a[0], b[0]))
    .map(([name, value]) => `${name}:${value}\n`)
    .join('');
}

function header(headers: Record<string, string>, name: string): string {
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === name) return v;
  return '';
}

/** `dateOrExpires` is the `Date` header value for header auth, the Unix `Expires` for URLs. */
export function ossV1StringToSign(req: OssSignable, dateOrExpires: string): string {
  return [
    req.method.toUpperCase(),
    header(req.headers, 'content-md5'),
    header(req.headers, 'content-type'),
    dateOrExpires,
    canonicalOssHeaders(req.headers) + ossV1CanonicalResource(req),
  ].join('\n');
}

export function ossV1Signature(secret: string, stringToSign: string): string {
  return createHmac('sha1', secret).update(stringToSign, 'utf8').digest('base64');
}

export interface OssV1Signed {
  headers: Record<string, string>;
  stringToSign: string;
}

/**
 * Adds `date`, the STS token and `authorization` to a copy of the request headers. Only `Date` is
 * sent (no `x-oss-date`): SDKs disagree on which of the two fills the Date slot.
 */
export function signOssV1(req: OssSignable, creds: OssCredentials, nowMs: number): OssV1Signed {
  const headers: Record<string, string> = { ...req.headers, date: rfc1123(nowMs) };
  if (creds.securityToken) headers['x-oss-security-token'] = creds.securityToken;
  const stringToSign = ossV1StringToSign({ ...req, headers }, headers.date!);
  headers.authorization = `OSS ${creds.accessKeyId}:${ossV1Signature(creds.secretAccessKey, stringToSign)}`;
  return { headers, stringToSign };
}
