/**
 * Presigned OSS URLs (query-string auth), V1 and V4. Both return the query parameters to add to
 * the request's own; the caller builds the URL with them, so the key is encoded exactly once.
 */
import { iso8601Basic, type OssCredentials, type OssSignable } from './oss-request';
import { ossV1Signature, ossV1StringToSign } from './oss-v1';
import {
  OSS_V4_ALGORITHM,
  ossV4AdditionalHeaders,
  ossV4CanonicalRequest,
  ossV4CredentialScope,
  ossV4Signature,
  ossV4StringToSign,
  type OssV4Scope,
} from './oss-v4';

/** OSS rejects V4 URLs that live longer than 7 days. */
export const OSS_MAX_PRESIGN_SECONDS = 604_800;

export interface OssPresigned {
  /** The request's query plus the auth parameters, in the order they should appear. */
  query: Record<string, string>;
  stringToSign: string;
  canonicalRequest?: string;
}

/**
 * V1: `Expires` (Unix seconds) takes the Date slot; an STS token travels as the `security-token`
 * sub-resource, so it is inside the canonical resource.
 */
export function presignOssV1(
  req: OssSignable,
  creds: OssCredentials,
  expiresAtSeconds: number,
): OssPresigned {
  const query: Record<string, string> = { ...req.query };
  if (creds.securityToken) query['security-token'] = creds.securityToken;
  const stringToSign = ossV1StringToSign({ ...req, query }, String(expiresAtSeconds));
  return {
    query: {
      ...query,
      OSSAccessKeyId: creds.accessKeyId,
      Expires: String(expiresAtSeconds),
      Signature: ossV1Signature(creds.secretAccessKey, stringToSign),
    },
    stringToSign,
  };
}

/** V4: every auth parameter except the signature itself is part of the canonical query. */
export function presignOssV4(
  req: OssSignable,
  creds: OssCredentials,
  scope: OssV4Scope,
  nowMs: number,
  expiresSeconds: number,
): OssPresigned {
  if (!Number.isInteger(expiresSeconds) || expiresSeconds < 1 || expiresSeconds > OSS_MAX_PRESIGN_SECONDS) {
    throw new RangeError(`OSS presigned URLs must expire within 1..${OSS_MAX_PRESIGN_SECONDS} seconds`);
  }
  const datetime = iso8601Basic(nowMs);
  const additional = ossV4AdditionalHeaders(scope.additionalHeaders, req.headers);
  const query: Record<string, string> = {
    ...req.query,
    'x-oss-signature-version': OSS_V4_ALGORITHM,
    'x-oss-credential': `${creds.accessKeyId}/${ossV4CredentialScope(datetime.slice(0, 8), scope)}`,
    'x-oss-date': datetime,
    'x-oss-expires': String(expiresSeconds),
  };
  if (additional.length > 0) query['x-oss-additional-headers'] = additional.join(';');
  if (creds.securityToken) query['x-oss-security-token'] = creds.securityToken;
  const canonicalRequest = ossV4CanonicalRequest({ ...req, query }, additional);
  const stringToSign = ossV4StringToSign(datetime, scope, canonicalRequest);
  query['x-oss-signature'] = ossV4Signature(creds.secretAccessKey, scope, stringToSign, datetime);
  return { query, stringToSign, canonicalRequest };
}
