/**
 * The checkpoint format and store (main/tasks/checkpoints.ts): a self-checked envelope with a
 * format version and SHA-256, files replaced atomically, damaged or foreign files reported and set
 * aside, and — from a real engine run — what a multipart checkpoint records, and that it never
 * records a secret.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import type { ObjectJob } from '../../main/copy/job';
import { EventBus } from '../../main/core/events';
import { DEFAULT_SETTINGS } from '../../main/core/settings';
import { LocalStore } from '../../main/storage/local/local-store';
import type { ObjectStore } from '../../main/storage/provider';
import {
  CHECKPOINT_FORMAT,
  CHECKPOINT_VERSION,
  CheckpointError,
  CheckpointStore,
  decodeCheckpoint,
  encodeCheckpoint,
} from '../../main/tasks/checkpoints';
import { CopyEngine } from '../../main/tasks/copy-engine';
import type { TaskRecord } from '../../main/tasks/task-record';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'ferry-checkpoints-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const fresh = () => mkdtempSync(path.join(tmp, 'c-'));

function record(id: string, extra: Partial<TaskRecord> = {}): TaskRecord {
  return {
    id,
    kind: 'object',
    priority: 0,
    seq: 0,
    createdAt: '2026-01-01T00:00:00.000Z',
    state: 'running',
    source: { profileId: 'a', bucket: 'src', key: 'k.bin', isFolder: false },
    destination: { profileId: 'b', bucket: 'dst', prefix: '' },
    options: { metadataDirective: 'COPY', conflict: 'overwrite' },
    destinationKey: 'k.bin',
    completed: { objects: 0, bytes: 0, parts: 0 },
    object: { srcKey: 'k.bin', dstKey: 'k.bin', conflictResolved: true, phase: 'pending', doneParts: [] },
    ...extra,
  };
}

function envelope(text: string): { format: string; version: number; sha256: string; body: string } {
  return JSON.parse(text) as { format: string; version: number; sha256: string; body: string };
}

describe('checkpoint format', () => {
  it('wraps the task in {format, version, sha256, body} and decodes it back unchanged', () => {
    const task = record('t1');
    const text = encodeCheckpoint(task);
    const outer = envelope(text);
    assert.equal(outer.format, CHECKPOINT_FORMAT);
    assert.equal(outer.version, CHECKPOINT_VERSION);
    assert.equal(outer.sha256, createHash('sha256').update(outer.body).digest('hex'));
    assert.deepEqual(decodeCheckpoint(text), task);
  });

  it('rejects a body changed by one character: the checksum no longer matches', () => {
    const outer = envelope(encodeCheckpoint(record('t1')));
    outer.body = outer.body.replace('"dst"', '"dsT"');
    assert.throws(() => decodeCheckpoint(JSON.stringify(outer)), {
      name: 'CheckpointError',
      message: 'its checksum does not match (damaged)',
    });
  });

  it('rejects another format version, even with a correct checksum', () => {
    const outer = envelope(encodeCheckpoint(record('t1')));
    assert.throws(() => decodeCheckpoint(JSON.stringify({ ...outer, version: CHECKPOINT_VERSION + 1 })), {
      message: `its format version ${CHECKPOINT_VERSION + 1} is not supported`,
    });
  });

  it('rejects truncated JSON, other formats and a checksummed body that is not a task', () => {
    const text = encodeCheckpoint(record('t1'));
    assert.throws(() => decodeCheckpoint(text.slice(0, text.length / 2)), {
      message: 'it is not valid JSON',
    });
    assert.throws(() => decodeCheckpoint('{"format":"x"}'), { message: 'it is not a Ferry task checkpoint' });
    const body = JSON.stringify({ id: 't1', kind: 'object' });
    const forged = {
      format: CHECKPOINT_FORMAT,
      version: CHECKPOINT_VERSION,
      sha256: createHash('sha256').update(body).digest('hex'),
      body,
    };
    assert.throws(() => decodeCheckpoint(JSON.stringify(forged)), {
      message: 'its body does not describe a task',
    });
    assert.throws(() => decodeCheckpoint('null'), CheckpointError);
  });
});

describe('CheckpointStore', () => {
  it('writes owner-only files in an owner-only folder and leaves no temporary file behind', async () => {
    const dir = path.join(fresh(), 'checkpoints');
    const store = new CheckpointStore(dir);
    await store.save(record('t1'));
    assert.deepEqual(readdirSync(dir), ['task-t1.json']);
    assert.equal(statSync(path.join(dir, 'task-t1.json')).mode & 0o777, 0o600);
    assert.equal(statSync(dir).mode & 0o777, 0o700);
  });

  it('replaces the file atomically: a reader during hundreds of saves only ever sees a complete checkpoint', async () => {
    const dir = fresh();
    const store = new CheckpointStore(dir);
    const task = record('t1');
    await store.save(task);
    const file = store.fileFor('t1');
    let writing = true;
    let reads = 0;
    const reader = (async () => {
      while (writing) {
        const text = await fs.readFile(file, 'utf8');
        decodeCheckpoint(text); // throws on a partial or mixed file
        reads++;
        await new Promise((r) => setImmediate(r));
      }
    })();
    const big = Array.from({ length: 2000 }, (_, i) => ({ number: i + 1, etag: 'e'.repeat(32), size: 5 }));
    for (let i = 0; i < 300; i++) {
      task.completed.parts = i;
      task.object!.doneParts = big.slice(0, (i * 7) % 2000);
      await store.save(task);
    }
    writing = false;
    await reader;
    assert.ok(reads > 0);
    assert.equal(decodeCheckpoint(readFileSync(file, 'utf8')).completed.parts, 299);
  });

  it('after `await save(t)` the file holds at least the state t had at the call, even with saves in flight', async () => {
    const store = new CheckpointStore(fresh());
    const task = record('t1');
    const saves: Promise<void>[] = [];
    for (let i = 1; i <= 50; i++) {
      task.completed.parts = i;
      saves.push(store.save(task));
    }
    await saves[9];
    assert.ok(decodeCheckpoint(readFileSync(store.fileFor('t1'), 'utf8')).completed.parts >= 10);
    await Promise.all(saves);
    assert.equal(decodeCheckpoint(readFileSync(store.fileFor('t1'), 'utf8')).completed.parts, 50);
  });

  it('loads sound checkpoints and moves damaged, foreign and misnamed ones to corrupt/ with the reason', async () => {
    const dir = fresh();
    const store = new CheckpointStore(dir);
    await store.save(record('good'));
    await store.save(record('tampered'));
    const tampered = store.fileFor('tampered');
    writeFileSync(tampered, readFileSync(tampered, 'utf8').replace('k.bin', 'k.biN'));
    writeFileSync(store.fileFor('empty'), '');
    writeFileSync(store.fileFor('other'), encodeCheckpoint(record('someone-else')));
    writeFileSync(path.join(dir, 'notes.txt'), 'not a checkpoint name: ignored');

    const { tasks, corrupt } = await store.loadAll();
    assert.deepEqual(
      tasks.map((t) => t.id),
      ['good'],
    );
    assert.deepEqual(
      corrupt.map((c) => [path.basename(c.file), c.reason]),
      [
        ['task-empty.json', 'it is not valid JSON'],
        ['task-other.json', 'it belongs to task someone-else, not other'],
        ['task-tampered.json', 'its checksum does not match (damaged)'],
      ],
    );
    for (const c of corrupt) {
      assert.ok(!existsSync(c.file), `${c.file} was moved`);
      assert.ok(existsSync(c.movedTo));
      assert.equal(path.dirname(c.movedTo), path.join(dir, 'corrupt'));
    }
    // Set aside once: the next start finds only the sound one and reports nothing.
    const again = await store.loadAll();
    assert.deepEqual(
      again.tasks.map((t) => t.id),
      ['good'],
    );
    assert.deepEqual(again.corrupt, []);
    assert.ok(existsSync(path.join(dir, 'notes.txt')));
  });

  it('remove also deletes temporary files a killed write left behind for that task, and only those', async () => {
    const dir = fresh();
    const store = new CheckpointStore(dir);
    await store.save(record('t1'));
    await store.save(record('t2'));
    writeFileSync(path.join(dir, 'task-t1.json.8b1a9953c4611296'), '{"format":"ferry-task-che');
    writeFileSync(path.join(dir, 'task-t2.json.3c6e0b8a9c15224a'), '{"format":"ferry-task-che');
    await store.remove('t1');
    assert.deepEqual(readdirSync(dir).sort(), ['task-t2.json', 'task-t2.json.3c6e0b8a9c15224a']);
  });

  /** The `completed.objects` of every write the store starts, in order. */
  function writesOf(store: CheckpointStore): number[] {
    const writes: number[] = [];
    const realWrite = store['startWrite'].bind(store);
    store['startWrite'] = (t: TaskRecord) => {
      writes.push(t.completed.objects);
      return realWrite(t);
    };
    return writes;
  }

  it('saveSoon folds the steps of one interval into one write; flush and remove do not wait for the interval', async () => {
    const store = new CheckpointStore(fresh());
    const task = record('t1');
    const writes = writesOf(store);
    const soon: Promise<void>[] = [];
    for (let i = 1; i <= 20; i++) {
      task.completed.objects = i;
      soon.push(store.saveSoon(task, 50));
    }
    assert.ok(!existsSync(store.fileFor('t1')), 'nothing written before the interval ends');
    await Promise.all(soon);
    assert.deepEqual(writes, [20], 'one write, holding the last state');
    assert.equal(decodeCheckpoint(readFileSync(store.fileFor('t1'), 'utf8')).completed.objects, 20);

    task.completed.objects = 21;
    const late = store.saveSoon(task, 60_000);
    const started = Date.now();
    await store.flush('t1');
    await late;
    assert.ok(Date.now() - started < 5_000, 'flush wrote the deferred state at once');
    assert.equal(decodeCheckpoint(readFileSync(store.fileFor('t1'), 'utf8')).completed.objects, 21);

    void store.saveSoon(task, 60_000);
    await store.remove('t1');
    assert.ok(!existsSync(store.fileFor('t1')), 'a deferred write does not bring a removed checkpoint back');
  });

  it('save while a write is deferred makes that one write now: one write, and both callers wait for it', async () => {
    const store = new CheckpointStore(fresh());
    const task = record('t1');
    const writes = writesOf(store);
    task.completed.objects = 1;
    const soon = store.saveSoon(task, 60_000);
    task.completed.objects = 2;
    const started = Date.now();
    await store.save(task);
    await soon;
    assert.ok(Date.now() - started < 5_000, 'the deferred write did not wait for its interval');
    assert.deepEqual(writes, [2], 'one write, holding the state at the save');
    assert.equal(decodeCheckpoint(readFileSync(store.fileFor('t1'), 'utf8')).completed.objects, 2);
  });

  it('remove deletes the file after pending writes, so a late write cannot bring it back', async () => {
    const store = new CheckpointStore(fresh());
    const task = record('t1');
    void store.save(task);
    void store.save(task);
    await store.remove('t1');
    assert.ok(!existsSync(store.fileFor('t1')));
  });
});

