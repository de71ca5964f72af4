/**
 * A delete as a task: selected objects, folders (everything under their prefix), or a whole bucket
 * (every object, every version and delete marker, every multipart upload, then the bucket itself).
 * Work goes a listing page at a time — one DeleteObjects of at most 1,000 keys per page — and the
 * checkpoint holds the phase, the listing position and the counts, so a kill resumes where the last
 * recorded page ended. Deleting is idempotent: a page deleted just before a kill is listed again
 * without the keys already gone, and a key that is gone is not an error.
 */
import type { ObjectStore } from '../storage/provider';
import { isCode } from '../copy/context';
import { StorageError } from '../storage/errors';

export type RemovalPhase = 'keys' | 'prefixes' | 'versions' | 'uploads' | 'bucket' | 'done';

export interface RemovalFailure {
  key: string;
  versionId?: string;
  code: string;
  message: string;
}

export interface RemovalState {
  /** Plain object keys, deleted in one batch first. */
  keys: string[];
  /** Folders (prefixes ending in `/`; '' is the whole bucket), each listed and emptied in turn. */
  prefixes: string[];
  /** The bucket itself goes at the end (after its versions or objects, and its uploads). */
  bucket: boolean;
  /** The bucket keeps versions: its versions and delete markers are deleted, not its current objects. */
  versioned: boolean;
  phase: RemovalPhase;
  /** Which of `prefixes` is being emptied. */
  prefixIndex: number;
  /** Last key handled in the current prefix: the listing resumes after it. */
  cursor?: string;
  /** Where the version listing resumes: past versions that could not be deleted, else the start. */
  versionCursor?: { keyMarker: string; versionIdMarker: string };
  objectsDone: number;
  bytesDone: number;
  uploadsAborted: number;
  /** What the confirmation counted, when it did: the totals progress is measured against. */
  expected?: { objects: number; bytes: number };
  failedCount: number;
  /** The first failures, for the error a person reads (all are counted). */
  failures: RemovalFailure[];
}

const FAILURES_KEPT = 20;

export interface RemovalTarget {
  keys: string[];
  bucket: boolean;
  versioned: boolean;
  expected?: { objects: number; bytes: number };
}

export function newRemovalState(target: RemovalTarget): RemovalState {
  const prefixes = target.bucket
    ? target.versioned
      ? []
      : ['']
    : target.keys.filter((k) => k.endsWith('/'));
  const keys = target.bucket ? [] : target.keys.filter((k) => !k.endsWith('/'));
  const state: RemovalState = {
    keys,
    prefixes,
    bucket: target.bucket,
    versioned: target.bucket && target.versioned,
    phase: 'keys',
    prefixIndex: 0,
    objectsDone: 0,
    bytesDone: 0,
    uploadsAborted: 0,
    failedCount: 0,
    failures: [],
  };
  if (target.expected) state.expected = target.expected;
  return state;
}

/** Starts the work again from the first phase (a retry): what is gone stays counted. */
export function restartRemoval(state: RemovalState): void {
  state.phase = 'keys';
  state.prefixIndex = 0;
  delete state.cursor;
  delete state.versionCursor;
  state.failedCount = 0;
  state.failures = [];
}

export function removalCounters(state: RemovalState, finished: boolean) {
  const done = state.phase === 'done' || finished;
  const objectsTotal = Math.max(state.expected?.objects ?? 0, state.objectsDone);
  const bytesTotal = Math.max(state.expected?.bytes ?? 0, state.bytesDone);
  return {
    bytesDone: state.bytesDone,
    bytesTotal: done ? state.bytesDone : bytesTotal,
    partsDone: 0,
    partsTotal: 0,
    objectsDone: state.objectsDone,
    objectsTotal: done || state.expected ? (done ? state.objectsDone : objectsTotal) : null,
    totalKnown: done || Boolean(state.expected),
  };
}

export interface RemovalRun {
  store: ObjectStore;
  bucket: string;
  state: RemovalState;
  signal: AbortSignal;
  pageSize?: number;
  /** Persists the state; resolves once it is on disk. */
  checkpoint(): Promise<void>;
  progressed(): void;
  log: { info(message: string): void; warn(message: string): void };
}

export async function runRemoval(run: RemovalRun): Promise<void> {
  const { state } = run;
  if (state.phase === 'keys') {
    if (state.keys.length)
      await deleteBatch(
        run,
        state.keys.map((key) => ({ key, size: 0 })),
      );
    await advance(run, 'prefixes');
  }
  if (state.phase === 'prefixes') {
    while (state.prefixIndex < state.prefixes.length) {
      await emptyPrefix(run, state.prefixes[state.prefixIndex]!);
      state.prefixIndex++;
      delete state.cursor;
      await run.checkpoint();
    }
    await advance(run, state.versioned ? 'versions' : state.bucket ? 'uploads' : 'done');
  }
  if (state.phase === 'versions') {
    await emptyVersions(run);
    await advance(run, 'uploads');
  }
  if (state.phase === 'uploads') {
    await abortUploads(run);
    await advance(run, 'bucket');
  }
  if (state.phase === 'bucket') {
    if (state.failedCount) throw failedError(run);
    try {
      await run.store.deleteBucket!(run.bucket, { signal: run.signal });
    } catch (err) {
      if (!isCode(err, 'NoSuchBucket')) throw err;
    }
    run.log.info(`deleted the bucket "${run.bucket}"`);
    await advance(run, 'done');
  }
  if (state.failedCount) throw failedError(run);
}

