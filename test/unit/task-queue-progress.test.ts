/**
 * Task progress (main/tasks/progress.ts) on a fake clock: events throttled to one per 250 ms with
 * the last change always delivered, rate over a moving window, ETA; and the concurrency limiters
 * the queue runs objects and parts with (main/copy/limiter.ts).
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import type { TaskProgress } from '../../preload/shared/contract';
import { Limiter, ScopedLimits, runBounded } from '../../main/copy/limiter';
import { MIN_INTERVAL_MS, ProgressMeter } from '../../main/tasks/progress';

const MB = 1_000_000;

function meter() {
  let now = 1_000_000;
  const counters = {
    bytesDone: 0,
    bytesTotal: 10 * MB,
    partsDone: 0,
    partsTotal: 10,
    objectsDone: 0,
    objectsTotal: 1,
  };
  const events: TaskProgress[] = [];
  const m = new ProgressMeter(
    't1',
    () => ({ ...counters }),
    (p) => events.push(p),
    () => now,
  );
  return {
    m,
    counters,
    events,
    advance(ms: number) {
      now += ms;
      mock.timers.tick(ms);
    },
  };
}

describe('progress events', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout'] }));
  afterEach(() => mock.timers.reset());

  it('emits the first change at once and folds changes within 250 ms into one later event with the latest numbers', () => {
    const { m, counters, events, advance } = meter();
    counters.bytesDone = MB;
    m.changed();
    assert.equal(events.length, 1);
    for (let i = 2; i <= 5; i++) {
      advance(10);
      counters.bytesDone = i * MB;
      counters.partsDone = i;
      m.changed();
    }
    assert.equal(events.length, 1, 'no event inside the interval');
    advance(MIN_INTERVAL_MS);
    assert.equal(events.length, 2);
    assert.equal(events[1]!.bytesDone, 5 * MB, 'the last change is delivered');
    assert.equal(events[1]!.partsDone, 5);
    assert.equal(events[1]!.partsTotal, 10);
  });

  it('a thousand changes over one second make at most five events', () => {
    const { m, counters, events, advance } = meter();
    for (let i = 0; i < 1000; i++) {
      counters.bytesDone = i * 1000;
      m.changed();
      advance(1);
    }
    advance(MIN_INTERVAL_MS);
    assert.ok(events.length <= 5, `${events.length} events`);
    assert.equal(events.at(-1)!.bytesDone, 999_000);
  });

  it('stop cancels a pending event', () => {
    const { m, events, advance } = meter();
    m.changed();
    advance(10);
    m.changed();
    m.stop();
    advance(1000);
    assert.equal(events.length, 1);
  });

  it('reports the rate over the last seconds and the time left at that rate', () => {
    const { m, counters, advance } = meter();
    assert.equal(m.snapshot().etaSeconds, null, 'no rate yet: ETA unknown');
    advance(2000);
    counters.bytesDone = 4 * MB;
    const p = m.snapshot();
    assert.equal(p.rate, 2 * MB);
    assert.equal(p.etaSeconds, 3);
    counters.bytesDone = 10 * MB;
    assert.equal(m.snapshot().etaSeconds, 0);
  });
});

describe('limiters', () => {
  it('a limiter never lets more than its capacity run, and reads the capacity at every acquire', async () => {
    let capacity = 2;
    const limiter = new Limiter(() => capacity);
    const a = await limiter.acquire();
    const b = await limiter.acquire();
    let third = false;
    const c = limiter.acquire().then((r) => ((third = true), r));
    await Promise.resolve();
    assert.equal(third, false);
    a();
    (await c)();
    assert.equal(third, true);
    capacity = 3;
    const d = await limiter.acquire();
    const e = await limiter.acquire();
    assert.equal(limiter.inUse, 3);
    for (const r of [b, d, e]) r();
    assert.equal(limiter.inUse, 0);
  });

  it('a waiting acquire is withdrawn when its signal aborts', async () => {
    const limiter = new Limiter(() => 1);
    const held = await limiter.acquire();
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal);
    controller.abort(new Error('paused'));
    await assert.rejects(waiting, /paused/);
    held();
    assert.equal(limiter.inUse, 0);
  });

  it('scoped limits take a slot per endpoint and one global slot: a busy endpoint does not block another', async () => {
    const limits = new ScopedLimits(
      () => 3,
      () => 1,
    );
    const a = await limits.acquire(['p1', 'p1']);
    let p1Again = false;
    const waiting = limits.acquire(['p1']).then((r) => ((p1Again = true), r));
    const other = await limits.acquire(['p2']);
    await Promise.resolve();
    assert.equal(p1Again, false, 'p1 has one slot');
    a();
    (await waiting)();
    other();
    assert.equal(limits.global.inUse, 0);
  });

  it('runBounded runs at most n at once and stops starting work after the first failure', async () => {
    let running = 0;
    let peak = 0;
    const started: number[] = [];
    await assert.rejects(
      runBounded([1, 2, 3, 4, 5, 6, 7, 8], 3, async (n) => {
        started.push(n);
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setImmediate(r));
        running--;
        if (n === 2) throw new Error('part 2 failed');
      }),
      /part 2 failed/,
    );
    assert.equal(peak, 3);
    assert.ok(!started.includes(8), `started ${started.join(',')}`);
  });
});
