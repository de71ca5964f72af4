/** A task as the engine keeps it and its checkpoint stores it: the request, its state and its jobs. */
import type {
  CopyOptions,
  CopySource,
  CredentialsExpired,
  Location,
  StorageErrorInfo,
  TaskState,
  TaskSummary,
} from '../../preload/shared/contract';
import type { FolderState } from '../copy/folder-copy';
import { jobBytesDone, type ObjectJob } from '../copy/job';

export interface TaskRecord {
  id: string;
  kind: 'object' | 'folder';
  /** Higher runs first; equal priorities run in creation order. */
  priority: number;
  /** Creation order, for FIFO among equal priorities. */
  seq: number;
  createdAt: string;
  state: TaskState;
  finishedAt?: string;
  source: CopySource;
  destination: Location;
  options: CopyOptions;
  /** Object: the destination key; folder: the destination folder prefix. */
  destinationKey: string;
  error?: StorageErrorInfo;
  /** Paused until this account's keys are saved again (credentials-pause.ts). */
  credentialsExpired?: CredentialsExpired;
  /** Objects finished (copied, skipped) and their bytes and parts, folded in as jobs end. */
  completed: { objects: number; bytes: number; parts: number };
  object?: ObjectJob;
  folder?: FolderState;
}

export const FINISHED: readonly TaskState[] = ['done', 'failed', 'cancelled'];

/**
 * Parts of a multipart copy. An object copied in one request (CopyObject, one PUT) has no parts to
 * speak of: counting it as one made a folder of small objects read "Parts 1194/1194".
 */
function partsOf(job: ObjectJob): { done: number; total: number } {
  if (!job.partSize) return { done: 0, total: 0 };
  if (job.phase === 'done' || job.phase === 'deleting-source')
    return { done: job.doneParts.length, total: job.doneParts.length };
  if (job.partCount) return { done: job.doneParts.length, total: job.partCount };
  return { done: 0, total: 0 };
}

export function jobsOf(task: TaskRecord): ObjectJob[] {
  if (task.object) return task.object.phase === 'done' ? [] : [task.object];
  return task.folder?.inFlight ?? [];
}

/**
 * The jobs whose work is not yet in `completed`. A one-object task's job says "done" a moment before
 * the engine folds it into `completed`, and its last progress event falls in between: counted by its
 * phase alone, that event would read 0 bytes done after the object was copied.
 */
function unfoldedJobs(task: TaskRecord): ObjectJob[] {
  if (task.object) return task.completed.objects > 0 ? [] : [task.object];
  return task.folder?.inFlight ?? [];
}

/** Progress derived from the record alone, so it is right after a restart too. */
export function countersOf(task: TaskRecord): {
  bytesDone: number;
  bytesTotal: number;
  partsDone: number;
  partsTotal: number;
  objectsDone: number;
  objectsTotal: number | null;
  totalKnown: boolean;
} {
  let bytesDone = task.completed.bytes;
  let partsDone = task.completed.parts;
  let partsTotal = task.completed.parts;
  for (const job of unfoldedJobs(task)) {
    bytesDone += jobBytesDone(job);
    const p = partsOf(job);
    partsDone += p.done;
    partsTotal += p.total;
  }
  const bytesTotal = task.folder
    ? task.folder.bytesListed
    : (task.object?.fingerprint?.size ?? task.completed.bytes);
  const objectsTotal = task.folder ? (task.folder.listingDone ? task.folder.objectsListed : null) : 1;
  // An object's size is known once its source has been looked at (or it has finished).
  const totalKnown = task.folder
    ? task.folder.listingDone
    : Boolean(task.object?.fingerprint) || task.state === 'done';
  return {
    bytesDone,
    bytesTotal: Math.max(bytesTotal, bytesDone),
    partsDone,
    partsTotal,
    objectsDone: task.completed.objects,
    objectsTotal,
    totalKnown,
  };
}

/** Folds a finished job into the totals. */
export function completeJob(task: TaskRecord, job: ObjectJob): void {
  task.completed.objects++;
  task.completed.bytes += job.fingerprint?.size ?? 0;
  task.completed.parts += partsOf(job).done;
}

export function summaryOf(
  task: TaskRecord,
  progress: TaskSummary['progress'],
  resumedAfterRestart: boolean,
): TaskSummary {
  const summary: TaskSummary = {
    id: task.id,
    kind: task.kind,
    state: task.state,
    source: { profileId: task.source.profileId, bucket: task.source.bucket, key: task.source.key },
    destination: {
      profileId: task.destination.profileId,
      bucket: task.destination.bucket,
      // The name the object actually got: with keep-both, "photo (1).jpg" once it was chosen.
      key: task.object?.dstKey ?? task.destinationKey,
    },
    createdAt: task.createdAt,
    resumedAfterRestart,
    progress,
  };
  const strategy = task.kind === 'folder' ? 'folder' : task.object?.strategy;
  if (strategy) summary.strategy = strategy;
  if (task.finishedAt) summary.finishedAt = task.finishedAt;
  if (task.error) summary.error = task.error;
  if (task.options.move) summary.move = true;
  if (task.credentialsExpired) summary.credentialsExpired = task.credentialsExpired;
  return summary;
}
