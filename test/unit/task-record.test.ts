/**
 * A task's counters come from its record alone (main/tasks/task-record.ts): the part count is the
 * one stored when the parts were planned, not a second planning of (size, partSize).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { countersOf, type TaskRecord } from '../../main/tasks/task-record';
import type { ObjectJob } from '../../main/copy/job';

const MiB = 1024 * 1024;

function recordWith(job: ObjectJob): TaskRecord {
  return {
    id: 't1',
    kind: 'object',
    priority: 0,
    seq: 1,
    createdAt: '2026-01-01T00:00:00.000Z',
    state: 'running',
    source: { profileId: 'a', bucket: 'b', key: 'big.bin', isFolder: false },
    destination: { profileId: 'a', bucket: 'c', prefix: '' },
    options: { metadataDirective: 'COPY', conflict: 'overwrite' },
    destinationKey: 'big.bin',
    completed: { objects: 0, bytes: 0, parts: 0 },
    object: job,
  };
}

const fingerprint = { size: 100 * MiB, etag: '"e"', lastModified: '2026-01-01T00:00:00.000Z' };

test('the parts total is the count stored with the job when its parts were planned', () => {
  // 100 MiB in 8 MiB parts would plan 13; the job says its plan has 7 (a provider's limits made the
  // parts bigger), and the job is what the copy follows.
  const job: ObjectJob = {
    srcKey: 'big.bin',
    dstKey: 'big.bin',
    conflictResolved: true,
    phase: 'copying',
    strategy: 'multipart-copy',
    fingerprint,
    partSize: 8 * MiB,
    partCount: 7,
    doneParts: [
      { number: 1, etag: '"p1"', size: 15 * MiB },
      { number: 2, etag: '"p2"', size: 15 * MiB },
    ],
  };
  const c = countersOf(recordWith(job));
  assert.equal(c.partsTotal, 7);
  assert.equal(c.partsDone, 2);
  assert.equal(c.bytesDone, 30 * MiB);
  assert.equal(c.bytesTotal, 100 * MiB);
});

test('a job with no part plan (copied in one request) counts no parts, so no "Parts 1/1" line shows', () => {
  const job: ObjectJob = {
    srcKey: 'k',
    dstKey: 'k',
    conflictResolved: true,
    phase: 'pending',
    fingerprint,
    doneParts: [],
  };
  assert.deepEqual([countersOf(recordWith(job)).partsDone, countersOf(recordWith(job)).partsTotal], [0, 0]);
});

test('a one-object task whose job says done but is not yet folded into the totals still counts its bytes and parts', () => {
  // Its last progress event falls between the two: it read 0 bytes done after the copy (seen on OSS).
  const job: ObjectJob = {
    srcKey: 'big.bin',
    dstKey: 'big.bin',
    conflictResolved: true,
    phase: 'done',
    strategy: 'multipart-copy',
    fingerprint,
    partSize: 50 * MiB,
    partCount: 2,
    doneParts: [
      { number: 1, etag: '"p1"', size: 50 * MiB },
      { number: 2, etag: '"p2"', size: 50 * MiB },
    ],
  };
  const record = recordWith(job);
  const before = countersOf(record);
  assert.deepEqual([before.bytesDone, before.partsDone, before.partsTotal], [100 * MiB, 2, 2]);
  // Folded in: the same numbers, now from the totals, and not twice.
  record.completed = { objects: 1, bytes: 100 * MiB, parts: 2 };
  const after = countersOf(record);
  assert.deepEqual([after.bytesDone, after.partsDone, after.partsTotal], [100 * MiB, 2, 2]);
});
