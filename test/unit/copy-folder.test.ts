/**
 * Folder copies (main/copy/folder-copy.ts) over an in-memory listing: the listing is read page by
 * page as jobs free up (never all of it up front), jobs in flight stay bounded, and every state the
 * task could checkpoint resumes to exactly the objects not finished yet — none missing, none twice.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Endpoint } from '../../main/copy/context';
import { folderCopy, newFolderState, type FolderState } from '../../main/copy/folder-copy';
import type { ObjectJob } from '../../main/copy/job';
import type { ListOptions, ListPage, ObjectStore } from '../../main/storage/provider';

function listingOf(keys: string[]) {
  const sorted = [...keys].sort();
  const calls: ListOptions[] = [];
  const store = {
    async listObjects(_bucket: string, list: ListOptions): Promise<ListPage> {
      calls.push(list);
      const after = list.continuationToken ?? list.startAfter ?? '';
      const matching = sorted.filter((k) => k.startsWith(list.prefix ?? '') && k > after);
      const page = matching.slice(0, list.maxKeys ?? 1000);
      const out: ListPage = {
        objects: page.map((key) => ({ key, size: 1, etag: 'e', lastModified: '' })),
        prefixes: [],
      };
      if (matching.length > page.length) out.nextToken = page.at(-1)!;
      return out;
    },
  } as unknown as ObjectStore;
  const src: Endpoint = { store, profileId: 'p', bucket: 'src' };
  return { src, calls };
}

const keys = (n: number) => Array.from({ length: n }, (_, i) => `dir/k${String(i).padStart(3, '0')}`);
const tick = () => new Promise((r) => setImmediate(r));

describe('folder copy', () => {
  it('lists lazily, page by page, and keeps at most `concurrency` jobs running', async () => {
    const { src, calls } = listingOf([...keys(10), 'other/x']);
    const state = newFolderState();
    let running = 0;
    let peak = 0;
    let listCallsAtFirstJob = -1;
    let peakInFlight = 0;
    const copied: string[] = [];
    await folderCopy({
      src,
      prefix: 'dir/',
      destFolderPrefix: 'out/dir/',
      state,
      overwrite: true,
      concurrency: () => 2,
      signal: new AbortController().signal,
      pageSize: 3,
      runJob: async (job) => {
        if (listCallsAtFirstJob < 0) listCallsAtFirstJob = calls.length;
        running++;
        peak = Math.max(peak, running);
        peakInFlight = Math.max(peakInFlight, state.inFlight.length);
        await tick();
        await tick();
        copied.push(`${job.srcKey}→${job.dstKey}`);
        running--;
      },
      finished: async (job) => {
        state.inFlight = state.inFlight.filter((j) => j !== job);
      },
      checkpoint: async () => undefined,
    });
    assert.equal(listCallsAtFirstJob, 1, 'the first object was copied before the second page was read');
    assert.equal(calls.length, 4, 'ten objects in pages of three');
    assert.equal(peak, 2);
    assert.ok(peakInFlight <= 3, `${peakInFlight} jobs recorded in flight`);
    assert.deepEqual(
      copied.sort(),
      keys(10).map((k) => `${k}→out/${k}`),
    );
    assert.equal(state.listingDone, true);
    assert.equal(state.objectsListed, 10);
    assert.deepEqual(state.inFlight, []);
  });

  it('every checkpointed state resumes to exactly the objects not finished: none missing, none copied twice', async () => {
    const all = keys(25);
    const { src } = listingOf(all);
    const state = newFolderState();
    const finishedSoFar = new Set<string>();
    const snapshots: { state: FolderState; finished: Set<string> }[] = [];
    const snap = () =>
      snapshots.push({
        state: JSON.parse(JSON.stringify(state)) as FolderState,
        finished: new Set(finishedSoFar),
      });
    let n = 0;
    await folderCopy({
      src,
      prefix: 'dir/',
      destFolderPrefix: 'out/',
      state,
      overwrite: true,
      concurrency: () => 3,
      signal: new AbortController().signal,
      pageSize: 4,
      runJob: async (job) => {
        job.phase = 'copying';
        snap(); // an object job checkpoints the whole task while it runs
        for (let i = 0; i < (n++ % 3) + 1; i++) await tick(); // finish out of order
        job.phase = 'done';
      },
      finished: async (job) => {
        state.inFlight = state.inFlight.filter((j) => j !== job);
        finishedSoFar.add(job.srcKey);
        snap();
      },
      checkpoint: async () => {
        snap();
      },
    });
    assert.ok(snapshots.length > 40);

    for (const [i, s] of snapshots.entries()) {
      const resumed: string[] = [];
      const resumeState = JSON.parse(JSON.stringify(s.state)) as FolderState;
      await folderCopy({
        src,
        prefix: 'dir/',
        destFolderPrefix: 'out/',
        state: resumeState,
        overwrite: true,
        concurrency: () => 3,
        signal: new AbortController().signal,
        pageSize: 4,
        runJob: async (job: ObjectJob) => {
          resumed.push(job.srcKey);
        },
        finished: async (job) => {
          resumeState.inFlight = resumeState.inFlight.filter((j) => j !== job);
        },
        checkpoint: async () => undefined,
      });
      const twice = resumed.filter((k) => s.finished.has(k));
      assert.deepEqual(twice, [], `snapshot ${i}: finished objects copied again`);
      const missing = all.filter((k) => !s.finished.has(k) && !resumed.includes(k));
      assert.deepEqual(missing, [], `snapshot ${i}: objects never copied`);
      assert.equal(new Set(resumed).size, resumed.length, `snapshot ${i}: an object copied twice on resume`);
    }
  });

  it('stops listing and starting jobs after a job fails, waits for the running ones, and reports the failure', async () => {
    const { src, calls } = listingOf(keys(30));
    const state = newFolderState();
    const started: string[] = [];
    await assert.rejects(
      folderCopy({
        src,
        prefix: 'dir/',
        destFolderPrefix: 'out/',
        state,
        overwrite: true,
        concurrency: () => 2,
        signal: new AbortController().signal,
        pageSize: 5,
        runJob: async (job) => {
          started.push(job.srcKey);
          await tick();
          if (job.srcKey === 'dir/k003') throw new Error('AccessDenied on k003');
        },
        finished: async (job) => {
          state.inFlight = state.inFlight.filter((j) => j !== job);
        },
        checkpoint: async () => undefined,
      }),
      /AccessDenied on k003/,
    );
    assert.ok(started.length < 10, `${started.length} jobs started`);
    assert.ok(calls.length <= 2);
    assert.equal(state.listingDone, false, 'a retry continues the listing');
    assert.ok(
      state.inFlight.some((j) => j.srcKey === 'dir/k003'),
      'the failed object is kept for the retry',
    );
  });
});
