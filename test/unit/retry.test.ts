import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StorageError } from '../../main/storage/errors';
import {
  ClockOffsets,
  DEFAULT_RETRY_POLICY,
  backoffDelay,
  parseRetryAfter,
  shouldRetry,
  withRetry,
} from '../../main/storage/retry';

const err = (status: number, code: string, extra: Partial<StorageError> = {}) =>
  Object.assign(new StorageError({ status, code, message: code }), extra);

function recorder() {
  const waits: number[] = [];
  return { waits, sleep: async (ms: number) => void waits.push(ms) };
}

describe('retry policy', () => {
  it('retries a 503 SlowDown until it succeeds', async () => {
    const { waits, sleep } = recorder();
    let calls = 0;
    const result = await withRetry(
      async () => {
        calls++;
        if (calls < 3) throw err(503, 'SlowDown');
        return 'ok';
      },
      { sleep, random: () => 0.5 },
    );
    assert.equal(result, 'ok');
    assert.equal(calls, 3);
    assert.deepEqual(waits, [100, 200]);
  });

  it('gives up after maxAttempts and rethrows the last error', async () => {
    const { sleep } = recorder();
    let calls = 0;
    await assert.rejects(
      withRetry(
        async () => {
          calls++;
          throw err(500, 'InternalError');
        },
        { sleep, policy: { maxAttempts: 3 } },
      ),
      (e: StorageError) => e.code === 'InternalError',
    );
    assert.equal(calls, 3);
  });

  it('retries a throttled non-idempotent call (the service did nothing) but not its 500', async () => {
    const { sleep } = recorder();
    let calls = 0;
    const result = await withRetry(
      async () => {
        calls++;
        if (calls === 1) throw err(503, 'SlowDown');
        if (calls === 2) throw err(429, 'TooManyRequests');
        return 'created';
      },
      { idempotent: false, sleep },
    );
    assert.equal(result, 'created');
    assert.equal(calls, 3);
    assert.equal(shouldRetry(err(500, 'InternalError'), false), false);
  });

  it('says how many attempts it made when it gives up', async () => {
    const { sleep } = recorder();
    await assert.rejects(
      withRetry(
        async () => {
          throw err(0, 'ECONNRESET');
        },
        { sleep, policy: { maxAttempts: 3 } },
      ),
      (e: StorageError) => e.code === 'ECONNRESET' && e.message.endsWith('(gave up after 3 attempts)'),
    );
  });

  it('fails at once on a refused connection, an unknown host and a refused certificate', async () => {
    const tls = Object.assign(new Error('self-signed certificate'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
    for (const e of [
      err(0, 'ECONNREFUSED'),
      err(0, 'ENOTFOUND'),
      err(0, 'ERR_TLS_CERT_ALTNAME_INVALID'),
      err(0, 'ERR_SSL_WRONG_VERSION_NUMBER'),
      tls,
    ]) {
      const { waits, sleep } = recorder();
      let calls = 0;
      await assert.rejects(
        withRetry(
          async () => {
            calls++;
            throw e;
          },
          { sleep },
        ),
        (thrown: Error) => thrown === e && !/gave up after/.test(thrown.message),
      );
      assert.equal(calls, 1, `${(e as { code: string }).code} was tried ${calls} times`);
      assert.deepEqual(waits, []);
    }
  });

  it('keeps retrying what may pass: a temporary resolver failure and a connect timeout', async () => {
    for (const code of ['EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT', 'ECONNRESET', 'ETIMEDOUT']) {
      assert.equal(shouldRetry(err(0, code), true), true, code);
    }
  });

  it('does not retry a 404 or a 403', async () => {
    for (const e of [err(404, 'NoSuchKey'), err(403, 'AccessDenied')]) {
      let calls = 0;
      await assert.rejects(
        withRetry(async () => {
          calls++;
          throw e;
        }),
      );
      assert.equal(calls, 1);
    }
  });

  it('never retries a non-idempotent call after a reset, but does when it never connected', async () => {
    const { sleep } = recorder();
    let calls = 0;
    await assert.rejects(
      withRetry(
        async () => {
          calls++;
          throw err(0, 'ECONNRESET');
        },
        { idempotent: false, sleep },
      ),
    );
    assert.equal(calls, 1);
    calls = 0;
    const r = await withRetry(
      async () => {
        if (++calls === 1) throw err(0, 'UND_ERR_CONNECT_TIMEOUT');
        return calls;
      },
      { idempotent: false, sleep },
    );
    assert.equal(r, 2);
  });

  it('retries raw socket errors that carry a Node code', () => {
    const socket = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    assert.equal(shouldRetry(socket, true), true);
    assert.equal(shouldRetry(new Error('plain bug'), true), false);
    assert.equal(shouldRetry(err(0, 'RequestAborted'), true), false);
  });

  it('does not retry a request whose body stream was consumed', async () => {
    let calls = 0;
    await assert.rejects(
      withRetry(
        async () => {
          calls++;
          throw err(503, 'SlowDown');
        },
        { replayable: false },
      ),
    );
    assert.equal(calls, 1);
  });

  it('waits at least Retry-After, capped by maxRetryAfterMs', async () => {
    const { waits, sleep } = recorder();
    let calls = 0;
    await withRetry(
      async () => {
        calls++;
        if (calls === 1) throw err(503, 'SlowDown', { retryAfterMs: 5000 });
        if (calls === 2) throw err(503, 'SlowDown', { retryAfterMs: 10 * 60_000 });
        return 1;
      },
      { sleep, random: () => 0, policy: { maxRetryAfterMs: 30_000 } },
    );
    assert.deepEqual(waits, [5000, 30_000]);
  });

  it('full jitter stays within the exponential ceiling and the cap', () => {
    const policy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 100, maxDelayMs: 1000 };
    assert.equal(
      backoffDelay(1, policy, () => 0.999),
      99,
    );
    assert.equal(
      backoffDelay(3, policy, () => 0.999),
      399,
    );
    assert.equal(
      backoffDelay(10, policy, () => 0.999),
      999,
    );
    assert.equal(
      backoffDelay(10, policy, () => 0),
      0,
    );
  });

  it('adopts the server clock on RequestTimeTooSkewed and retries once, even when not idempotent', async () => {
    const clock = new ClockOffsets();
    const serverDate = new Date(Date.now() + 3_600_000).toUTCString();
    const seenOffsets: number[] = [];
    let calls = 0;
    await assert.rejects(
      withRetry(
        async () => {
          calls++;
          seenOffsets.push(clock.offset('http://s3'));
          throw err(403, 'RequestTimeTooSkewed', { serverDate });
        },
        { clock, endpoint: 'http://s3', idempotent: false },
      ),
      (e: StorageError) => e.code === 'RequestTimeTooSkewed',
    );
    assert.equal(calls, 2);
    assert.equal(seenOffsets[0], 0);
    assert.ok(Math.abs(seenOffsets[1]! - 3_600_000) < 5_000, `offset ${seenOffsets[1]}`);
    assert.equal(clock.offset('http://other'), 0);
  });

  it('stops waiting when the signal aborts', async () => {
    const ctl = new AbortController();
    const p = withRetry(
      async () => {
        throw err(503, 'SlowDown');
      },
      { signal: ctl.signal, policy: { baseDelayMs: 60_000, maxDelayMs: 60_000 }, random: () => 1 },
    );
    setTimeout(() => ctl.abort(), 20);
    await assert.rejects(p, (e: StorageError) => e.code === 'RequestAborted');
  });

  it('parses Retry-After as seconds or an HTTP date', () => {
    assert.equal(parseRetryAfter('3'), 3000);
    assert.equal(
      parseRetryAfter('Wed, 21 Oct 2015 07:28:10 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT')),
      10_000,
    );
    assert.equal(parseRetryAfter('soon'), undefined);
    assert.equal(parseRetryAfter(undefined), undefined);
  });
});
