/**
 * Waits for tasks to end while drawing their combined progress, then reports each one: a line on
 * stdout for a task that finished, `ferry: CODE: message (request id …)` on stderr for one that failed.
 */
import type { TaskProgress, TaskSummary } from '../../preload/shared/contract';
import type { App } from '../app/wiring';
import { describeError } from './errors';
import { ProgressBar, combineProgress } from './progress';
import { formatSize } from './sizes';
import { COMPUTER_PROFILE_ID } from '../storage/computer/addressing';
import { shownLocalKey } from './local-path';

/** An end of a task as the person typed it: a path for this computer, else PROFILE:bucket/key. */
function shownEnd(end: TaskSummary['source']): string {
  if (end.profileId === COMPUTER_PROFILE_ID) return shownLocalKey(end.bucket, end.key);
  return `${end.profileId}:${end.bucket}/${end.key}`;
}

export function taskRoute(t: TaskSummary): string {
  return `${shownEnd(t.source)} → ${shownEnd(t.destination)}`;
}

/** Resolves true when every task ended `done`. */
export async function waitForTasks(services: App, ids: string[]): Promise<boolean> {
  const bar = new ProgressBar(process.stdout);
  const latest = new Map<string, TaskProgress>();
  for (const id of ids) {
    const p = services.tasks.get(id)?.progress;
    if (p) latest.set(id, p);
  }
  const unsubscribe = services.bus.subscribe((message) => {
    if (message.event !== 'task.progress' || !ids.includes(message.payload.id)) return;
    latest.set(message.payload.id, message.payload);
    bar.update(combineProgress([...latest.values()]));
  });
  const started = Date.now();
  let summaries: TaskSummary[];
  try {
    summaries = await Promise.all(ids.map((id) => services.tasks.waitFor(id)));
  } finally {
    unsubscribe();
    bar.clear();
  }
  const seconds = (Date.now() - started) / 1000;
  let ok = true;
  for (const t of summaries) {
    if (t.state === 'done') {
      const objects = t.kind === 'folder' ? `${t.progress.objectsDone} object(s), ` : '';
      process.stdout.write(
        `copied ${taskRoute(t)} (${objects}${formatSize(t.progress.bytesDone)} in ${seconds.toFixed(1)} s)\n`,
      );
    } else {
      ok = false;
      const expired = t.credentialsExpired;
      const error = expired
        ? {
            code: expired.code,
            message: `${expired.message} — nothing copied is lost: save new keys for account "${expired.profileId}" (ferry profile add …), then run "ferry resume ${t.id}"`,
          }
        : (t.error ?? {
            code: t.state === 'cancelled' ? 'Cancelled' : 'TaskFailed',
            message: `task ${t.id} ${t.state}`,
          });
      process.stderr.write(`ferry: ${describeError(error)}\n`);
      process.stderr.write(`ferry: task ${t.id} ${t.state}: ${taskRoute(t)}\n`);
    }
  }
  return ok;
}
