/**
 * What a delete task's checkpoint must be before the engine acts on it (checkpoint-checks.ts does
 * the same for copies): above all, every key and prefix it deletes lies in its own bucket's
 * request, and its phase and position are ones the task can be in — a checkpoint cannot widen a
 * delete to keys nobody chose.
 */
import { BucketName, ObjectKey, ProfileId, TaskState } from '../../preload/shared/contract';
import { CheckpointFieldError } from './checkpoint-checks';
import type { TaskRecord } from './task-record';

const PHASES = new Set(['keys', 'prefixes', 'versions', 'uploads', 'bucket', 'done']);

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function fail(message: string): never {
  throw new CheckpointFieldError(message);
}

function count(v: unknown, what: string): number {
  if (!Number.isSafeInteger(v) || (v as number) < 0) fail(`${what} is not a whole number of at least 0`);
  return v as number;
}

export function checkRemovalRecord(t: Obj): TaskRecord {
  if (typeof t.priority !== 'number' || !Number.isFinite(t.priority)) fail('priority is not a number');
  count(t.seq, 'seq');
  if (typeof t.createdAt !== 'string' || !Number.isFinite(Date.parse(t.createdAt)))
    fail('createdAt is not a time');
  if (!TaskState.safeParse(t.state).success) fail('state is not a task state');
  if (!isObj(t.source) || !isObj(t.destination)) fail('a delete task names no bucket');
  if (!ProfileId.safeParse(t.source.profileId).success) fail('source.profileId is not an account id');
  if (!BucketName.safeParse(t.source.bucket).success) fail('source.bucket is not a bucket name');
  if (t.destination.profileId !== t.source.profileId || t.destination.bucket !== t.source.bucket)
    fail('a delete task names two places');
  if (t.object !== undefined || t.folder !== undefined) fail('a delete task has copy jobs');
  const r = t.removal;
  if (!isObj(r)) fail('a delete task has no delete state');
  if (!Array.isArray(r.keys) || !Array.isArray(r.prefixes))
    fail('removal.keys or removal.prefixes is not a list');
  if (r.keys.length + r.prefixes.length > 1000) fail('a delete task names more than 1,000 keys');
  if (typeof r.bucket !== 'boolean' || typeof r.versioned !== 'boolean')
    fail('removal.bucket is not true or false');
  for (const k of r.keys)
    if (!ObjectKey.safeParse(k).success || (k as string).endsWith('/'))
      fail('removal.keys holds a key that is not an object key');
  for (const p of r.prefixes) {
    if (typeof p !== 'string') fail('removal.prefixes holds a non-string');
    // The whole bucket ('') only when the bucket itself is being deleted.
    if (p === '' ? !r.bucket : !p.endsWith('/') || !ObjectKey.safeParse(p).success)
      fail('removal.prefixes holds something that is not a folder of the request');
  }
  if (r.bucket && r.keys.length) fail('a bucket delete also names keys');
  if (!PHASES.has(r.phase as string)) fail('removal.phase is not a phase');
  if (count(r.prefixIndex, 'removal.prefixIndex') > r.prefixes.length)
    fail('removal.prefixIndex is past its folders');
  if (r.cursor !== undefined) {
    const prefix = r.prefixes[r.prefixIndex as number];
    if (typeof r.cursor !== 'string' || typeof prefix !== 'string' || !r.cursor.startsWith(prefix))
      fail('removal.cursor lies outside the folder being deleted');
  }
  if (r.versionCursor !== undefined) {
    const c = r.versionCursor;
    if (!isObj(c) || typeof c.keyMarker !== 'string' || typeof c.versionIdMarker !== 'string')
      fail('removal.versionCursor is not a listing position');
  }
  count(r.objectsDone, 'removal.objectsDone');
  count(r.bytesDone, 'removal.bytesDone');
  count(r.uploadsAborted, 'removal.uploadsAborted');
  count(r.failedCount, 'removal.failedCount');
  if (!Array.isArray(r.failures)) fail('removal.failures is not a list');
  return t as unknown as TaskRecord;
}