describe('what the engine checkpoints', () => {
  it('a multipart copy in progress records source fingerprint, upload id, part size, finished parts and the exact Initiate options — and no secret', async () => {
    const dataDir = fresh();
    const root = path.join(dataDir, 'local');
    const local = new LocalStore(root);
    await fs.mkdir(path.join(root, 'bkt'), { recursive: true });
    const body = Buffer.alloc(10_000, 1);
    await local.putObject('bkt', 'src/x.bin', body, body.length, {
      metadata: { contentType: 'application/x-test', cacheControl: 'no-cache', userMeta: { who: 'me' } },
      tagging: 'a=1',
    });
    const SECRET = 'SECRET-do-not-write-me-0123456789';
    // A store that carries credentials the way cloud stores do: a checkpoint that serialised a
    // store (or anything holding one) would contain them.
    let release: () => void = () => undefined;
    let reachedPart3: () => void = () => undefined;
    const atPart3 = new Promise<void>((r) => (reachedPart3 = r));
    const gate = new Promise<void>((r) => (release = r));
    const store = new Proxy(local, {
      get(target, prop) {
        if (prop === 'credentials') return { accessKeyId: 'AKID', secretAccessKey: SECRET };
        const value = Reflect.get(target, prop, target) as unknown;
        if (typeof value !== 'function') return value;
        if (prop !== 'uploadPartCopy') return (value as (...a: unknown[]) => unknown).bind(target);
        return async (...args: unknown[]) => {
          if (args[3] === 3) {
            reachedPart3();
            await gate;
          }
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    }) as unknown as ObjectStore & { credentials: unknown };
    const engine = new CopyEngine({
      layout: { checkpoints: path.join(dataDir, 'checkpoints') },
      stores: { storeFor: () => store },
      settings: { get: () => ({ ...DEFAULT_SETTINGS, partsInFlight: 1 }) },
      bus: new EventBus(),
      logger: { debug() {}, info() {}, warn() {}, error() {}, redact: (s: string) => s },
    });
    const [id] = await engine.copy(
      [{ profileId: 'p', bucket: 'bkt', key: 'src/x.bin', isFolder: false }],
      { profileId: 'p', bucket: 'bkt', prefix: 'dst/' },
      { metadataDirective: 'COPY', conflict: 'overwrite', multipartThreshold: 4000, partSize: 4000 },
    );
    await atPart3;
    // Finished parts are recorded within FINISHED_WORK_CHECKPOINT_MS (100 ms), not one write each.
    const file = path.join(dataDir, 'checkpoints', `task-${id}.json`);
    const deadline = Date.now() + 2000;
    let text = readFileSync(file, 'utf8');
    while ((decodeCheckpoint(text).object as ObjectJob).doneParts.length < 2 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
      text = readFileSync(file, 'utf8');
    }
    release();
    const done = await engine.waitFor(id!);
    await engine.close();
    assert.equal(done.state, 'done', JSON.stringify(done.error));

    assert.ok(!text.includes(SECRET) && !text.includes('AKID'), 'no credential in the checkpoint');
    const task = decodeCheckpoint(text);
    const job = task.object as ObjectJob;
    const head = await local.headObject({ bucket: 'bkt', key: 'src/x.bin' });
    assert.deepEqual(job.fingerprint, { size: 10_000, etag: head.etag, lastModified: head.lastModified });
    assert.equal(job.strategy, 'multipart-copy');
    assert.equal(job.phase, 'copying');
    assert.equal(typeof job.uploadId, 'string');
    assert.equal(job.partSize, 4000);
    assert.deepEqual(
      job.doneParts.map((p) => [p.number, p.size]),
      [
        [1, 4000],
        [2, 4000],
      ],
    );
    assert.deepEqual(job.initiate, {
      metadata: { contentType: 'application/x-test', cacheControl: 'no-cache', userMeta: { who: 'me' } },
      tagging: 'a=1',
    });
    assert.ok(readFileSync(path.join(root, 'bkt', 'dst', 'x.bin')).equals(body));
  });
});
