/**
 * Request execution for every cloud provider, dialect-neutral: the caller (a signer + provider) hands
 * over an origin, a path that is already percent-encoded (query included), header values as wire
 * bytes (see `toHeaderBytes`) and a body; this sends it on a keep-alive pool for that origin with
 * timeouts that are always set, and turns every transport failure into a StorageError.
 *
 * Paths never pass through `new URL()`: it would collapse `..`/`.`/`//` in keys (docs/PROTOCOL.md §1.1).
 */
import { PassThrough, Readable } from 'node:stream';
import { Pool, type Dispatcher } from './undici-pool';
import { StorageError } from './errors';
import { failsAtOnce } from './retry';

export type HttpMethod = 'GET' | 'HEAD' | 'PUT' | 'POST' | 'DELETE';

export interface HttpRequest {
  method: HttpMethod;
  /** `scheme://host[:port]`, no trailing slash. */
  origin: string;
  /** Pre-encoded path plus query (`/bucket/a%20b?uploadId=…`), sent exactly as given. */
  path: string;
  /**
   * Header values as wire bytes, one char per byte (latin1), exactly as signed. Set `content-length`
   * yourself for stream bodies; undici adds `content-length: 0` to body-less PUT/POST.
   */
  headers: Record<string, string>;
  body?: Buffer | Readable | string;
  signal?: AbortSignal;
  /** Overrides the client's headers timeout (time until the response headers arrive). */
  headersTimeoutMs?: number;
  /** Overrides the client's body timeout (longest silence between two body chunks). */
  bodyTimeoutMs?: number;
}

export interface HttpResponse {
  status: number;
  /** Lower-case names; repeated headers joined with `, `; values are wire bytes (latin1). */
  headers: Record<string, string>;
  /** The body as a stream; read it, or call `discardBody`, or the connection is not reused. */
  body: Readable;
}

/** What an observer sees: one `request` event, then one `response` or `error` event. */
export type HttpEvent =
  | { phase: 'request'; request: Readonly<HttpRequest> }
  | {
      phase: 'response';
      request: Readonly<HttpRequest>;
      status: number;
      headers: Record<string, string>;
      ms: number;
    }
  | { phase: 'error'; request: Readonly<HttpRequest>; error: StorageError; ms: number };

export interface HttpClientOptions {
  /** Connections per origin (also the number of requests in flight per origin). Default 16. */
  maxConnections?: number;
  /** Time allowed for the response headers. Default 60 s. */
  headersTimeoutMs?: number;
  /** Longest silence allowed between body chunks. Default 60 s. */
  bodyTimeoutMs?: number;
  /** TCP/TLS connect timeout. Default 10 s. */
  connectTimeoutMs?: number;
  /** Idle keep-alive sockets are closed after this long. Default 30 s. */
  keepAliveMs?: number;
  /**
   * Send every request through this dispatcher instead of the built-in pools (a test proxy, a
   * fault injector, undici's MockAgent). The caller owns it: `close()` does not close it.
   */
  dispatcher?: Dispatcher;
  /** Sees every request and its outcome (logging of request ids, fault tests). Must not throw. */
  observe?: (event: HttpEvent) => void;
}

const DEFAULTS = {
  maxConnections: 64,
  headersTimeoutMs: 60_000,
  bodyTimeoutMs: 60_000,
  connectTimeoutMs: 10_000,
  keepAliveMs: 30_000,
};

export class HttpClient {
  private readonly pools = new Map<string, Pool>();
  private readonly options: Required<Omit<HttpClientOptions, 'dispatcher' | 'observe'>> &
    Pick<HttpClientOptions, 'dispatcher' | 'observe'>;

  constructor(options: HttpClientOptions = {}) {
    this.options = {
      maxConnections: options.maxConnections ?? DEFAULTS.maxConnections,
      headersTimeoutMs: options.headersTimeoutMs ?? DEFAULTS.headersTimeoutMs,
      bodyTimeoutMs: options.bodyTimeoutMs ?? DEFAULTS.bodyTimeoutMs,
      connectTimeoutMs: options.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs,
      keepAliveMs: options.keepAliveMs ?? DEFAULTS.keepAliveMs,
      dispatcher: options.dispatcher,
      observe: options.observe,
    };
  }

  private dispatcherFor(origin: string): Dispatcher {
    if (this.options.dispatcher) return this.options.dispatcher;
    let pool = this.pools.get(origin);
    if (!pool) {
      pool = new Pool(origin, {
        connections: this.options.maxConnections,
        keepAliveTimeout: this.options.keepAliveMs,
        keepAliveMaxTimeout: this.options.keepAliveMs,
        headersTimeout: this.options.headersTimeoutMs,
        bodyTimeout: this.options.bodyTimeoutMs,
        connect: { timeout: this.options.connectTimeoutMs },
      });
      this.pools.set(origin, pool);
    }
    return pool;
  }

