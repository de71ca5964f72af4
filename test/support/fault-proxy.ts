/**
 * A loopback HTTP proxy for tests and the benchmark, between Ferry and an S3 server (Ceph RGW).
 * It forwards every request byte for byte (the Host header included, so SigV4 signatures stay valid
 * when the profile's endpoint is the proxy) and injects faults at set rates:
 *
 *   slowDown    503 SlowDown, answered by the proxy; the server never sees the request
 *   error500    500 InternalError; half before forwarding (not executed), half after (executed, answer lost)
 *   reset       the connection is destroyed mid-request: half before forwarding, half after the
 *               server answered, with the status line and half the answer sent (so the client
 *               cannot know whether the request ran)
 *   stall       the request is held `stallMs` before it is forwarded
 *   latencyMs   added to every request
 *
 * Faults are seeded and deterministic: the decision for a request depends only on the seed, the
 * request (method, path without the signature's query, copy source and range) and how many times
 * that same request was seen before — not on the order in which parallel requests arrive — so a
 * seed replays the same faults on every run. `refuse()` closes the listener and every connection
 * (clients get ECONNREFUSED: "the server is down") until `restore()`.
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface FaultRates {
  /** Probability (0..1) of a 503 SlowDown. */
  slowDown?: number;
  /** Probability of a 500 InternalError. */
  error500?: number;
  /** Probability of a connection reset mid-request. */
  reset?: number;
  /** Probability of a stall of `stallMs` before forwarding. */
  stall?: number;
  stallMs?: number;
  /** Added to every request, in ms. */
  latencyMs?: number;
  /** Errors and resets happen before forwarding, after the server answered, or either (default). */
  phase?: 'before' | 'after';
  /** Requests the rates apply to (default: all). */
  applies?: (req: Pick<ProxiedRequest, 'method' | 'path' | 'headers'>) => boolean;
}

export type FaultKind =
  'slowDown' | 'error500-before' | 'error500-after' | 'reset-before' | 'reset-after' | 'stall';

export interface ProxiedRequest {
  method: string;
  /** The path with its query, as sent. */
  path: string;
  headers: http.IncomingHttpHeaders;
  fault?: FaultKind;
  /** The server's status, when the request reached it and it answered. */
  upstreamStatus?: number;
}

export interface FaultProxyOptions extends FaultRates {
  /** `http://127.0.0.1:17480` */
  upstream: string;
  seed?: number;
  /** Listening port (default: any free one). */
  port?: number;
}

