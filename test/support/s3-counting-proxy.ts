/**
 * A loopback HTTP proxy in front of Ceph RGW for tests that need to see — and interrupt — the S3
 * requests a child process sends. Every exchange is logged with its S3 operation and part number;
 * a hook runs when a request arrives (before it is forwarded) and when RGW has answered it in full
 * (before the answer is relayed), so a test can SIGKILL the child at an exact protocol step: an
 * Initiate that RGW executed but whose upload id the client never learnt, a Complete that ran but
 * whose answer was lost, a part copied on the server and not yet recorded by the client.
 *
 * The Host header is forwarded unchanged, so SigV4 signatures made for the proxy's address verify.
 * Requests that already reached RGW are always finished upstream (like a real server does after a
 * client dies); `settled()` waits for them.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type S3Operation =
  | 'CreateMultipartUpload'
  | 'UploadPartCopy'
  | 'UploadPart'
  | 'CompleteMultipartUpload'
  | 'AbortMultipartUpload'
  | 'ListParts'
  | 'ListMultipartUploads'
  | 'CopyObject'
  | 'PutObject'
  | 'PutObjectTagging'
  | 'GetObjectTagging'
  | 'GetObject'
  | 'HeadObject'
  | 'ListObjects'
  | 'DeleteObject'
  | 'DeleteObjects'
  | 'Other';

export interface Exchange {
  /** Order of arrival at the proxy. */
  seq: number;
  /** Which run of the child sent it (the test sets `proxy.run`). */
  run: number;
  operation: S3Operation;
  method: string;
  /** Path without the query, percent-encoded as sent. */
  path: string;
  partNumber?: number;
  uploadId?: string;
  /** RGW's status, once it answered; undefined when the request never reached it or failed. */
  status?: number;
  /** False when the request was dropped (or its client was gone) before it could be forwarded. */
  forwarded: boolean;
  /** Set when the hook dropped the exchange: before forwarding it, or after RGW answered. */
  dropped?: 'request' | 'response';
  /** CreateMultipartUpload: the upload id RGW created (whether or not the client learnt it). */
  createdUploadId?: string;
}

/** Returning `'drop'` cuts the client's connection instead of forwarding the request / relaying the answer. */
export type ProxyHook = (
  exchange: Exchange,
  phase: 'request' | 'response',
) => void | 'drop' | Promise<void | 'drop'>;

export function classify(method: string, url: URL, headers: http.IncomingHttpHeaders): S3Operation {
  const q = url.searchParams;
  // The same operations in the OSS dialect (the proxy also stands in front of the OSS gateway).
  const copy = headers['x-amz-copy-source'] !== undefined || headers['x-oss-copy-source'] !== undefined;
  const objectPath = url.pathname.split('/').filter(Boolean).length >= 2;
  switch (method) {
    case 'POST':
      if (q.has('uploads')) return 'CreateMultipartUpload';
      if (q.has('uploadId')) return 'CompleteMultipartUpload';
      if (q.has('delete')) return 'DeleteObjects';
      return 'Other';
    case 'PUT':
      if (q.has('partNumber')) return copy ? 'UploadPartCopy' : 'UploadPart';
      if (q.has('tagging')) return 'PutObjectTagging';
      if (copy) return 'CopyObject';
      return objectPath ? 'PutObject' : 'Other';
    case 'GET':
      if (q.has('uploadId')) return 'ListParts';
      if (q.has('uploads')) return 'ListMultipartUploads';
      if (q.has('tagging')) return 'GetObjectTagging';
      return objectPath ? 'GetObject' : 'ListObjects';
    case 'HEAD':
      return objectPath ? 'HeadObject' : 'Other';
    case 'DELETE':
      if (q.has('uploadId')) return 'AbortMultipartUpload';
      return objectPath ? 'DeleteObject' : 'Other';
    default:
      return 'Other';
  }
}

export class CountingProxy {
  readonly log: Exchange[] = [];
  /** Stamped on every exchange; the test bumps it before each child run. */
  run = 0;
  hook: ProxyHook | undefined;
  private server: http.Server | undefined;
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  private readonly pending = new Set<Promise<void>>();
  private readonly upstream: URL;

  constructor(
    upstream: string,
    private readonly upstreamTimeoutMs = 120_000,
  ) {
    this.upstream = new URL(upstream);
  }

  async listen(): Promise<string> {
    const server = http.createServer((req, res) => {
      const done = this.handle(req, res).catch(() => {
        if (!res.headersSent && !res.destroyed) res.writeHead(502).end();
      });
      this.pending.add(done);
      void done.finally(() => this.pending.delete(done));
    });
    server.keepAliveTimeout = 5_000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  /** Resolves once every exchange that arrived so far has finished, upstream included. */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  async close(): Promise<void> {
    this.hook = undefined;
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    await this.settled();
    this.agent.destroy();
  }

  /** Exchanges of one operation, optionally only those RGW answered with `status`. */
  of(operation: S3Operation, status?: number): Exchange[] {
    return this.log.filter((e) => e.operation === operation && (status === undefined || e.status === status));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://proxy.invalid');
    const exchange: Exchange = {
      seq: this.log.length,
      run: this.run,
      operation: classify(req.method ?? 'GET', url, req.headers),
      method: req.method ?? 'GET',
      path: url.pathname,
      forwarded: false,
    };
    const part = url.searchParams.get('partNumber');
    if (part !== null) exchange.partNumber = Number(part);
    const uploadId = url.searchParams.get('uploadId');
    if (uploadId !== null) exchange.uploadId = uploadId;
    this.log.push(exchange);

    // The request body is read in full first: a part or a PUT either reaches RGW whole or not at all.
    const body = await readBody(req);
    if ((await this.hook?.(exchange, 'request')) === 'drop') {
      exchange.dropped = 'request';
      req.socket.destroy();
      return;
    }
    if (req.socket.destroyed) return; // the client died before its request was sent on

    exchange.forwarded = true;
    const answer = await new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>(
      (resolve, reject) => {
        const up = http.request(
          {
            host: this.upstream.hostname,
            port: this.upstream.port,
            method: req.method,
            path: req.url,
            headers: req.headers,
            agent: this.agent,
            timeout: this.upstreamTimeoutMs,
          },
          (ures) => {
            readBody(ures).then(
              (b) => resolve({ status: ures.statusCode ?? 502, headers: ures.headers, body: b }),
              reject,
            );
          },
        );
        up.on('timeout', () => up.destroy(new Error('upstream timeout')));
        up.on('error', reject);
        up.end(body);
      },
    );
    exchange.status = answer.status;
    if (exchange.operation === 'CreateMultipartUpload') {
      const id = /<UploadId>([^<]+)<\/UploadId>/.exec(answer.body.toString('utf8'))?.[1];
      if (id) exchange.createdUploadId = id;
    }
    if ((await this.hook?.(exchange, 'response')) === 'drop') {
      exchange.dropped = 'response';
      req.socket.destroy();
      return;
    }
    if (res.destroyed || req.socket.destroyed) return;
    const headers = { ...answer.headers };
    delete headers['transfer-encoding'];
    delete headers.connection;
    if (req.method !== 'HEAD') headers['content-length'] = String(answer.body.length);
    res.writeHead(answer.status, headers);
    res.end(req.method === 'HEAD' ? undefined : answer.body);
  }
}

async function readBody(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
