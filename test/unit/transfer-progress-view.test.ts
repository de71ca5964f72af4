/**
 * What a transfer row shows (renderer/features/transfers/progress-view.ts): no percentage while a
 * folder's total is still being counted, then progress by objects; no ETA without a final total;
 * no parts for folders or one-request copies; duration, speed and finish time once done.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  progressFacts,
  progressPercent,
  type ProgressInput,
} from '../../renderer/features/transfers/progress-view';

const folder = (
  p: Partial<ProgressInput['progress']>,
  state: ProgressInput['state'] = 'running',
): ProgressInput => ({
  kind: 'folder',
  state,
  progress: { bytesDone: 0, bytesTotal: 0, objectsDone: 0, objectsTotal: null, ...p },
});

test('a folder still being listed has no percentage and says how many objects so far', () => {
  // The case from the issue: 1,194 done, the listing far ahead in bytes but not finished.
  const counting = folder({
    objectsDone: 1194,
    bytesDone: 10_000,
    bytesTotal: 11_000,
    totalKnown: false,
    rate: 5000,
    etaSeconds: 1,
    partsDone: 1194,
    partsTotal: 1194,
  });
  assert.equal(progressPercent(counting), null);
  const facts = progressFacts(counting);
  assert.deepEqual(facts[0], { kind: 'counting', objects: 1194, bytes: 10_000 });
  assert.ok(!facts.some((f) => f.kind === 'eta'), 'no ETA from a growing total');
  assert.ok(!facts.some((f) => f.kind === 'parts'), 'no parts line for a folder');
});

test('once the total is known a folder progresses by objects, never ahead of the objects done', () => {
  const known = folder({
    objectsDone: 1194,
    objectsTotal: 10_000,
    bytesDone: 9_000_000,
    bytesTotal: 10_000_000,
    totalKnown: true,
    rate: 1,
    etaSeconds: 30,
  });
  assert.equal(progressPercent(known), 11);
  const facts = progressFacts(known);
  assert.deepEqual(facts[0], { kind: 'objects', done: 1194, total: 10_000 });
  assert.ok(facts.some((f) => f.kind === 'eta' && f.seconds === 30));
});

test('an object copied in parts shows parts and those in flight; an estimate is marked', () => {
  const input: ProgressInput = {
    kind: 'object',
    state: 'running',
    progress: {
      bytesDone: 50,
      bytesTotal: 200,
      objectsDone: 0,
      objectsTotal: 1,
      totalKnown: true,
      partsDone: 1,
      partsTotal: 4,
      partsInFlight: 2,
      bytesEstimated: true,
    },
  };
  assert.equal(progressPercent(input), 25);
  const facts = progressFacts(input);
  assert.deepEqual(
    facts.find((f) => f.kind === 'parts'),
    { kind: 'parts', done: 1, total: 4, inFlight: 2 },
  );
  assert.deepEqual(
    facts.find((f) => f.kind === 'bytes'),
    { kind: 'bytes', done: 50, total: 200, estimated: true },
  );
  const single = { ...input, progress: { ...input.progress, partsDone: 0, partsTotal: 0 } };
  assert.ok(!progressFacts(single).some((f) => f.kind === 'parts'));
});

test('a finished task says how long it took, how fast, and when', () => {
  const done: ProgressInput = {
    kind: 'object',
    state: 'done',
    progress: { bytesDone: 8_000_000, bytesTotal: 8_000_000, objectsDone: 1, objectsTotal: 1 },
    createdAt: '2026-11-29T23:00:00.000Z',
    finishedAt: '2026-11-29T23:00:04.000Z',
  };
  assert.equal(progressPercent(done), 100);
  assert.deepEqual(progressFacts(done), [
    {
      kind: 'finished',
      bytes: 8_000_000,
      seconds: 4,
      averageRate: 2_000_000,
      at: '2026-11-29T23:00:04.000Z',
    },
  ]);
});
