/**
 * Turns S3 error answers into StorageErrors (docs/PROTOCOL.md §7.1–7.2): the `<Error>` body when there is
 * one, the status alone for HEAD (no body), request id from `x-amz-request-id`, host id from
 * `x-amz-id-2`, region from `x-amz-bucket-region`. Messages name the likely cause in plain words and
 * never contain a secret (the signer's inputs are not echoed, only the server's code).
 */
import { StorageError } from '../errors';
import { parseRetryAfter } from '../retry';
import { parseErrorXml, type XmlErrorBody } from '../xml';

export interface S3ErrorContext {
  /** What was being done, e.g. `HeadObject`, for the message. */
  operation: string;
  bucket?: string;
  key?: string;
}

interface ResponseLike {
  status: number;
  headers: Record<string, string>;
}

/** The code S3 would have sent, for answers without a body (HEAD, some proxies). */
function codeFromStatus(status: number, ctx: S3ErrorContext): string {
  switch (status) {
    case 301:
      return 'PermanentRedirect';
    case 304:
      return 'NotModified';
    case 307:
      return 'TemporaryRedirect';
    case 400:
      return 'BadRequest';
    case 401:
      return 'Unauthorized';
    case 403:
      return 'AccessDenied';
    case 404:
      if (ctx.key !== undefined) return 'NoSuchKey';
      return ctx.bucket !== undefined ? 'NoSuchBucket' : 'NotFound';
    case 405:
      return 'MethodNotAllowed';
    case 409:
      return 'Conflict';
    case 411:
      return 'MissingContentLength';
    case 412:
      return 'PreconditionFailed';
    case 416:
      return 'InvalidRange';
    case 429:
      return 'SlowDown';
    case 500:
      return 'InternalError';
    case 503:
      return 'ServiceUnavailable';
    default:
      return `Http${status}`;
  }
}

function describe(
  code: string,
  ctx: S3ErrorContext,
  serverMessage: string | undefined,
  status: number,
): string {
  const object = ctx.key !== undefined ? `"${ctx.key}" in bucket "${ctx.bucket}"` : `bucket "${ctx.bucket}"`;
  switch (code) {
    case 'SignatureDoesNotMatch':
      return (
        'the access key id or secret is wrong (SignatureDoesNotMatch): the server computed a different ' +
        'signature — check the secret key, and that the endpoint and region are right'
      );
    case 'InvalidAccessKeyId':
      return 'the access key id is wrong or no longer valid (InvalidAccessKeyId): the server does not know it';
    case 'InvalidToken':
    case 'ExpiredToken':
      return `the session token is invalid or has expired (${code})`;
    case 'RequestTimeTooSkewed':
      return 'the computer clock differs from the server clock by more than 15 minutes (RequestTimeTooSkewed)';
    case 'NoSuchBucket':
      return `the bucket "${ctx.bucket}" does not exist (NoSuchBucket)`;
    case 'NoSuchKey':
      return `the object ${object} does not exist (NoSuchKey)`;
    case 'NoSuchUpload':
      return `the multipart upload of ${object} no longer exists: it was completed or aborted (NoSuchUpload)`;
    case 'AccessDenied':
      return status === 403 && !serverMessage
        ? `access to ${ctx.key !== undefined ? object : `bucket "${ctx.bucket}"`} was denied (403 AccessDenied): the credentials may be wrong or lack permission`
        : `access denied (AccessDenied)${serverMessage ? `: ${serverMessage}` : ''}`;
    case 'PreconditionFailed':
      return `${ctx.operation}: the source or destination changed, or the destination already exists (PreconditionFailed)`;
    case 'BucketAlreadyExists':
    case 'BucketAlreadyOwnedByYou':
      return `the bucket "${ctx.bucket}" already exists (${code})`;
    case 'BucketNotEmpty':
      return `the bucket "${ctx.bucket}" is not empty (BucketNotEmpty)`;
    default:
      return `${ctx.operation} failed (${status} ${code})${serverMessage ? `: ${serverMessage}` : ''}`;
  }
}

/** Builds the StorageError for a failed answer; `body` is the (possibly empty) response text. */
export function s3Error(res: ResponseLike, body: string, ctx: S3ErrorContext): StorageError {
  const xml: XmlErrorBody = parseErrorXml(body) ?? {};
  return errorFromParts(res, xml, ctx);
}

/**
 * A 200 answer whose body is an `<Error>` (CopyObject, UploadPartCopy, CompleteMultipartUpload —
 * §4.4, §5.3) or empty (the request was cut off); undefined when the body is a real result.
 */
export function errorIn200(res: ResponseLike, body: string, ctx: S3ErrorContext): StorageError | undefined {
  const xml = parseErrorXml(body);
  if (xml) return errorFromParts(res, { ...xml, code: xml.code ?? 'InternalError' }, ctx);
  if (body.trim() === '') {
    return errorFromParts(res, { code: 'InternalError', message: 'the server sent an empty answer' }, ctx);
  }
  return undefined;
}

function errorFromParts(res: ResponseLike, xml: XmlErrorBody, ctx: S3ErrorContext): StorageError {
  const code = xml.code || codeFromStatus(res.status, ctx);
  return new StorageError({
    status: res.status,
    code,
    message: describe(code, ctx, xml.message, res.status),
    requestId: res.headers['x-amz-request-id'] ?? xml.requestId,
    hostId: res.headers['x-amz-id-2'] ?? xml.hostId,
    region: res.headers['x-amz-bucket-region'] ?? xml.region,
    endpoint: xml.endpoint,
    serverDate: res.headers['date'],
    retryAfterMs: parseRetryAfter(res.headers['retry-after']),
  });
}
