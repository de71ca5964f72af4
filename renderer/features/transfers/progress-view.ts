/**
 * What a transfer row says, as data: the bar's value (or none while a total is still being
 * counted), and the facts beside it. Pure, so the rules — no percentage from a growing total, no
 * ETA without a measured rate, no parts for one-request copies — are tested without a browser.
 */
import type { TaskProgress, TaskState } from '../../../preload/shared/contract';

export interface ProgressInput {
  /** A delete task counts by objects, as a folder copy does. */
  kind: 'object' | 'folder' | 'delete';
  state: TaskState | 'queued' | 'running' | 'done' | 'failed';
  progress: Pick<TaskProgress, 'bytesDone' | 'bytesTotal' | 'objectsDone' | 'objectsTotal'> &
    Partial<
      Pick<
        TaskProgress,
        'rate' | 'etaSeconds' | 'partsDone' | 'partsTotal' | 'partsInFlight' | 'totalKnown' | 'bytesEstimated'
      >
    >;
  createdAt?: string;
  finishedAt?: string;
}

export type Fact =
  | { kind: 'counting'; objects: number; bytes: number }
  | { kind: 'objects'; done: number; total: number }
  | { kind: 'bytes'; done: number; total: number; estimated: boolean }
  | { kind: 'rate'; bytesPerSecond: number }
  | { kind: 'eta'; seconds: number }
  | { kind: 'parts'; done: number; total: number; inFlight: number }
  | { kind: 'finished'; bytes: number; seconds: number; averageRate: number | null; at: string };

/** The bar's percentage, or null for an indeterminate bar (a total still being counted). */
export function progressPercent(input: ProgressInput): number | null {
  if (input.state === 'done') return 100;
  const p = input.progress;
  if (input.kind !== 'object') {
    if (!p.totalKnown || p.objectsTotal === null) return null;
    // By objects: a folder's bytes total is the sum of what was listed, and the issue seen was a
    // bar by bytes running far ahead of the objects actually copied.
    return p.objectsTotal > 0 ? Math.min(100, Math.floor((p.objectsDone / p.objectsTotal) * 100)) : 0;
  }
  return p.bytesTotal > 0 ? Math.min(100, Math.floor((p.bytesDone / p.bytesTotal) * 100)) : 0;
}

export function progressFacts(input: ProgressInput): Fact[] {
  const p = input.progress;
  if (input.state === 'done') {
    const start = input.createdAt ? Date.parse(input.createdAt) : NaN;
    const end = input.finishedAt ? Date.parse(input.finishedAt) : NaN;
    const seconds = Number.isFinite(start) && Number.isFinite(end) ? Math.max(0, (end - start) / 1000) : NaN;
    const facts: Fact[] = [];
    if (input.kind !== 'object') facts.push({ kind: 'objects', done: p.objectsDone, total: p.objectsDone });
    if (Number.isFinite(seconds) && input.finishedAt)
      facts.push({
        kind: 'finished',
        bytes: p.bytesTotal,
        seconds,
        averageRate: seconds >= 0.5 ? p.bytesTotal / seconds : null,
        at: input.finishedAt,
      });
    else facts.push({ kind: 'bytes', done: p.bytesTotal, total: p.bytesTotal, estimated: false });
    return facts;
  }
  const facts: Fact[] = [];
  const known = Boolean(p.totalKnown);
  if (input.kind !== 'object' && !known)
    facts.push({ kind: 'counting', objects: p.objectsDone, bytes: p.bytesDone });
  else {
    if (input.kind !== 'object' && p.objectsTotal !== null)
      facts.push({ kind: 'objects', done: p.objectsDone, total: p.objectsTotal });
    facts.push({
      kind: 'bytes',
      done: p.bytesDone,
      total: p.bytesTotal,
      estimated: Boolean(p.bytesEstimated),
    });
  }
  const running = input.state === 'running';
  if (running && (p.rate ?? 0) > 0) facts.push({ kind: 'rate', bytesPerSecond: p.rate! });
  if (running && known && p.etaSeconds !== null && p.etaSeconds !== undefined && p.etaSeconds > 0)
    facts.push({ kind: 'eta', seconds: p.etaSeconds });
  // Parts only mean something for one object copied in several (a folder's parts add up objects of
  // every size and say nothing a person can use).
  if (input.kind === 'object' && (p.partsTotal ?? 0) > 1)
    facts.push({
      kind: 'parts',
      done: p.partsDone ?? 0,
      total: p.partsTotal!,
      inFlight: p.partsInFlight ?? 0,
    });
  return facts;
}
