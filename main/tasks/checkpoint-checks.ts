/**
 * What a checkpoint body must be before the engine acts on it. The SHA-256 only shows the file is
 * the one some writer wrote: a body re-hashed by hand (or written by a faulty version) passes it.
 * Every field is range-checked here — sizes, part numbers, counts, where the task writes — so a
 * checkpoint cannot make the engine copy into its own source, plan an impossible upload, or skip
 * work it never did. A body that fails is moved to `checkpoints/corrupt/` like a damaged one.
 */
import { CopyOptions, CopySource, LIMITS, Location, TaskId, TaskState } from '../../preload/shared/contract';
import type { DonePart, ObjectJob, SourceFingerprint } from '../copy/job';
import { asFolderPrefix, folderDestinationPrefix, objectDestinationKey } from '../../preload/shared/keys';
import { selfCopyProblem } from '../copy/self-copy';
import type { TaskRecord } from './task-record';
import { checkRemovalRecord } from './removal-checks';

export class CheckpointFieldError extends Error {}

const PHASES = new Set(['pending', 'initiating', 'copying', 'completing', 'deleting-source', 'done']);
const STRATEGIES = new Set(['copy-object', 'multipart-copy', 'stream']);

type Obj = Record<string, unknown>;

function fail(message: string): never {
  throw new CheckpointFieldError(message);
}

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function count(v: unknown, what: string): number {
  if (!Number.isSafeInteger(v) || (v as number) < 0) fail(`${what} is not a whole number of at least 0`);
  return v as number;
}

function text(v: unknown, what: string, { empty = false } = {}): string {
  if (typeof v !== 'string' || (!empty && v === ''))
    fail(`${what} is not a${empty ? '' : ' non-empty'} string`);
  return v;
}

function optional<T>(v: unknown, check: (v: unknown) => T): T | undefined {
  return v === undefined ? undefined : check(v);
}

function time(v: unknown, what: string): string {
  const s = text(v, what);
  if (!Number.isFinite(Date.parse(s))) fail(`${what} is not a time`);
  return s;
}

function fingerprint(v: unknown, what: string): SourceFingerprint {
  if (!isObj(v)) fail(`${what} is not an object`);
  count(v.size, `${what}.size`);
  text(v.etag, `${what}.etag`, { empty: true });
  text(v.lastModified, `${what}.lastModified`, { empty: true });
  optional(v.versionId, (x) => text(x, `${what}.versionId`));
  optional(v.crc64, (x) => text(x, `${what}.crc64`));
  return v as unknown as SourceFingerprint;
}

/**
 * The part plan of a job is (fingerprint.size, partSize): 1 ≤ partSize ≤ 5 GiB, at most 10,000
 * parts; each recorded part is in the plan, once, with the plan's length.
 */
function checkParts(job: Obj, where: string): void {
  if (!Array.isArray(job.doneParts)) fail(`${where}.doneParts is not a list`);
  const size = job.fingerprint === undefined ? undefined : (job.fingerprint as SourceFingerprint).size;
  const partSize = optional(job.partSize, (x) => count(x, `${where}.partSize`));
  if (partSize !== undefined && (partSize < 1 || partSize > LIMITS.partSizeMax))
    fail(`${where}.partSize ${partSize} is outside 1 byte … 5 GiB`);
  let planned: number | undefined;
  if (partSize !== undefined && size !== undefined) {
    planned = size === 0 ? 1 : Math.ceil(size / partSize);
    if (planned > LIMITS.partsMax) fail(`${where} plans ${planned} parts; at most ${LIMITS.partsMax} exist`);
  } else if (job.doneParts.length > 0) {
    // A single write (CopyObject, PUT) records its result as part 1 of the whole object.
    planned = 1;
  }
  const seen = new Set<number>();
  for (const [i, p] of (job.doneParts as unknown[]).entries()) {
    const at = `${where}.doneParts[${i}]`;
    if (!isObj(p)) fail(`${at} is not an object`);
    const n = p.number;
    if (!Number.isInteger(n) || (n as number) < 1 || (n as number) > LIMITS.partsMax)
      fail(`${at}.number is not a part number (1 … ${LIMITS.partsMax})`);
    if (seen.has(n as number)) fail(`${where} records part ${n as number} twice`);
    seen.add(n as number);
    if (planned !== undefined && (n as number) > planned)
      fail(`${at}.number ${n as number} is beyond the ${planned} part(s) of its plan`);
    count(p.size, `${at}.size`);
    text(p.etag, `${at}.etag`, { empty: true });
    optional(p.crc64, (x) => text(x, `${at}.crc64`));
    if (size !== undefined) {
      const expected =
        partSize === undefined ? size : Math.min(partSize, size - ((n as number) - 1) * partSize);
      if ((p as unknown as DonePart).size !== Math.max(expected, 0))
        fail(`${at}.size ${p.size as number} is not the planned ${expected}`);
    }
  }
}