async function advance(run: RemovalRun, phase: RemovalPhase): Promise<void> {
  run.state.phase = phase;
  await run.checkpoint();
}

function failedError(run: RemovalRun): StorageError {
  const { state } = run;
  const first = state.failures
    .slice(0, 3)
    .map((f) => `"${f.key}": ${f.message || f.code}`)
    .join('; ');
  return new StorageError({
    status: 409,
    code: 'DeleteIncomplete',
    message:
      `${state.failedCount} object(s) in "${run.bucket}" could not be deleted (${first})` +
      (state.bucket ? '; the bucket was kept' : '') +
      '. Retry the task to try them again.',
  });
}

function noteFailures(run: RemovalRun, failed: RemovalFailure[]): void {
  const { state } = run;
  // A key already gone is what a delete wants: S3 does not report it, some servers might.
  const real = failed.filter((f) => f.code !== 'NoSuchKey' && f.code !== 'NoSuchVersion');
  state.failedCount += real.length;
  for (const f of real) if (state.failures.length < FAILURES_KEPT) state.failures.push(f);
  for (const f of real)
    run.log.warn(
      `could not delete "${f.key}"${f.versionId ? ` (${f.versionId})` : ''}: ${f.code} ${f.message}`,
    );
}

async function deleteBatch(run: RemovalRun, batch: { key: string; size: number }[]): Promise<void> {
  const failed = await run.store.deleteObjects(
    run.bucket,
    batch.map((b) => b.key),
    { signal: run.signal },
  );
  noteFailures(run, failed);
  const failedKeys = new Set(failed.map((f) => f.key));
  for (const b of batch) {
    if (failedKeys.has(b.key)) continue;
    run.state.objectsDone++;
    run.state.bytesDone += b.size;
  }
}

/** Every object under `prefix`, a page at a time; a listed key outside it is never sent. */
async function emptyPrefix(run: RemovalRun, prefix: string): Promise<void> {
  const { state } = run;
  for (;;) {
    const page = await run.store.listObjects(
      run.bucket,
      {
        prefix,
        maxKeys: run.pageSize ?? 1000,
        ...(state.cursor !== undefined ? { startAfter: state.cursor } : {}),
      },
      { signal: run.signal },
    );
    const inside = page.objects.filter((o) => o.key.startsWith(prefix));
    if (inside.length) await deleteBatch(run, inside);
    const last = page.objects.at(-1)?.key;
    if (last !== undefined) state.cursor = last;
    await run.checkpoint();
    run.progressed();
    if (!page.nextToken || last === undefined) return;
  }
}

async function emptyVersions(run: RemovalRun): Promise<void> {
  const { state, store } = run;
  if (!store.listObjectVersions || !store.deleteObjectVersions)
    throw new StorageError({
      status: 501,
      code: 'NotImplemented',
      message: 'this service cannot list object versions',
    });
  for (;;) {
    const failedBefore = state.failedCount;
    const page = await store.listObjectVersions(
      run.bucket,
      {
        maxKeys: run.pageSize ?? 1000,
        ...(state.versionCursor ?? {}),
      },
      { signal: run.signal },
    );
    if (page.versions.length) {
      const failed = await store.deleteObjectVersions(
        run.bucket,
        page.versions.map((v) => ({ key: v.key, versionId: v.versionId })),
        { signal: run.signal },
      );
      noteFailures(run, failed);
      const failedIds = new Set(failed.map((f) => `${f.key}\u0000${f.versionId ?? ''}`));
      for (const v of page.versions) {
        if (failedIds.has(`${v.key}\u0000${v.versionId}`)) continue;
        state.objectsDone++;
        state.bytesDone += v.size;
      }
    }
    // The next page is listed from where this one started, its versions gone: a marker naming a
    // deleted version makes Ceph RGW skip the rest of that key's versions. Only past versions that
    // could not be deleted does the listing move on (the task then fails, and a retry starts over).
    if (page.next && failedBefore !== state.failedCount) state.versionCursor = page.next;
    await run.checkpoint();
    run.progressed();
    if (!page.next) return;
  }
}

async function abortUploads(run: RemovalRun): Promise<void> {
  const uploads: { key: string; uploadId: string }[] = [];
  for await (const u of run.store.listMultipartUploads(run.bucket, undefined, { signal: run.signal }))
    uploads.push(u);
  for (const u of uploads) {
    try {
      await run.store.abortMultipartUpload(run.bucket, u.key, u.uploadId, { signal: run.signal });
      run.state.uploadsAborted++;
    } catch (err) {
      if (!isCode(err, 'NoSuchUpload')) throw err;
    }
  }
  if (uploads.length) run.log.info(`aborted ${uploads.length} unfinished upload(s) in "${run.bucket}"`);
}
