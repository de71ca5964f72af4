/**
 * OSS-shaped errors (PROTOCOL.md §7.1): an XML body with Code, Message, RequestId, HostId and EC;
 * `x-oss-request-id` and `x-oss-ec` headers; for HEAD (no body) the XML base64-encoded in `x-oss-err`.
 */
import type http from 'node:http';

/** The EC of the codes the gateway answers (the real service's values where they are documented). */
const EC: Record<string, string> = {
  AccessDenied: '0003-00000001',
  BucketAlreadyExists: '0015-00000001',
  BucketNotEmpty: '0015-00000301',
  EntityTooLarge: '0016-00000502',
  EntityTooSmall: '0042-00000306',
  FileAlreadyExists: '0026-00000006',
  InvalidAccessKeyId: '0002-00000902',
  InvalidArgument: '0017-00000001',
  InvalidBucketName: '0015-00000101',
  InvalidDigest: '0016-00000209',
  InvalidObjectName: '0016-00000005',
  InvalidPart: '0042-00000214',
  InvalidPartOrder: '0042-00000216',
  InvalidRange: '0016-00000304',
  MalformedXML: '0017-00000101',
  NoSuchBucket: '0015-00000101',
  NoSuchKey: '0026-00000001',
  NoSuchUpload: '0042-00000002',
  NotImplemented: '0001-00000001',
  ObjectNotAppendable: '0026-00000101',
  PositionNotEqualToLength: '0026-00000102',
  PreconditionFailed: '0016-00000307',
  RequestTimeTooSkewed: '0002-00000504',
  SignatureDoesNotMatch: '0002-00000040',
};

export class OssError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Extra elements (Endpoint, StringToSign, EC …) and, for `headers`, response headers. */
    readonly extra: Record<string, string> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export function escapeXml(value: string): string {
  return value.replace(
    /[<>&'"]/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!,
  );
}

export function errorXml(err: OssError, requestId: string, hostId: string): { xml: string; ec: string } {
  const ec = err.extra.EC ?? EC[err.code] ?? '0000-00000000';
  const extra = Object.entries(err.extra)
    .filter(([k]) => k !== 'EC')
    .map(([k, v]) => `<${k}>${escapeXml(v)}</${k}>`)
    .join('');
  const xml =
    '<?xml version="1.0" encoding="UTF-8"?>\n<Error>' +
    `<Code>${escapeXml(err.code)}</Code><Message>${escapeXml(err.message)}</Message>` +
    `<RequestId>${requestId}</RequestId><HostId>${escapeXml(hostId)}</HostId>${extra}` +
    `<EC>${ec}</EC><RecommendDoc>https://api.aliyun.com/troubleshoot?q=${ec}</RecommendDoc></Error>`;
  return { xml, ec };
}

export function sendError(
  res: http.ServerResponse,
  method: string,
  err: OssError,
  requestId: string,
  hostId: string,
): void {
  const { xml, ec } = errorXml(err, requestId, hostId);
  const headers: Record<string, string> = {
    ...err.headers,
    'x-oss-request-id': requestId,
    'x-oss-ec': ec,
    'content-type': 'application/xml',
  };
  if (method === 'HEAD' || err.status === 304) {
    headers['x-oss-err'] = Buffer.from(xml).toString('base64');
    res.writeHead(err.status, headers);
    res.end();
    return;
  }
  headers['content-length'] = String(Buffer.byteLength(xml));
  res.writeHead(err.status, headers);
  res.end(xml);
}
