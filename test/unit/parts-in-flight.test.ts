/**
 * Progress inside parts (main/tasks/parts-in-flight.ts): streamed bytes count as they flow;
 * server-side part copies are estimated from the measured part rate, capped below the part's size,
 * marked as an estimate, and never estimated before anything was measured.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PartRates, PartsInFlight } from '../../main/tasks/parts-in-flight';

const MiB = 1024 * 1024;

function clock() {
  let t = 1_000_000;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

test('streamed bytes count as they flow and leave the in-flight total when the part ends', () => {
  const c = clock();
  let changes = 0;
  const parts = new PartsInFlight(new PartRates(), 'dst', () => changes++, c.now);
  const a = parts.begin(8 * MiB, false);
  const b = parts.begin(8 * MiB, false);
  a.flowed(3 * MiB);
  b.flowed(1 * MiB);
  assert.deepEqual(parts.snapshot(), { bytes: 4 * MiB, parts: 2, estimated: false });
  a.end(true);
  assert.deepEqual(parts.snapshot(), { bytes: 1 * MiB, parts: 1, estimated: false });
  b.flowed(100 * MiB); // never more than the part
  assert.equal(parts.snapshot().bytes, 8 * MiB);
  b.end(false);
  assert.deepEqual(parts.snapshot(), { bytes: 0, parts: 0, estimated: false });
  assert.ok(changes >= 4, 'every flow is reported');
});

test('server-side parts: only parts in flight until a rate is measured, then a capped estimate', () => {
  const c = clock();
  const rates = new PartRates();
  const first = new PartsInFlight(rates, 'dst', () => undefined, c.now);
  const p1 = first.begin(64 * MiB, true);
  c.advance(10_000);
  assert.deepEqual(first.snapshot(), { bytes: 0, parts: 1, estimated: false }, 'nothing measured yet');
  p1.end(true); // 64 MiB in 10 s
  assert.equal(rates.perPart('dst'), (64 * MiB) / 10_000);

  // A later copy to the same account is estimated from that rate.
  const next = new PartsInFlight(rates, 'dst', () => undefined, c.now);
  next.begin(64 * MiB, true);
  c.advance(5_000);
  assert.deepEqual(next.snapshot(), { bytes: 32 * MiB, parts: 1, estimated: true });
  c.advance(60_000); // slower than measured: the estimate stops short of the whole part
  assert.equal(next.snapshot().bytes, Math.floor(64 * MiB * 0.95));
  // Another destination has its own rate.
  const other = new PartsInFlight(rates, 'elsewhere', () => undefined, c.now);
  other.begin(64 * MiB, true);
  c.advance(1000);
  assert.deepEqual(other.snapshot(), { bytes: 0, parts: 1, estimated: false });
});
