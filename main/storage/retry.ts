/**
 * Retry policy for provider calls (docs/PROTOCOL.md §7.3): exponential back-off with full jitter and a
 * cap, `Retry-After` honoured, only transient failures retried, and non-idempotent calls
 * (InitiateMultipartUpload creates a new upload id each time) not retried unless the caller says so.
 * Clock skew (§1.7) is handled separately: the server's `Date` becomes this endpoint's offset and the
 * request is re-signed and sent once more.
 */
import { StorageError, isRetryable } from './errors';

export interface RetryPolicy {
  /** Attempts in total, the first one included. */
  maxAttempts: number;
  /** First back-off ceiling; doubles per attempt. */
  baseDelayMs: number;
  /** Largest back-off ceiling. */
  maxDelayMs: number;
  /** A server's Retry-After larger than this is cut down to it (a stuck transfer is worse). */
  maxRetryAfterMs: number;
}

/**
 * Eight attempts: a copy sends thousands of requests, and at four attempts a server shedding load
 * at 10 % (plus resets) exhausted one request in a few thousand — failing a whole folder copy
 * (test/integration/faults-rgw.test.ts). With full jitter the seven waits add up to about 12 s on
 * average (25 s at most) before a server that stays down is reported.
 */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 8,
  baseDelayMs: 200,
  maxDelayMs: 20_000,
  maxRetryAfterMs: 60_000,
};

/** Codes a server sends when the signing time is off (smithy's clock-skew list). */
const CLOCK_SKEW_CODES = new Set(['RequestTimeTooSkewed', 'RequestExpired', 'RequestInTheFuture']);

/**
 * Failures where the request provably never reached the server, so even a non-idempotent call can
 * be sent again without creating a second upload.
 */
const NOT_SENT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'EAI_AGAIN']);

/**
 * Answers that a second try will not change: nothing listens at the address (a wrong port, the
 * server not started), the host name does not exist, the certificate or the TLS handshake is
 * refused. Retrying them only hid a typo behind 13 s of "Loading…"; they are reported at once. (A
 * temporary resolver failure, EAI_AGAIN, and a connect timeout may pass and are still retried.)
 */
const FAILS_AT_ONCE_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EPROTO',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
]);

export function failsAtOnce(code: string): boolean {
  return FAILS_AT_ONCE_CODES.has(code) || code.startsWith('ERR_TLS_') || code.startsWith('ERR_SSL_');
}

/**
 * Throttling answers: the service turned the request away before doing anything (S3 `SlowDown`,
 * HTTP 429), so a non-idempotent call (InitiateMultipartUpload) may be sent again too.
 */
const THROTTLED_CODES = new Set([
  'SlowDown',
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
]);

/** Server clock minus local clock, per endpoint, learnt from RequestTimeTooSkewed answers. */
export class ClockOffsets {
  private readonly offsets = new Map<string, number>();

  /** Milliseconds to add to the local clock when signing for this endpoint. */
  offset(endpoint: string): number {
    return this.offsets.get(endpoint) ?? 0;
  }

  /** The time to sign with for this endpoint. */
  now(endpoint: string): Date {
    return new Date(Date.now() + this.offset(endpoint));
  }

  /** Adopts the server's clock; false when the `Date` header is missing or unreadable. */
  adopt(endpoint: string, serverDate: string | undefined, localNow = Date.now()): boolean {
    if (!serverDate) return false;
    const server = Date.parse(serverDate);
    if (Number.isNaN(server)) return false;
    this.offsets.set(endpoint, server - localNow);
    return true;
  }
}

export interface RetryOptions {
  policy?: Partial<RetryPolicy>;
  /** Safe to send twice (GET, HEAD, PUT of a whole object, DELETE, part uploads). Default true. */
  idempotent?: boolean;
  /** False when the request body is a stream that cannot be sent a second time. Default true. */
  replayable?: boolean;
  signal?: AbortSignal;
  /** Where to keep the clock offset; with `endpoint`, enables the clock-skew correction. */
  clock?: ClockOffsets;
  endpoint?: string;
  /** Told before each wait (for logs). */
  onRetry?: (info: { attempt: number; delayMs: number; error: StorageError | Error }) => void;
  /** Injected in tests. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
}

/** The back-off before retry number `retry` (1-based): uniform in [0, min(cap, base·2^(retry-1))]. */
export function backoffDelay(retry: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return Math.floor(random() * ceiling);
}

function errorCode(err: unknown): { status: number; code: string } {
  if (err instanceof StorageError) return { status: err.status, code: err.code };
  const code = (err as { code?: unknown })?.code;
  return { status: 0, code: typeof code === 'string' ? code : '' };
}

/** Whether a failed attempt may be tried again under these options. */
export function shouldRetry(err: unknown, idempotent: boolean): boolean {
  const { status, code } = errorCode(err);
  if (code === 'RequestAborted' || failsAtOnce(code)) return false;
  if (NOT_SENT_CODES.has(code)) return true;
  if (THROTTLED_CODES.has(code) || status === 429) return true;
  if (!idempotent) return false;
  return isRetryable(status, code);
}

export function isClockSkewError(err: unknown): err is StorageError {
  return err instanceof StorageError && CLOCK_SKEW_CODES.has(err.code);
}

/**
 * Runs `attempt` until it succeeds, fails for good, or the attempts run out. `attempt` must build
 * and sign its request afresh each time (the clock offset may have changed).
 */
export async function withRetry<T>(
  attempt: (n: number) => Promise<T>,
  options: RetryOptions = {},
): Promise<T> {
  const policy = { ...DEFAULT_RETRY_POLICY, ...options.policy };
  const idempotent = options.idempotent ?? true;
  const replayable = options.replayable ?? true;
  const sleep = options.sleep ?? abortableSleep;
  const random = options.random ?? Math.random;
  let skewCorrected = false;
  let retries = 0;
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (err) {
      if (options.signal?.aborted || !replayable) throw err;
      // A skewed request is rejected at authentication, before anything happens: safe to resend
      // once even when the call is not idempotent.
      if (!skewCorrected && isClockSkewError(err) && options.clock && options.endpoint) {
        skewCorrected = true;
        if (options.clock.adopt(options.endpoint, err.serverDate)) {
          options.onRetry?.({ attempt: n, delayMs: 0, error: err });
          continue;
        }
      }
      retries++;
      if (!shouldRetry(err, idempotent)) throw err;
      if (retries >= policy.maxAttempts) {
        // Say that it was not a single failure: the user sees this message in the task's error.
        if (err instanceof StorageError && retries > 1 && !/ \(gave up after /.test(err.message))
          err.message += ` (gave up after ${retries} attempts)`;
        throw err;
      }
      let delayMs = backoffDelay(retries, policy, random);
      const retryAfter = err instanceof StorageError ? err.retryAfterMs : undefined;
      if (retryAfter !== undefined) delayMs = Math.max(delayMs, Math.min(retryAfter, policy.maxRetryAfterMs));
      options.onRetry?.({ attempt: n, delayMs, error: err as Error });
      await sleep(delayMs, options.signal);
    }
  }
}

/** `Retry-After` as milliseconds: delta-seconds or an HTTP date; undefined when absent/invalid. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Waits `ms`, rejecting with RequestAborted when the signal aborts. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new StorageError({ status: 0, code: 'RequestAborted', message: 'the request was cancelled' }));
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new StorageError({ status: 0, code: 'RequestAborted', message: 'the request was cancelled' }));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