  /**
   * Sends one request. Resolves with any HTTP status (mapping 4xx/5xx to errors is the dialect's
   * job); rejects only with a StorageError of status 0 for transport failures and cancellation.
   */
  async request(req: HttpRequest): Promise<HttpResponse> {
    assertWireHeaders(req.headers);
    const started = Date.now();
    this.emit({ phase: 'request', request: req });
    try {
      if (req.signal?.aborted) throw req.signal.reason ?? new Error('aborted');
      const res = await this.dispatcherFor(req.origin).request({
        origin: req.origin,
        path: req.path,
        method: req.method,
        headers: req.headers,
        body: req.body ?? null,
        signal: req.signal ?? null,
        headersTimeout: req.headersTimeoutMs ?? this.options.headersTimeoutMs,
        bodyTimeout: req.bodyTimeoutMs ?? this.options.bodyTimeoutMs,
        // Retries are the retry policy's decision, never undici's.
        idempotent: false,
        // undici closes the connection after every HEAD (and sends `connection: close`) to guard
        // against servers that wrongly send a body; S3 and OSS do not, and a folder copy HEADs every
        // object, so keep the socket: one TCP connect per HEAD made small-object copies CPU-bound.
        ...(req.method === 'HEAD' ? { reset: false } : {}),
      });
      const headers = flattenHeaders(res.headers);
      this.emit({
        phase: 'response',
        request: req,
        status: res.statusCode,
        headers,
        ms: Date.now() - started,
      });
      return { status: res.statusCode, headers, body: res.body };
    } catch (err) {
      const error = transportError(err, req);
      this.emit({ phase: 'error', request: req, error, ms: Date.now() - started });
      throw error;
    }
  }

  private emit(event: HttpEvent): void {
    try {
      this.options.observe?.(event);
    } catch {
      // An observer is a bystander; its bugs must not fail the transfer.
    }
  }

  /** Closes the pools this client created (waits for requests in flight). */
  async close(): Promise<void> {
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(pools.map((p) => p.close()));
  }
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** undici writes header values as latin1: a char above U+00FF would be silently mangled. */
function assertWireHeaders(headers: Record<string, string>): void {
  for (const [name, value] of Object.entries(headers)) {
    // eslint-disable-next-line no-control-regex
    if (/[^\x00-\xff]|[\r\n\0]/.test(value)) {
      throw new StorageError({
        status: 0,
        code: 'InvalidHeaderValue',
        message: `header ${name} holds characters that cannot be sent (convert with toHeaderBytes first)`,
      });
    }
  }
}

const ABORT_CODES = new Set(['UND_ERR_ABORTED', 'ABORT_ERR']);

/** Maps an undici/Node failure to a StorageError that keeps the Node/undici code (ECONNRESET, …). */
export function transportError(
  err: unknown,
  req?: Pick<HttpRequest, 'method' | 'origin' | 'signal'>,
): StorageError {
  if (err instanceof StorageError) return err;
  const e = err as {
    code?: string;
    name?: string;
    message?: string;
    cause?: { code?: string; message?: string };
  };
  const where = req ? ` (${req.method} ${req.origin})` : '';
  if (req?.signal?.aborted || ABORT_CODES.has(e?.code ?? '') || e?.name === 'AbortError') {
    return new StorageError(
      { status: 0, code: 'RequestAborted', message: `the request was cancelled${where}` },
      { cause: err },
    );
  }
  // undici reports a reset socket as UND_ERR_SOCKET with the Node code in `cause`.
  const code = e?.code ?? e?.cause?.code ?? 'NetworkError';
  const detail = e?.message || e?.cause?.message || String(err);
  return new StorageError(
    { status: 0, code, message: `${describeTransportCode(code)}${where}: ${detail}` },
    { cause: err },
  );
}

function describeTransportCode(code: string): string {
  switch (code) {
    case 'ECONNREFUSED':
      return 'the server refused the connection (is the endpoint right and the server running?)';
    case 'ENOTFOUND':
      return 'the endpoint host name does not exist (is the endpoint right?)';
    case 'EAI_AGAIN':
      return 'the endpoint host name could not be resolved';
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'ETIMEDOUT':
      return 'connecting to the server timed out';
    case 'UND_ERR_HEADERS_TIMEOUT':
      return 'the server did not answer in time';
    case 'UND_ERR_BODY_TIMEOUT':
      return 'the server stopped sending data';
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
    case 'EPIPE':
      return 'the connection was closed unexpectedly';
    default:
      if (failsAtOnce(code)) return "the server's TLS certificate or handshake was not accepted";
      return 'the request failed';
  }
}

/** Reads a whole (small) body as bytes; larger bodies than `maxBytes` are an error, not a memory blow-up. */
export async function readBody(res: HttpResponse, maxBytes = 64 * 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of res.body) {
      const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
      size += buf.length;
      if (size > maxBytes) {
        res.body.destroy();
        throw new StorageError({
          status: res.status,
          code: 'ResponseTooLarge',
          message: `response body over ${maxBytes} bytes`,
        });
      }
      chunks.push(buf);
    }
  } catch (err) {
    throw transportError(err);
  }
  return Buffer.concat(chunks);
}

export async function readText(res: HttpResponse, maxBytes?: number): Promise<string> {
  return (await readBody(res, maxBytes)).toString('utf8');
}

/** Drops a body we do not need so the socket goes back to the pool. */
export async function discardBody(res: HttpResponse): Promise<void> {
  try {
    for await (const _chunk of res.body) {
      // draining
    }
  } catch {
    // the response is already decided; a broken body after it changes nothing
  }
}

/**
 * The response body for a consumer that streams it (GetObject): errors raised mid-stream (body
 * timeout, reset) arrive as StorageErrors like every other failure.
 */
export function bodyStream(res: HttpResponse): Readable {
  const out = new PassThrough();
  res.body.on('error', (err) => out.destroy(transportError(err)));
  out.on('close', () => {
    if (!res.body.destroyed && !res.body.readableEnded) res.body.destroy();
  });
  res.body.pipe(out);
  return out;
}

/** A header value (wire bytes) by lower-case name. */
export function header(res: Pick<HttpResponse, 'headers'>, name: string): string | undefined {
  return res.headers[name];
}