function checkJob(v: unknown, where: string, srcPrefix: string, dstPrefix: string): ObjectJob {
  if (!isObj(v)) fail(`${where} is not an object`);
  const srcKey = text(v.srcKey, `${where}.srcKey`);
  const dstKey = text(v.dstKey, `${where}.dstKey`);
  optional(v.srcVersionId, (x) => text(x, `${where}.srcVersionId`));
  if (!srcKey.startsWith(srcPrefix)) fail(`${where}.srcKey lies outside the task's source`);
  if (!dstKey.startsWith(dstPrefix)) fail(`${where}.dstKey lies outside the task's destination`);
  if (typeof v.conflictResolved !== 'boolean') fail(`${where}.conflictResolved is not true or false`);
  optional(v.skipped, (x) => typeof x === 'boolean' || fail(`${where}.skipped is not true or false`));
  if (!PHASES.has(v.phase as string)) fail(`${where}.phase is not a phase`);
  optional(v.strategy, (x) => STRATEGIES.has(x as string) || fail(`${where}.strategy is not a strategy`));
  optional(v.fingerprint, (x) => fingerprint(x, `${where}.fingerprint`));
  optional(v.listed, (x) => fingerprint(x, `${where}.listed`));
  optional(v.initiatingAt, (x) => time(x, `${where}.initiatingAt`));
  optional(v.uploadId, (x) => text(x, `${where}.uploadId`));
  optional(v.restarts, (x) => count(x, `${where}.restarts`));
  optional(v.initiate, (x) => isObj(x) || fail(`${where}.initiate is not an object`));
  checkParts(v, where);
  // An upload in flight is planned: without its size and part size its parts cannot be checked.
  if (v.uploadId !== undefined && (v.partSize === undefined || v.fingerprint === undefined))
    fail(`${where} has an upload but no part plan`);
  if (['copying', 'completing'].includes(v.phase as string) && !v.strategy)
    fail(`${where} is ${v.phase as string} with no strategy`);
  if (['deleting-source', 'done'].includes(v.phase as string) && v.fingerprint === undefined && !v.skipped)
    fail(`${where} is ${v.phase as string} but records no source it copied`);
  return v as unknown as ObjectJob;
}

/** The checked task, or a CheckpointFieldError naming the first field out of range. */
export function checkTaskRecord(body: unknown): TaskRecord {
  if (!isObj(body)) fail('the body is not an object');
  const t = body;
  if (!TaskId.safeParse(t.id).success) fail('id is not a task id');
  if (t.kind === 'delete') return checkRemovalRecord(t);
  if (t.kind !== 'object' && t.kind !== 'folder') fail('kind is neither object nor folder');
  if (typeof t.priority !== 'number' || !Number.isFinite(t.priority)) fail('priority is not a number');
  count(t.seq, 'seq');
  time(t.createdAt, 'createdAt');
  optional(t.finishedAt, (x) => time(x, 'finishedAt'));
  if (!TaskState.safeParse(t.state).success) fail('state is not a task state');
  const source = CopySource.safeParse(t.source);
  if (!source.success) fail(`source: ${source.error.issues[0]?.message}`);
  const destination = Location.safeParse(t.destination);
  if (!destination.success) fail(`destination: ${destination.error.issues[0]?.message}`);
  const options = CopyOptions.safeParse(t.options);
  if (!options.success) fail(`options: ${options.error.issues[0]?.message}`);
  if (!isObj(t.completed)) fail('completed is not an object');
  const completed = {
    objects: count(t.completed.objects, 'completed.objects'),
    bytes: count(t.completed.bytes, 'completed.bytes'),
    parts: count(t.completed.parts, 'completed.parts'),
  };
  const destinationKey = text(t.destinationKey, 'destinationKey', { empty: true });
  const src = source.data;
  const dst = destination.data;

  if (t.kind === 'object') {
    if (src.isFolder) fail('an object task names a folder source');
    if (destinationKey !== objectDestinationKey(src.key, dst.prefix))
      fail('destinationKey is not where its source goes');
    if (t.folder !== undefined || !isObj(t.object)) fail('an object task has no object job');
    if (completed.objects > 1) fail('an object task completed more than one object');
    // Keep-both may have chosen `name (n).ext` beside the planned key: same folder, never elsewhere.
    const folder = destinationKey.slice(0, destinationKey.lastIndexOf('/') + 1);
    const job = checkJob(t.object, 'object', src.key, folder);
    if (job.srcKey !== src.key) fail('object.srcKey is not the task source');
    if ((job.srcVersionId ?? '') !== (src.versionId ?? ''))
      fail('object.srcVersionId is not the task source version');
  } else {
    if (!src.isFolder || asFolderPrefix(src.key) !== src.key) fail('a folder task names no folder source');
    if (destinationKey !== folderDestinationPrefix(src.key, dst.prefix))
      fail('destinationKey is not where its source folder goes');
    if (t.object !== undefined || !isObj(t.folder)) fail('a folder task has no folder state');
    const f = t.folder;
    if (typeof f.listingDone !== 'boolean') fail('folder.listingDone is not true or false');
    optional(f.cursor, (x) => {
      if (!text(x, 'folder.cursor').startsWith(src.key)) fail('folder.cursor lies outside the source folder');
    });
    const listed = count(f.objectsListed, 'folder.objectsListed');
    count(f.bytesListed, 'folder.bytesListed');
    if (!Array.isArray(f.inFlight)) fail('folder.inFlight is not a list');
    f.inFlight.forEach((job, i) => checkJob(job, `folder.inFlight[${i}]`, src.key, destinationKey));
    // Every listed object is either finished (in the totals) or in flight, never both or neither.
    if (completed.objects + f.inFlight.length !== listed)
      fail(
        `counts disagree: ${completed.objects} finished + ${f.inFlight.length} in flight ≠ ${listed} listed`,
      );
  }
  const loop = selfCopyProblem({
    kind: t.kind,
    source: src,
    destination: dst,
    destinationKey,
    options: options.data,
  });
  if (loop) fail(`it describes a copy into itself (${loop})`);
  return t as unknown as TaskRecord;
}
