/**
 * A tiny OSS stand-in for unit tests: a node:http server that checks the signature of every
 * request (V1 or V4, header or query auth, with its own clock for skew tests) and hands valid
 * requests to a per-test handler that answers with canned OSS XML. An undici dispatcher sends
 * every origin (`bucket.oss-cn-hangzhou.aliyuncs.com`, …) to it with the original Host header, so
 * virtual-hosted addressing and region redirects are exercised as against the real service.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool, type Dispatcher } from 'undici';
import { fromHeaderBytes } from '../../main/storage/encoding';
import type { OssSignable } from '../../main/storage/signing/oss-request';
import { ossV1Signature, ossV1StringToSign } from '../../main/storage/signing/oss-v1';
import {
  ossV4CanonicalRequest,
  ossV4Signature,
  ossV4StringToSign,
  type OssV4Scope,
} from '../../main/storage/signing/oss-v4';

export interface Received {
  method: string;
  host: string;
  /** Region of the host (`cn-hangzhou` for `bucket.oss-cn-hangzhou.aliyuncs.com`). */
  hostRegion?: string;
  bucket?: string;
  key?: string;
  rawPath: string;
  query: Record<string, string>;
  /** Lower-case names, values decoded from their UTF-8 wire bytes. */
  headers: Record<string, string>;
  body: Buffer;
  /** Which auth the request carried. */
  auth: 'v1' | 'v4' | 'v1-query' | 'v4-query' | 'none';
  /** V4 credential scope region. */
  signedRegion?: string;
}

export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export type Handler = (req: Received) => Reply | Promise<Reply>;

const SECRET = 'test-secret';

