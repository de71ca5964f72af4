/**
 * The gateway's S3 client for the RGW behind it: path-style requests signed with `aws4` (a small,
 * dependency-free SigV4 signer), never with Ferry's `main/storage/signing/sigv4.ts`. Header values
 * travel as their wire bytes (latin1 strings, as node:http hands them over) and are signed as the
 * UTF-8 text those bytes spell, which is what RGW hashes.
 */
import aws4 from 'aws4';
import http from 'node:http';
import { OssError } from './oss-errors';

export interface RgwOptions {
  /** `http://127.0.0.1:17480` */
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  region?: string;
  /** Per request, until the answer's headers arrive. */
  timeoutMs?: number;
}

export interface RgwRequest {
  method: string;
  bucket?: string;
  key?: string;
  query?: Record<string, string>;
  /** Wire-byte (latin1) header values. */
  headers?: Record<string, string>;
  body?: Buffer;
}

export interface RgwAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** RFC 3986 encoding of every byte but the unreserved ones (and `/` where asked). */
export function encodeRfc3986(value: string, keepSlash = false): string {
  const encoded = encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return keepSlash ? encoded.replace(/%2F/g, '/') : encoded;
}

const fromWire = (v: string) => Buffer.from(v, 'latin1').toString('utf8');

export class RgwClient {
  private readonly url: URL;
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

  constructor(private readonly options: RgwOptions) {
    this.url = new URL(options.endpoint);
  }

  private prepare(r: RgwRequest): { path: string; headers: Record<string, string> } {
    let path = '/';
    if (r.bucket) path += `${r.bucket}/`;
    if (r.key !== undefined) path += encodeRfc3986(r.key, true);
    if (r.bucket && r.key === undefined) path = `/${r.bucket}`;
    const query = Object.entries(r.query ?? {})
      .map(([k, v]) => `${encodeRfc3986(k)}=${encodeRfc3986(v)}`)
      .join('&');
    if (query) path += `?${query}`;
    const wire: Record<string, string> = { ...(r.headers ?? {}) };
    wire['content-length'] = String(r.body?.length ?? 0);
    const toSign: Record<string, string> = {
      host: this.url.host,
      'x-amz-content-sha256': 'UNSIGNED-PAYLOAD',
    };
    for (const [k, v] of Object.entries(wire)) toSign[k] = fromWire(v);
    const signed = aws4.sign(
      {
        host: this.url.host,
        method: r.method,
        path,
        headers: toSign,
        service: 's3',
        region: this.options.region ?? 'us-east-1',
      },
      { accessKeyId: this.options.accessKeyId, secretAccessKey: this.options.secretAccessKey },
    );
    const sent = signed.headers as Record<string, string>;
    // aws4 adds these; everything else goes out as the client's wire bytes.
    for (const name of ['Authorization', 'X-Amz-Date', 'x-amz-content-sha256', 'host'])
      if (sent[name] !== undefined) wire[name] = String(sent[name]);
    return { path: signed.path ?? path, headers: wire };
  }

  /** Sends a request; the answer's body is left to the caller to read (or stream on). */
  stream(r: RgwRequest): Promise<http.IncomingMessage> {
    const { path, headers } = this.prepare(r);
    return new Promise((resolve, reject) => {
      const req = http.request(
        { host: this.url.hostname, port: this.url.port, method: r.method, path, headers, agent: this.agent },
        resolve,
      );
      req.setTimeout(this.options.timeoutMs ?? 120_000, () =>
        req.destroy(
          new OssError(503, 'ServiceUnavailable', 'The storage behind the gateway did not answer in time.'),
        ),
      );
      req.on('error', (e) =>
        reject(
          e instanceof OssError
            ? e
            : new OssError(503, 'ServiceUnavailable', `The storage behind the gateway failed: ${e.message}`),
        ),
      );
      req.end(r.body);
    });
  }

  /** Sends a request and reads the whole answer. */
  async send(r: RgwRequest): Promise<RgwAnswer> {
    const res = await this.stream(r);
    const chunks: Buffer[] = [];
    for await (const c of res) chunks.push(c as Buffer);
    return { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) };
  }

  close(): void {
    this.agent.destroy();
  }
}
