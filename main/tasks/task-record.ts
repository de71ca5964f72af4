/** A task as the engine keeps it and its checkpoint stores it: the request, its state and its jobs. */
import type {
  CopyOptions,
  CopySource,
  Location,
  StorageErrorInfo,
  TaskState,
  TaskSummary,
} from '../../preload/shared/contract';
import type { FolderState } from '../copy/folder-copy';
import { jobBytesDone, type ObjectJob } from '../copy/job';
import { planParts } from '../copy/plan';

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
  /** Objects finished (copied, skipped) and their bytes and parts, folded in as jobs end. */
  completed: { objects: number; bytes: number; parts: number };
  object?: ObjectJob;
  folder?: FolderState;
}

export const FINISHED: readonly TaskState[] = ['done', 'failed', 'cancelled'];

function partsOf(job: ObjectJob): { done: number; total: number } {
  if (job.phase === 'done' || job.phase === 'deleting-source')
    return { done: job.doneParts.length || 1, total: job.doneParts.length || 1 };
  if (job.partSize && job.fingerprint) {
    return { done: job.doneParts.length, total: planParts(job.fingerprint.size, job.partSize).length };
  }
  return { done: 0, total: job.fingerprint ? 1 : 0 };
}

export function jobsOf(task: TaskRecord): ObjectJob[] {
  if (task.object) return task.object.phase === 'done' ? [] : [task.object];
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
} {
  let bytesDone = task.completed.bytes;
  let partsDone = task.completed.parts;
  let partsTotal = task.completed.parts;
  for (const job of jobsOf(task)) {
    bytesDone += jobBytesDone(job);
    const p = partsOf(job);
    partsDone += p.done;
    partsTotal += p.total;
  }
  const bytesTotal = task.folder
    ? task.folder.bytesListed
    : (task.object?.fingerprint?.size ?? task.completed.bytes);
  const objectsTotal = task.folder ? (task.folder.listingDone ? task.folder.objectsListed : null) : 1;
  return {
    bytesDone,
    bytesTotal: Math.max(bytesTotal, bytesDone),
    partsDone,
    partsTotal,
    objectsDone: task.completed.objects,
    objectsTotal,
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
      key: task.destinationKey,
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
  return summary;
}