export function errorXml(code: string, message: string, extra: Record<string, string> = {}): string {
  const more = Object.entries(extra)
    .map(([k, v]) => `<${k}>${v}</${k}>`)
    .join('');
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message>` +
    `<RequestId>req-${code}</RequestId><HostId>fake.oss</HostId>${more}</Error>`
  );
}

export const xml = (body: string): Reply => ({
  status: 200,
  headers: { 'content-type': 'application/xml', 'x-oss-request-id': 'req-ok' },
  body: `<?xml version="1.0" encoding="UTF-8"?>\n${body}`,
});

function parseHost(host: string): { bucket?: string; region?: string; virtual?: boolean } {
  const m = /^(?:([a-z0-9-]+)\.)?oss-([a-z0-9-]+?)(?:-internal)?\.aliyuncs\.com$/.exec(host);
  // Acceleration endpoints are global: a bucket in the host, no region.
  if (m && /^accelerate(-overseas)?$/.test(m[2]!)) return { bucket: m[1], virtual: true };
  if (m) return { bucket: m[1], region: m[2], virtual: true };
  const dual = /^(?:([a-z0-9-]+)\.)?([a-z]+-[a-z0-9-]+)\.oss\.aliyuncs\.com$/.exec(host);
  if (dual) return { bucket: dual[1], region: dual[2], virtual: true };
  return {};
}

function parseQuery(raw: string): Record<string, string> {
  const query: Record<string, string> = {};
  if (!raw) return query;
  for (const part of raw.split('&')) {
    const eq = part.indexOf('=');
    const name = decodeURIComponent(eq < 0 ? part : part.slice(0, eq));
    query[name] = eq < 0 ? '' : decodeURIComponent(part.slice(eq + 1));
  }
  return query;
}

export class FakeOss {
  readonly received: Received[] = [];
  readonly handlerErrors: Error[] = [];
  handler: Handler = () => ({ status: 501, body: errorXml('NotImplemented', 'no handler') });
  /** Server clock offset from the real clock (ms); requests signed too far from it are rejected. */
  clockOffsetMs = 0;
  accessKeyId = 'test-ak';
  /** Custom domains (CNAME) and the bucket each is bound to. */
  readonly cnames = new Map<string, string>();
  securityToken?: string;
  readonly secret = SECRET;
  private server?: http.Server;
  private pool?: Pool;
  origin = '';

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        this.handle(req, Buffer.concat(chunks))
          .then((reply) => {
            const headers = {
              date: new Date(Date.now() + this.clockOffsetMs).toUTCString(),
              ...reply.headers,
            };
            // eslint-disable-next-line no-control-regex
            if (Object.values(headers).some((v) => /[^\x00-\x7f]/.test(v))) {
              // node's ServerResponse re-encodes header chars above 0x7f as UTF-8 (or rejects
              // them); a real server sends the bytes as they are, so write this answer raw.
              writeRaw(req, reply.status ?? 200, headers, reply.body);
              return;
            }
            res.writeHead(reply.status ?? 200, headers);
            res.end(req.method === 'HEAD' ? undefined : reply.body);
          })
          .catch((err: Error) => {
            // Assertions inside handlers land here; tests re-throw them via `handlerErrors`.
            this.handlerErrors.push(err);
            res.writeHead(500);
            res.end(errorXml('InternalError', err.message));
          });
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    this.pool = new Pool(this.origin, { connections: 4 });
  }

  /** Routes any origin to this server, keeping the original host in the Host header. */
  dispatcher(): Dispatcher {
    const origin = this.origin;
    return this.pool!.compose(
      (dispatch) => (opts, handler) =>
        dispatch(
          {
            ...opts,
            origin,
            headers: { ...(opts.headers as Record<string, string>), host: new URL(String(opts.origin)).host },
          },
          handler,
        ),
    );
  }

  async stop(): Promise<void> {
    await this.pool?.close();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  private async handle(req: http.IncomingMessage, body: Buffer): Promise<Reply> {
    const host = String(req.headers.host ?? '');
    const rawUrl = req.url ?? '/';
    const q = rawUrl.indexOf('?');
    const rawPath = q < 0 ? rawUrl : rawUrl.slice(0, q);
    const query = parseQuery(q < 0 ? '' : rawUrl.slice(q + 1));
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === 'string') headers[name] = fromHeaderBytes(value);
    }
    const hostInfo = parseHost(host);
    let bucket = hostInfo.bucket ?? this.cnames.get(host);
    let keyPath = rawPath.slice(1);
    if (!hostInfo.virtual && !this.cnames.has(host)) {
      // Path-style (IP endpoint): /bucket/key.
      const slash = rawPath.indexOf('/', 1);
      bucket = slash < 0 ? rawPath.slice(1) || undefined : rawPath.slice(1, slash);
      keyPath = slash < 0 ? '' : rawPath.slice(slash + 1);
    }
    const received: Received = {
      method: req.method ?? 'GET',
      host,
      hostRegion: hostInfo.region,
      bucket: bucket ? decodeURIComponent(bucket) : undefined,
      key: keyPath ? decodeURIComponent(keyPath) : undefined,
      rawPath,
      query,
      headers,
      body,
      auth: 'none',
    };
    const authError = this.verify(received);
    this.received.push(received);
    if (authError) return authError;
    return this.handler(received);
  }

  private now(): number {
    return Date.now() + this.clockOffsetMs;
  }

  private reject(code: string, message: string, status = 403): Reply {
    return { status, headers: { 'content-type': 'application/xml' }, body: errorXml(code, message) };
  }

  private verify(r: Received): Reply | undefined {
    const signable: OssSignable = {
      method: r.method,
      bucket: r.bucket,
      key: r.key,
      query: { ...r.query },
      headers: Object.fromEntries(Object.entries(r.headers).filter(([n]) => n !== 'authorization')),
    };
    const auth = r.headers.authorization;
    if (auth?.startsWith('OSS4-HMAC-SHA256 ')) {
      r.auth = 'v4';
      const m =
        /^OSS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/oss\/aliyun_v4_request(?:,AdditionalHeaders=([^,]+))?,Signature=([0-9a-f]{64})$/.exec(
          auth,
        );
      if (!m) return this.reject('InvalidArgument', 'malformed authorization', 400);
      const [, ak, , region, additional, signature] = m;
      r.signedRegion = region;
      if (ak !== this.accessKeyId) return this.reject('InvalidAccessKeyId', 'unknown key');
      if (r.headers['x-oss-content-sha256'] !== 'UNSIGNED-PAYLOAD')
        return this.reject('InvalidArgument', 'payload', 400);
      const datetime = r.headers['x-oss-date'] ?? '';
      const skew = this.skewed(iso(datetime));
      if (skew) return skew;
      const scope: OssV4Scope = { region: region! };
      const additionalList = additional ? additional.split(';') : [];
      const creq = ossV4CanonicalRequest(signable, additionalList);
      const expected = ossV4Signature(this.secret, scope, ossV4StringToSign(datetime, scope, creq), datetime);
      if (expected !== signature)
        return this.reject('SignatureDoesNotMatch', `v4 mismatch; canonical request: ${creq}`);
      if (r.hostRegion && r.hostRegion !== region)
        return this.reject('SignatureDoesNotMatch', 'region mismatch');
    } else if (auth?.startsWith('OSS ')) {
      r.auth = 'v1';
      const [ak, signature] = auth.slice(4).split(':');
      if (ak !== this.accessKeyId) return this.reject('InvalidAccessKeyId', 'unknown key');
      const date = r.headers.date ?? '';
      const skew = this.skewed(Date.parse(date));
      if (skew) return skew;
      const sts = ossV1StringToSign(signable, date);
      if (ossV1Signature(this.secret, sts) !== signature)
        return this.reject('SignatureDoesNotMatch', `v1 mismatch: ${sts}`);
    } else if (r.query['x-oss-signature']) {
      r.auth = 'v4-query';
      const { 'x-oss-signature': signature, ...rest } = r.query;
      const [, , region] = (rest['x-oss-credential'] ?? '').split('/');
      const datetime = rest['x-oss-date'] ?? '';
      if (iso(datetime) + Number(rest['x-oss-expires']) * 1000 < this.now())
        return this.reject('AccessDenied', 'expired');
      const scope: OssV4Scope = { region: region! };
      const creq = ossV4CanonicalRequest({ ...signable, query: rest }, []);
      if (
        ossV4Signature(this.secret, scope, ossV4StringToSign(datetime, scope, creq), datetime) !== signature
      ) {
        return this.reject('SignatureDoesNotMatch', 'v4 query mismatch');
      }
    } else if (r.query.Signature) {
      r.auth = 'v1-query';
      const { Signature: signature, OSSAccessKeyId: _ak, Expires: expires, ...rest } = r.query;
      if (Number(expires) * 1000 < this.now()) return this.reject('AccessDenied', 'expired');
      const sts = ossV1StringToSign({ ...signable, query: rest }, expires ?? '');
      if (ossV1Signature(this.secret, sts) !== signature)
        return this.reject('SignatureDoesNotMatch', 'v1 query mismatch');
    } else {
      return this.reject('AccessDenied', 'anonymous access is forbidden');
    }
    if (
      this.securityToken &&
      r.auth.endsWith('query') === false &&
      r.headers['x-oss-security-token'] !== this.securityToken
    ) {
      return this.reject('InvalidAccessKeyId', 'missing security token');
    }
    return undefined;
  }

  private skewed(signedAt: number): Reply | undefined {
    if (Number.isNaN(signedAt) || Math.abs(signedAt - this.now()) > 15 * 60_000) {
      return this.reject(
        'RequestTimeTooSkewed',
        'The difference between the request time and the current time is too large.',
      );
    }
    return undefined;
  }
}

function writeRaw(
  req: http.IncomingMessage,
  status: number,
  headers: Record<string, string>,
  body?: string | Buffer,
): void {
  const payload = req.method === 'HEAD' || body === undefined ? Buffer.alloc(0) : Buffer.from(body);
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}`);
  if (!('content-length' in headers)) lines.push(`content-length: ${payload.length}`);
  const head = `HTTP/1.1 ${status} OK\r\n${lines.join('\r\n')}\r\nconnection: close\r\n\r\n`;
  req.socket.end(Buffer.concat([Buffer.from(head, 'latin1'), payload]));
}

function iso(datetime: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(datetime);
  if (!m) return NaN;
  return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
}
