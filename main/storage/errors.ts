/**
 * One error type for everything a storage provider can fail with. The UI shows `message` and
 * `requestId`; the retry policy reads `retryable`. Secrets never go into any field.
 */
export interface StorageErrorFields {
  /** HTTP status, or 0 when no response arrived (socket reset, timeout, refused). */
  status: number;
  /** Service error code (`NoSuchKey`, `SlowDown`, …) or a Node/undici code (`ECONNRESET`). */
  code: string;
  message: string;
  requestId?: string;
  hostId?: string;
  /** OSS detail code (`x-oss-ec`, e.g. `0002-00000902`). */
  ec?: string;
  /** OSS wrong-region answer: the endpoint the bucket must be addressed at. */
  endpoint?: string;
  /** S3 wrong-region answer: `x-amz-bucket-region`. */
  region?: string;
  /** Server `Date` header, for clock-skew correction. */
  serverDate?: string;
  retryAfterMs?: number;
}

export class StorageError extends Error implements StorageErrorFields {
  status: number;
  code: string;
  requestId?: string;
  hostId?: string;
  ec?: string;
  endpoint?: string;
  region?: string;
  serverDate?: string;
  retryAfterMs?: number;

  constructor(fields: StorageErrorFields, options?: { cause?: unknown }) {
    super(fields.message, options);
    this.name = 'StorageError';
    this.status = fields.status;
    this.code = fields.code;
    this.requestId = fields.requestId;
    this.hostId = fields.hostId;
    this.ec = fields.ec;
    this.endpoint = fields.endpoint;
    this.region = fields.region;
    this.serverDate = fields.serverDate;
    this.retryAfterMs = fields.retryAfterMs;
  }

  /** Transient failures worth another attempt (docs/PROTOCOL.md §7.3). */
  get retryable(): boolean {
    return isRetryable(this.status, this.code);
  }

  toJSON(): StorageErrorFields & { name: string } {
    return {
      name: this.name,
      status: this.status,
      code: this.code,
      message: this.message,
      requestId: this.requestId,
      hostId: this.hostId,
      ec: this.ec,
    };
  }
}

const RETRYABLE_CODES = new Set([
  'SlowDown',
  'Throttling',
  'ThrottlingException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
  'BandwidthLimitExceeded',
  'RequestTimeout',
  'TimeoutError',
  'InternalError',
  'ServiceUnavailable',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
]);

export function isRetryable(status: number, code: string): boolean {
  if (RETRYABLE_CODES.has(code)) return true;
  return status === 429 || status === 500 || status === 502 || status === 503 || status === 504;
}

export function isStorageError(err: unknown): err is StorageError {
  return err instanceof StorageError;
}

/** What a failure shows wherever it is shown: a task record, a contract reply, a CLI line. */
export type ErrorInfo = Pick<
  StorageErrorFields,
  'status' | 'code' | 'message' | 'requestId' | 'hostId' | 'ec'
>;

/** Replaces every known secret in a text (the log's `redact`). */
export type Redact = (text: string) => string;

/**
 * Any thrown value as an ErrorInfo: a StorageError keeps its status and ids; anything else gets
 * status 0 and its own string `code` (ProfileError, Node's `ENOSPC`…) or `fallbackCode`. The one
 * conversion the engine, dispatch and the CLI share, and so the one place an error becomes
 * something Ferry keeps or sends: a task's and an object's error (checkpoints, history.json, task
 * events), a contract reply, a connection test's answer, a CLI line. Every field is redacted here
 * because servers quote what they were sent: an STS token echoed in a message, a secret in a
 * string-to-sign, would otherwise be stored and shown, not only logged.
 */
export function errorInfo(err: unknown, redact: Redact, fallbackCode = 'Error'): ErrorInfo {
  if (isStorageError(err)) {
    const info: ErrorInfo = { status: err.status, code: redact(err.code), message: redact(err.message) };
    if (err.requestId) info.requestId = redact(err.requestId);
    if (err.hostId) info.hostId = redact(err.hostId);
    if (err.ec) info.ec = redact(err.ec);
    return info;
  }
  const e = err as { code?: unknown; message?: unknown };
  return {
    status: 0,
    code: typeof e?.code === 'string' ? redact(e.code) : fallbackCode,
    message: redact(typeof e?.message === 'string' ? e.message : String(err)),
  };
}

/** Errors raised by Ferry itself before any request is sent (bad input, unsupported key). */
export function invalidInput(message: string, code = 'InvalidArgument'): StorageError {
  return new StorageError({ status: 400, code, message });
}
