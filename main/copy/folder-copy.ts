/**
 * A folder copy: the source prefix is listed page by page (never the whole listing in memory) and
 * every object becomes an object job. The checkpoint holds the listing cursor — the last key handed
 * to a job — and the jobs not finished yet; both change in the same step, so any checkpoint on disk
 * is consistent: keys up to the cursor are done or listed in `inFlight`, keys after it are not started.
 */
import type { ListOptions } from '../storage/provider';
import type { Endpoint } from './context';
import { newJob, type ObjectJob } from './job';
import { keyInFolder } from '../../preload/shared/keys';
import { Limiter } from './limiter';

export interface FolderState {
  /** Last source key turned into a job; the listing resumes after it. */
  cursor?: string;
  listingDone: boolean;
  inFlight: ObjectJob[];
  objectsListed: number;
  bytesListed: number;
}

export const newFolderState = (): FolderState => ({
  listingDone: false,
  inFlight: [],
  objectsListed: 0,
  bytesListed: 0,
});

export interface FolderCopyArgs {
  src: Endpoint;
  /** The source folder, ending in `/`. */
  prefix: string;
  /** Where its objects go: destination prefix + the folder's own name. */
  destFolderPrefix: string;
  state: FolderState;
  /** Jobs created fresh need no HEAD of the destination when the policy is overwrite. */
  overwrite: boolean;
  concurrency: () => number;
  signal: AbortSignal;
  pageSize?: number;
  /** Runs one object job to its end (it checkpoints on its own). */
  runJob: (job: ObjectJob) => Promise<void>;
  /** A job finished: fold it into the task's totals and drop it from `inFlight`, then checkpoint. */
  finished: (job: ObjectJob) => Promise<void>;
  checkpoint: () => Promise<void>;
}

export async function folderCopy(args: FolderCopyArgs): Promise<void> {
  const { state, signal } = args;
  const slots = new Limiter(args.concurrency);
  const running = new Set<Promise<void>>();
  let failure: { err: unknown } | undefined;

  const launch = async (job: ObjectJob) => {
    const release = await slots.acquire(signal);
    if (failure) {
      release();
      return;
    }
    let released = false;
    const free = () => {
      if (!released) release();
      released = true;
    };
    const run = (async () => {
      try {
        await args.runJob(job);
        free(); // its requests are over: recording it on disk needs no slot
        await args.finished(job);
      } catch (err) {
        failure ??= { err };
      } finally {
        free();
      }
    })();
    running.add(run);
    void run.finally(() => running.delete(run));
  };

  try {
    // Jobs the checkpoint left unfinished go first, exactly as recorded (keep-both names included).
    for (const job of [...state.inFlight]) {
      if (failure) break;
      await launch(job);
    }
    if (!state.listingDone) {
      const list: ListOptions = { prefix: args.prefix, maxKeys: args.pageSize ?? 1000 };
      if (state.cursor) list.startAfter = state.cursor;
      let token: string | undefined;
      listing: for (;;) {
        const page = await args.src.store.listObjects(
          args.src.bucket,
          token ? { ...list, continuationToken: token } : list,
          { signal },
        );
        for (const entry of page.objects) {
          if (failure) break listing;
          const job = newJob(
            entry.key,
            keyInFolder(entry.key, args.prefix, args.destFolderPrefix),
            args.overwrite,
          );
          job.listed = { size: entry.size, etag: entry.etag, lastModified: entry.lastModified };
          // An Appendable object is never copied from the listing alone (object-job.ts, chooseStrategy).
          if (entry.objectType === 'Appendable') job.listed.appendable = true;
          state.inFlight.push(job);
          state.cursor = entry.key;
          state.objectsListed++;
          state.bytesListed += entry.size;
          await launch(job);
        }
        if (!page.nextToken) break;
        token = page.nextToken;
      }
      if (!failure) {
        state.listingDone = true;
        await args.checkpoint();
      }
    }
  } catch (err) {
    failure ??= { err };
  }
  while (running.size > 0) await Promise.all([...running]);
  if (failure) throw failure.err;
}
