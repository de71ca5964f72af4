/**
 * `ferry tasks`, `ferry resume [TASK]` and `ferry abort-orphans PROFILE:bucket`: the engine's task list,
 * finishing what a previous run (the app or the CLI) left unfinished, and cleaning up multipart uploads.
 */
import { Command } from 'commander';
import type { TaskSummary } from '../../../preload/shared/contract';
import { parseBucketAddress } from '../address';
import { OperationFailed, UsageError } from '../errors';
import { confirm, isInteractive } from '../prompt';
import { taskRoute, waitForTasks } from '../run-tasks';
import { resolveProfileId, startTasks } from '../session';
import { formatSize } from '../sizes';
import { print, withSession } from './common';

const UNFINISHED = new Set<TaskSummary['state']>(['queued', 'running', 'paused']);

export function describeTask(t: TaskSummary): string {
  const p = t.progress;
  const percent = p.bytesTotal > 0 ? `${Math.floor((p.bytesDone / p.bytesTotal) * 100)}%` : '-';
  const objects = t.kind === 'folder' ? ` ${p.objectsDone}/${p.objectsTotal ?? '?'} objects` : '';
  const error = t.error ? `  ${t.error.code}: ${t.error.message}` : '';
  return `${t.id}\t${t.state}\t${taskRoute(t)}\t${percent} ${formatSize(p.bytesDone)}/${formatSize(p.bytesTotal)}${objects}${error}`;
}

function lookOnly(err: unknown): { reason: string; elsewhere: boolean } | undefined {
  const code = (err as { code?: unknown } | undefined)?.code;
  if (code === 'DataFolderInUse') return { reason: (err as Error).message, elsewhere: true };
  if (code === 'EROFS' || code === 'EACCES' || code === 'EPERM')
    return { reason: `the data folder cannot be written (${code})`, elsewhere: false };
  return undefined;
}

export function tasksCommand(): Command {
  return new Command('tasks')
    .description('list tasks: id, state, source → destination, progress')
    .action(async (_options: unknown, command: Command) => {
      await withSession(command, {}, async (services) => {
        let tasks: TaskSummary[];
        try {
          await startTasks(services);
          tasks = services.tasks.list();
        } catch (err) {
          // A list needs no engine: a folder another Ferry is using, or one that cannot be written,
          // is still worth a look.
          const why = lookOnly(err);
          if (!why || !services.tasks.peek) throw err;
          process.stderr.write(`ferry: ${why.reason}; showing the tasks as recorded\n`);
          const seen = await services.tasks.peek(why.elsewhere);
          for (const u of seen.untrusted)
            process.stderr.write(`ferry: checkpoint ${u.file} is not trusted: ${u.reason}\n`);
          tasks = seen.tasks;
        }
        for (const t of tasks) print(describeTask(t));
      });
    });
}

export function resumeCommand(): Command {
  return new Command('resume')
    .description('run every unfinished task (or the one named) to its end, then exit')
    .argument('[task]', 'task id (see ferry tasks)')
    .action(async (taskId: string | undefined, _options: unknown, command: Command) => {
      const ok = await withSession(command, { startTasks: true }, async (services) => {
        let ids: string[];
        if (taskId) {
          const task = services.tasks.get(taskId);
          if (!task)
            throw new OperationFailed('NoSuchTask', `there is no task "${taskId}" (see ferry tasks)`);
          if (task.state === 'failed') await services.tasks.retry(taskId);
          else if (task.state !== 'done' && task.state !== 'cancelled') await services.tasks.resume(taskId);
          ids = [taskId];
        } else {
          ids = services.tasks
            .list()
            .filter((t) => UNFINISHED.has(t.state))
            .map((t) => t.id);
          if (ids.length === 0) {
            print('no unfinished tasks');
            return true;
          }
          await services.tasks.resumeAll();
        }
        return waitForTasks(services, ids);
      });
      if (!ok) throw new OperationFailed('TaskFailed', 'a task did not complete', undefined, true);
    });
}

export function abortOrphansCommand(): Command {
  return new Command('abort-orphans')
    .description('abort incomplete multipart uploads Ferry started (all of them with --all)')
    .argument('<address>', 'PROFILE:bucket')
    .option('--all', 'also abort uploads Ferry did not start (other tools may still be using them)')
    .option('-y, --yes', 'do not ask for confirmation')
    .action(async (text: string, options: { all?: boolean; yes?: boolean }, command: Command) => {
      const address = parseBucketAddress(text);
      if (address.key !== '')
        throw new UsageError(`abort-orphans takes a bucket (PROFILE:bucket), not "${text}"`);
      await withSession(command, { startTasks: true }, async (services) => {
        const profileId = resolveProfileId(services, address.profile);
        const found = await services.handlers['orphans.list']({ profileId, bucket: address.bucket });
        const chosen = found.filter((u) => options.all || u.ours);
        const skipped = found.length - chosen.length;
        for (const u of chosen)
          print(`${u.initiated}\t${u.ours ? 'ferry' : 'other'}\t${u.uploadId}\t${u.key}`);
        if (skipped > 0)
          print(`(${skipped} upload(s) not started by Ferry left alone; --all aborts them too)`);
        if (chosen.length === 0) {
          print('no uploads to abort');
          return;
        }
        if (!options.yes) {
          // Aborting deletes every part uploaded so far; a script must say so explicitly.
          if (!isInteractive()) {
            throw new UsageError(
              `aborting deletes the uploaded parts of ${chosen.length} upload(s); nothing was aborted — confirm in a terminal, or pass --yes`,
            );
          }
          if (!(await confirm(`Abort ${chosen.length} upload(s) and delete their uploaded parts?`))) {
            print('nothing aborted');
            return;
          }
        }
        const uploads = chosen.map((u) => ({ key: u.key, uploadId: u.uploadId }));
        const { aborted } = await services.handlers['orphans.abort']({
          profileId,
          bucket: address.bucket,
          uploads,
        });
        print(`aborted ${aborted} upload(s)`);
        if (aborted < uploads.length) {
          throw new OperationFailed(
            'AbortIncomplete',
            `${uploads.length - aborted} upload(s) could not be aborted`,
          );
        }
      });
    });
}
