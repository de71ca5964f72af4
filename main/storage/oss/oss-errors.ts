/**
 * OSS error answers as StorageErrors (docs/PROTOCOL.md §7.1). OSS sends an `<Error>` document, but HEAD
 * (and other body-less) answers carry it base64-encoded in `x-oss-err`, with the detail code in
 * `x-oss-ec`. A wrong-region answer is a 403 `AccessDenied` that names the right `<Endpoint>` —
 * the same code as a real permission error, so only the endpoint tells them apart (§2.5).
 */
import { StorageError } from '../errors';
import { discardBody, readText, type HttpResponse } from '../http';
import { parseRetryAfter } from '../retry';
import { parseErrorXml, type XmlErrorBody } from '../xml';

const STATUS_CODES: Record<number, string> = {
  304: 'PreconditionFailed',
  400: 'BadRequest',
  403: 'AccessDenied',
  404: 'NoSuchKey',
  409: 'Conflict',
  412: 'PreconditionFailed',
  416: 'InvalidRange',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
};

/** The `<Error>` document from `x-oss-err` (base64), when a body-less answer has one. */
export function decodeOssErrHeader(value: string | undefined): XmlErrorBody | undefined {
  if (!value) return undefined;
  try {
    return parseErrorXml(Buffer.from(value, 'base64').toString('utf8'));
  } catch {
    return undefined;
  }
}

export async function ossErrorFromResponse(res: HttpResponse, method: string): Promise<StorageError> {
  let parsed: XmlErrorBody | undefined;
  if (method === 'HEAD') await discardBody(res);
  else parsed = parseErrorXml(await readText(res, 1024 * 1024).catch(() => ''));
  parsed ??= decodeOssErrHeader(res.headers['x-oss-err']);
  return ossError(res.status, res.headers, parsed);
}

export function ossError(
  status: number,
  headers: Record<string, string>,
  parsed: XmlErrorBody | undefined,
): StorageError {
  // A 304 to a copy means a copy-source-if-none-match/if-modified-since condition failed (§4.3):
  // the same "condition not met" outcome as a 412, so callers see one code for both.
  const code =
    status === 304 ? 'PreconditionFailed' : (parsed?.code ?? STATUS_CODES[status] ?? `Http${status}`);
  let message = parsed?.message ?? defaultMessage(status, code);
  if (code === 'SignatureDoesNotMatch' && parsed?.stringToSign) {
    // The server's string-to-sign makes a signer bug obvious when diffed against ours (§7.1).
    message += ` (server string-to-sign: ${JSON.stringify(parsed.stringToSign)})`;
  }
  return new StorageError({
    status,
    code,
    message,
    requestId: parsed?.requestId ?? headers['x-oss-request-id'],
    hostId: parsed?.hostId,
    ec: parsed?.ec ?? headers['x-oss-ec'],
    endpoint: parsed?.endpoint,
    serverDate: headers['date'],
    retryAfterMs: parseRetryAfter(headers['retry-after']),
  });
}

function defaultMessage(status: number, code: string): string {
  if (status === 304 || status === 412) return 'the copy source no longer matches (condition not met)';
  if (status === 404) return 'the object or bucket does not exist';
  return `OSS answered ${status} ${code}`;
}

/** A 403 that names another endpoint: the bucket lives in another region. */
export function isWrongEndpoint(err: StorageError): boolean {
  return err.status === 403 && Boolean(err.endpoint);
}