const S3_ERROR = (code: string, message: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message><RequestId>fault-proxy</RequestId></Error>`;

/** Signature parameters change on every send; the identity of a request is what it asks for. */
function requestIdentity(method: string, path: string, headers: http.IncomingHttpHeaders): string {
  const [pathname, query = ''] = path.split('?');
  const params = query
    .split('&')
    .filter((p) => p && !/^X-Amz-/i.test(p))
    .sort()
    .join('&');
  return [
    method,
    pathname,
    params,
    copySource({ headers }) ?? '',
    headers['x-amz-copy-source-range'] ?? headers['x-oss-copy-source-range'] ?? '',
    headers.range ?? '',
  ].join('\n');
}

/** A number in [0, 1) from the seed and a string, stable across runs and platforms. */
function draw(seed: number, text: string): number {
  const digest = createHash('sha256').update(`${seed}\n${text}`).digest();
  return digest.readUInt32BE(0) / 2 ** 32;
}

export class FaultProxy {
  readonly requests: ProxiedRequest[] = [];
  private server?: http.Server;
  private readonly sockets = new Set<Socket>();
  private readonly seen = new Map<string, number>();
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 128 });
  private readonly upstream: URL;
  private listenPort = 0;
  private rates: FaultRates;

  constructor(private readonly options: FaultProxyOptions) {
    this.upstream = new URL(options.upstream);
    this.rates = { ...options };
  }

  get endpoint(): string {
    return `http://127.0.0.1:${this.listenPort}`;
  }

  /** Changes the fault rates from now on (e.g. to 0 to let a run finish cleanly). */
  setRates(rates: FaultRates): void {
    this.rates = { ...rates };
  }

  faults(kind?: FaultKind): number {
    return this.requests.filter((r) => (kind ? r.fault === kind : r.fault !== undefined)).length;
  }

  async start(): Promise<string> {
    await this.listen(this.options.port ?? 0);
    return this.endpoint;
  }

  /** The server is "down": the port refuses connections and open ones are cut. */
  async refuse(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const s of this.sockets) s.destroy();
    await closed;
  }

  /** The server is back, on the same port. */
  async restore(): Promise<void> {
    if (!this.server) await this.listen(this.listenPort);
  }

  async stop(): Promise<void> {
    await this.refuse();
    this.agent.destroy();
  }

  private listen(port: number): Promise<void> {
    const server = http.createServer((req, res) => void this.handle(req, res));
    server.keepAliveTimeout = 30_000;
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        this.listenPort = (server.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  private choose(record: ProxiedRequest): FaultKind | undefined {
    if (this.rates.applies && !this.rates.applies(record)) return undefined;
    const id = requestIdentity(record.method, record.path, record.headers);
    const n = (this.seen.get(id) ?? 0) + 1;
    this.seen.set(id, n);
    const seed = this.options.seed ?? 1;
    const r = draw(seed, `${id}\n${n}`);
    const { slowDown = 0, error500 = 0, reset = 0, stall = 0 } = this.rates;
    const phase = this.rates.phase;
    const half = phase ? phase === 'before' : draw(seed, `${id}\n${n}\nphase`) < 0.5;
    const edges: [number, number, number, number] = [
      slowDown,
      slowDown + error500,
      slowDown + error500 + reset,
      slowDown + error500 + reset + stall,
    ];
    if (r < edges[0]) return 'slowDown';
    if (r < edges[1]) return half ? 'error500-before' : 'error500-after';
    if (r < edges[2]) return half ? 'reset-before' : 'reset-after';
    if (r < edges[3]) return 'stall';
    return undefined;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const record: ProxiedRequest = {
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      headers: req.headers,
    };
    this.requests.push(record);
    const fault = this.choose(record);
    record.fault = fault;
    const body = await readAll(req);
    if (this.rates.latencyMs) await sleep(this.rates.latencyMs);
    if (fault === 'stall') await sleep(this.rates.stallMs ?? 1000);
    if (fault === 'slowDown') return answerError(res, 503, 'SlowDown', 'Please reduce your request rate.');
    if (fault === 'error500-before')
      return answerError(res, 500, 'InternalError', 'We encountered an internal error. Please try again.');
    if (fault === 'reset-before') {
      req.socket.destroy();
      return;
    }
    let upstream: http.IncomingMessage;
    try {
      upstream = await this.forward(req, body);
    } catch {
      req.socket.destroy();
      return;
    }
    record.upstreamStatus = upstream.statusCode;
    if (fault === 'error500-after') {
      await readAll(upstream);
      answerError(res, 500, 'InternalError', 'We encountered an internal error. Please try again.');
      return;
    }
    if (fault === 'reset-after') {
      // The server did the work; the client gets the status line and half the answer, then a reset.
      const answer = await readAll(upstream);
      res.writeHead(upstream.statusCode ?? 502, upstream.rawHeaders);
      res.flushHeaders();
      if (answer.length > 1) res.write(answer.subarray(0, answer.length >> 1));
      setTimeout(() => req.socket.destroy(), 5);
      return;
    }
    res.writeHead(upstream.statusCode ?? 502, upstream.rawHeaders);
    upstream.pipe(res);
  }

  private forward(req: http.IncomingMessage, body: Buffer): Promise<http.IncomingMessage> {
    return new Promise((resolve, reject) => {
      const out = http.request(
        {
          host: this.upstream.hostname,
          port: this.upstream.port,
          method: req.method,
          path: req.url,
          headers: rawHeaderPairs(req.rawHeaders),
          agent: this.agent,
          setHost: false,
        },
        resolve,
      );
      out.on('error', reject);
      out.end(body);
    });
  }
}

/** The request's headers as sent (names' case, order and repeats kept), as a flat name/value list. */
function rawHeaderPairs(raw: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!;
    // The proxy manages its own connections to the server.
    if (/^(connection|keep-alive)$/i.test(name)) continue;
    out.push(name, raw[i + 1]!);
  }
  return out;
}

function answerError(res: http.ServerResponse, status: number, code: string, message: string): void {
  const text = S3_ERROR(code, message);
  res.writeHead(status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The copy source of a server-side copy (S3 or OSS dialect); undefined for other requests. */
export function copySource(req: Pick<ProxiedRequest, 'headers'>): string | undefined {
  const source = req.headers['x-amz-copy-source'] ?? req.headers['x-oss-copy-source'];
  return typeof source === 'string' ? source : undefined;
}

/** Bytes a server-side copy request asks the server to copy (UploadPartCopy range; 0 for others). */
export function copyRangeBytes(req: Pick<ProxiedRequest, 'headers'>): number {
  const range = req.headers['x-amz-copy-source-range'] ?? req.headers['x-oss-copy-source-range'];
  const m = typeof range === 'string' ? /^bytes=(\d+)-(\d+)$/.exec(range) : null;
  return m ? Number(m[2]) - Number(m[1]) + 1 : 0;
}
