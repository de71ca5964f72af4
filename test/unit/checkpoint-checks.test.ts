/**
 * Issue 19, items 1 and 11: a checkpoint whose hash matches is not yet a checkpoint to act on.
 * Hand-made bodies, re-hashed so the envelope is sound, with one field out of range each, are moved
 * to `checkpoints/corrupt/` with the reason; a re-hashed checkpoint claiming an object copied (or
 * skipped, or half moved) is believed only once the destination bears it out; a checkpoint of a
 * folder copied into itself is refused on reload; part sizes above 5 GiB are refused where they are
 * set (settings, copy options, the CLI's flags).
 */
import assert from 'node:assert/strict';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { fingerprintOf, type ObjectJob } from '../../main/copy/job';
import { planOptions } from '../../main/cli/copy-request';
import { UsageError } from '../../main/cli/errors';
import { EventBus } from '../../main/core/events';
import { DEFAULT_SETTINGS, SettingsStore } from '../../main/core/settings';
import { LocalStore } from '../../main/storage/local/local-store';
import { CheckpointStore, decodeCheckpoint, encodeCheckpoint } from '../../main/tasks/checkpoints';
import { CopyEngine } from '../../main/tasks/copy-engine';
import type { TaskRecord } from '../../main/tasks/task-record';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'ferry-checkpoint-checks-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const fresh = () => mkdtempSync(path.join(tmp, 'c-'));
const GiB = 1024 ** 3;
const LM = '2026-01-01T00:00:00.000Z';

/** A sound multipart copy in progress: 10,000 bytes in parts of 4,000, two of three done. */
function multipartTask(): TaskRecord {
  return {
    id: 't1',
    kind: 'object',
    priority: 0,
    seq: 0,
    createdAt: LM,
    state: 'running',
    source: { profileId: 'p', bucket: 'bkt', key: 'src/x.bin', isFolder: false },
    destination: { profileId: 'p', bucket: 'bkt', prefix: 'dst/' },
    options: { metadataDirective: 'COPY', conflict: 'overwrite', partSize: 4000 },
    destinationKey: 'dst/x.bin',
    completed: { objects: 0, bytes: 0, parts: 0 },
    object: {
      srcKey: 'src/x.bin',
      dstKey: 'dst/x.bin',
      conflictResolved: true,
      phase: 'copying',
      strategy: 'multipart-copy',
      fingerprint: { size: 10_000, etag: 'abc', lastModified: LM },
      initiatingAt: LM,
      uploadId: 'u1',
      partSize: 4000,
      doneParts: [
        { number: 1, etag: 'e1', size: 4000 },
        { number: 2, etag: 'e2', size: 4000 },
      ],
    },
  };
}

/** A sound folder copy: 5 listed, 3 finished, 2 in flight. */
function folderTask(): TaskRecord {
  const job = (n: number): ObjectJob => ({
    srcKey: `a/${n}.txt`,
    dstKey: `b/a/${n}.txt`,
    conflictResolved: true,
    phase: 'pending',
    doneParts: [],
  });
  return {
    id: 't2',
    kind: 'folder',
    priority: 0,
    seq: 1,
    createdAt: LM,
    state: 'queued',
    source: { profileId: 'p', bucket: 'bkt', key: 'a/', isFolder: true },
    destination: { profileId: 'p', bucket: 'bkt', prefix: 'b/' },
    options: { metadataDirective: 'COPY', conflict: 'overwrite' },
    destinationKey: 'b/a/',
    completed: { objects: 3, bytes: 30, parts: 3 },
    folder: {
      cursor: 'a/4.txt',
      listingDone: false,
      inFlight: [job(3), job(4)],
      objectsListed: 5,
      bytesListed: 50,
    },
  };
}

describe('checkpoint fields are range-checked after the hash', () => {
  it('sound multipart and folder checkpoints decode unchanged', () => {
    assert.deepEqual(decodeCheckpoint(encodeCheckpoint(multipartTask())), multipartTask());
    assert.deepEqual(decodeCheckpoint(encodeCheckpoint(folderTask())), folderTask());
  });

  const job = (t: TaskRecord) => t.object as unknown as Record<string, unknown>;
  const cases: [string, (t: TaskRecord) => void, RegExp][] = [
    ['a part size of 1e15 in the options', (t) => (t.options.partSize = 1e15), /part size is at most 5 GiB/],
    ['a job part size of 6 GiB', (t) => (t.object!.partSize = 6 * GiB), /partSize .* outside 1 byte … 5 GiB/],
    ['a job part size of 0', (t) => (t.object!.partSize = 0), /partSize 0 is outside/],
    [
      'a negative object size',
      (t) => (t.object!.fingerprint!.size = -1),
      /fingerprint\.size is not a whole number/,
    ],
    ['a fractional object size', (t) => (t.object!.fingerprint!.size = 1.5), /fingerprint\.size/],
    ['an object size beyond 2^53', (t) => (t.object!.fingerprint!.size = 2 ** 60), /fingerprint\.size/],
    ['part number 0', (t) => (t.object!.doneParts[0]!.number = 0), /not a part number/],
    ['part number 10001', (t) => (t.object!.doneParts[0]!.number = 10_001), /not a part number/],
    ['the same part twice', (t) => (t.object!.doneParts[1]!.number = 1), /records part 1 twice/],
    ['a part beyond the plan', (t) => (t.object!.doneParts[1]!.number = 4), /beyond the 3 part\(s\)/],
    ['a part of the wrong length', (t) => (t.object!.doneParts[1]!.size = 3999), /not the planned 4000/],
    [
      'more than 10,000 parts',
      (t) => {
        t.object!.partSize = 1;
        t.object!.fingerprint!.size = 10_001;
        t.object!.doneParts = [];
      },
      /plans 10001 parts; at most 10000 exist/,
    ],
    ['a negative completed byte count', (t) => (t.completed.bytes = -5), /completed\.bytes/],
    ['two objects done in a one-object task', (t) => (t.completed.objects = 2), /more than one object/],
    ['an unknown phase', (t) => (job(t).phase = 'finished'), /phase is not a phase/],
    [
      'an upload without a plan',
      (t) => {
        delete t.object!.partSize;
        t.object!.doneParts = [];
      },
      /has an upload but no part plan/,
    ],
    [
      'done with no source recorded',
      (t) => {
        t.object!.phase = 'done';
        delete t.object!.fingerprint;
        delete t.object!.uploadId;
        t.object!.doneParts = [];
      },
      /done but records no source/,
    ],
    [
      'a destination key elsewhere',
      (t) => (t.destinationKey = 'elsewhere/x.bin'),
      /destinationKey is not where/,
    ],
    ['a job writing outside its folder', (t) => (t.object!.dstKey = 'other/x.bin'), /dstKey lies outside/],
    [
      'a job reading another source',
      (t) => (t.object!.srcKey = 'src/y.bin'),
      /srcKey (is not the task source|lies outside the task's source)/,
    ],
    ['a state that does not exist', (t) => ((t as { state: string }).state = 'finished'), /state is not/],
  ];
  for (const [name, change, reason] of cases) {
    it(`refuses ${name}`, () => {
      const t = multipartTask();
      change(t);
      assert.throws(() => decodeCheckpoint(encodeCheckpoint(t)), {
        name: 'CheckpointError',
        message: reason,
      });
    });
  }

  it('refuses folder counts that disagree, a cursor outside the folder and an in-flight job outside it', () => {
    const more = folderTask();
    more.completed.objects = 4;
    assert.throws(
      () => decodeCheckpoint(encodeCheckpoint(more)),
      /counts disagree: 4 finished \+ 2 in flight ≠ 5 listed/,
    );
    const cursor = folderTask();
    cursor.folder!.cursor = 'z/9.txt';
    assert.throws(() => decodeCheckpoint(encodeCheckpoint(cursor)), /cursor lies outside the source folder/);
    const outside = folderTask();
    outside.folder!.inFlight[0]!.dstKey = 'a/3.txt';
    assert.throws(
      () => decodeCheckpoint(encodeCheckpoint(outside)),
      /dstKey lies outside the task's destination/,
    );
  });

  it('refuses a folder copied into itself (a/ into a/ → a/a/) and one moved onto itself', () => {
    const loop = folderTask();
    loop.destination.prefix = 'a/';
    loop.destinationKey = 'a/a/';
    loop.folder!.inFlight = [];
    loop.completed.objects = 5;
    assert.throws(
      () => decodeCheckpoint(encodeCheckpoint(loop)),
      /copy into itself .*"p:bkt\/a\/a\/" lies inside it/,
    );
    const moved = folderTask();
    moved.destination.prefix = '';
    moved.destinationKey = 'a/';
    moved.folder!.inFlight = [];
    moved.completed.objects = 5;
    moved.options.move = true;
    assert.throws(() => decodeCheckpoint(encodeCheckpoint(moved)), /moving the folder .* onto itself/);
  });
});

/** An engine on one Local store, with whatever checkpoints the test put in its folder. */
function localEngine(dataDir: string) {
  const local = new LocalStore(path.join(dataDir, 'local'));
  const engine = new CopyEngine({
    layout: { checkpoints: path.join(dataDir, 'checkpoints') },
    stores: { storeFor: () => local },
    settings: { get: () => DEFAULT_SETTINGS },
    bus: new EventBus(),
    logger: { debug() {}, info() {}, warn() {}, error() {}, redact: (s: string) => s },
  });
  return { local, engine };
}

async function seeded(body: Buffer) {
  const dataDir = fresh();
  const { local, engine } = localEngine(dataDir);
  await fs.mkdir(path.join(dataDir, 'local', 'bkt'), { recursive: true });
  await local.putObject('bkt', 'src/x.bin', body, body.length, {});
  const head = await local.headObject({ bucket: 'bkt', key: 'src/x.bin' });
  const dstFile = path.join(dataDir, 'local', 'bkt', 'dst', 'x.bin');
  const srcFile = path.join(dataDir, 'local', 'bkt', 'src', 'x.bin');
  return { dataDir, local, engine, head, dstFile, srcFile };
}

function writeCheckpoint(dataDir: string, task: TaskRecord): void {
  const dir = path.join(dataDir, 'checkpoints');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, `task-${task.id}.json`), encodeCheckpoint(task));
}

function claimedDone(
  head: ReturnType<typeof fingerprintOf>,
  phase: ObjectJob['phase'],
  extra: Partial<TaskRecord> = {},
) {
  const t = multipartTask();
  t.options = { metadataDirective: 'COPY', conflict: 'overwrite', ...(extra.options ?? {}) };
  t.object = {
    srcKey: 'src/x.bin',
    dstKey: 'dst/x.bin',
    conflictResolved: true,
    phase,
    strategy: 'copy-object',
    fingerprint: head,
    doneParts: [{ number: 1, etag: head.etag, size: head.size }],
  };
  return t;
}

describe('a re-hashed checkpoint cannot report an object that is not there', () => {
  const body = Buffer.from('the only copy of these bytes');

  it('an object task recorded as done, with no destination, is copied in this run before it is reported done', async () => {
    const { dataDir, engine, head, dstFile } = await seeded(body);
    writeCheckpoint(dataDir, claimedDone(fingerprintOf(head), 'done'));
    await engine.start({ autoResume: true });
    const done = await engine.waitFor('t1');
    await engine.close();
    assert.equal(done.state, 'done', JSON.stringify(done.error));
    assert.ok(existsSync(dstFile), 'the destination exists');
    assert.ok(readFileSync(dstFile).equals(body));
  });

  it('a move recorded as deleting its source, with no destination, copies first and never deletes the only copy', async () => {
    const { dataDir, engine, head, dstFile, srcFile } = await seeded(body);
    writeCheckpoint(
      dataDir,
      claimedDone(fingerprintOf(head), 'deleting-source', {
        options: { metadataDirective: 'COPY', conflict: 'overwrite', move: true },
      }),
    );
    await engine.start({ autoResume: true });
    const done = await engine.waitFor('t1');
    await engine.close();
    assert.equal(done.state, 'done', JSON.stringify(done.error));
    assert.ok(readFileSync(dstFile).equals(body), 'the bytes arrived before the source went');
    assert.equal(existsSync(srcFile), false, 'the move finished');
  });

  it('a skip recorded for a destination that does not exist is decided again, and the object copied', async () => {
    const { dataDir, engine, head, dstFile } = await seeded(body);
    const t = claimedDone(fingerprintOf(head), 'pending', {
      options: { metadataDirective: 'COPY', conflict: 'skip-if-same' },
    });
    t.object!.skipped = true;
    t.object!.doneParts = [];
    delete t.object!.strategy;
    writeCheckpoint(dataDir, t);
    await engine.start({ autoResume: true });
    const done = await engine.waitFor('t1');
    await engine.close();
    assert.equal(done.state, 'done', JSON.stringify(done.error));
    assert.ok(readFileSync(dstFile).equals(body));
  });

  it('a skip recorded as done, with no destination, is not believed either: the object is copied', async () => {
    const { dataDir, engine, head, dstFile } = await seeded(body);
    const t = claimedDone(fingerprintOf(head), 'done', {
      options: { metadataDirective: 'COPY', conflict: 'skip-if-same' },
    });
    t.object!.skipped = true;
    writeCheckpoint(dataDir, t);
    await engine.start({ autoResume: true });
    const done = await engine.waitFor('t1');
    await engine.close();
    assert.equal(done.state, 'done', JSON.stringify(done.error));
    assert.ok(readFileSync(dstFile).equals(body));
  });

  it('a done object whose destination is there and matches is not copied again', async () => {
    const { dataDir, local, engine, head, dstFile } = await seeded(body);
    await local.putObject('bkt', 'dst/x.bin', body, body.length, {});
    const mtime = (await fs.stat(dstFile)).mtimeMs;
    writeCheckpoint(dataDir, claimedDone(fingerprintOf(head), 'done'));
    await engine.start({ autoResume: true });
    const done = await engine.waitFor('t1');
    await engine.close();
    assert.equal(done.state, 'done');
    assert.equal((await fs.stat(dstFile)).mtimeMs, mtime, 'not rewritten');
  });
});

describe('copies into themselves at the engine', () => {
  it('a checkpoint of a/ copied into a/ is moved to corrupt/ at start and copies nothing', async () => {
    const dataDir = fresh();
    const { local, engine } = localEngine(dataDir);
    await fs.mkdir(path.join(dataDir, 'local', 'bkt'), { recursive: true });
    for (let i = 0; i < 5; i++) await local.putObject('bkt', `a/${i}.txt`, Buffer.from(`${i}`), 1, {});
    const loop = folderTask();
    loop.destination.prefix = 'a/';
    loop.destinationKey = 'a/a/';
    loop.folder = { listingDone: false, inFlight: [], objectsListed: 0, bytesListed: 0 };
    loop.completed = { objects: 0, bytes: 0, parts: 0 };
    writeCheckpoint(dataDir, loop);
    await engine.start({ autoResume: true });
    const corrupt = engine.corruptCheckpoints();
    await engine.close();
    assert.equal(corrupt.length, 1);
    assert.match(corrupt[0]!.reason, /copy into itself/);
    assert.equal(path.dirname(corrupt[0]!.movedTo), path.join(dataDir, 'checkpoints', 'corrupt'));
    assert.deepEqual(engine.list(), []);
    assert.equal(existsSync(path.join(dataDir, 'local', 'bkt', 'a', 'a')), false);
  });

  it('copy() refuses a whole bucket into a folder of itself, and an object moved onto itself, before recording anything', async () => {
    const dataDir = fresh();
    const { engine } = localEngine(dataDir);
    await engine.start();
    const options = { metadataDirective: 'COPY' as const, conflict: 'overwrite' as const };
    await assert.rejects(
      engine.copy(
        [{ profileId: 'p', bucket: 'bkt', key: '', isFolder: true }],
        { profileId: 'p', bucket: 'bkt', prefix: 'backup/' },
        options,
      ),
      {
        code: 'CopyIntoItself',
        message: /"p:bkt\/" cannot be copied into itself: "p:bkt\/backup\/" lies inside it/,
      },
    );
    await assert.rejects(
      engine.copy(
        [{ profileId: 'p', bucket: 'bkt', key: 'a/x.bin', isFolder: false }],
        { profileId: 'p', bucket: 'bkt', prefix: 'a/' },
        { ...options, conflict: 'skip-if-same', move: true },
      ),
      { code: 'CopyIntoItself', message: /moving "p:bkt\/a\/x\.bin" onto itself would only delete it/ },
    );
    // Into another bucket, or another account's bucket of the same name, is not "into itself".
    const ids = await engine.copy(
      [{ profileId: 'p', bucket: 'bkt', key: '', isFolder: true }],
      { profileId: 'q', bucket: 'bkt', prefix: 'backup/' },
      options,
    );
    assert.equal(ids.length, 1);
    await engine.close();
    assert.deepEqual(
      readdirSync(path.join(dataDir, 'checkpoints')).filter((n) => n.startsWith('task-')),
      [`task-${ids[0]}.json`],
      'only the allowed task was recorded',
    );
  });
});

describe('part sizes are capped at the dialect maximum (5 GiB) where they are set', () => {
  it('settings refuse a part size of 1e15 and of 6 GiB, and a threshold above 5 GiB, keeping the file as it was', async () => {
    const file = path.join(fresh(), 'settings.json');
    const settings = new SettingsStore(file);
    await settings.set({ partSize: 8 * 1024 * 1024 });
    const before = readFileSync(file, 'utf8');
    await assert.rejects(settings.set({ partSize: 1e15 }), /part size is at most 5 GiB/);
    await assert.rejects(settings.set({ partSize: 6 * GiB }), /part size is at most 5 GiB/);
    await assert.rejects(
      settings.set({ multipartThreshold: 5 * GiB + 1 }),
      /multipart threshold is at most 5 GiB/,
    );
    await assert.rejects(settings.set({ partSize: 1024 }), /part size is at least 100 KiB/);
    assert.equal(readFileSync(file, 'utf8'), before);
    assert.equal(settings.get().partSize, 8 * 1024 * 1024);
    await settings.set({ partSize: 5 * GiB });
    assert.equal(settings.get().partSize, 5 * GiB, 'exactly 5 GiB is allowed');
  });

  it('the CLI refuses --part-size and --multipart-threshold above 5 GiB, and below the destination dialect minimum', () => {
    assert.throws(
      () => planOptions({ partSize: '6GiB' }),
      (e: Error) => e instanceof UsageError && /--part-size 6GiB is above 5 GiB/.test(e.message),
    );
    assert.throws(() => planOptions({ multipartThreshold: '1e15' }), UsageError);
    assert.throws(
      () => planOptions({ multipartThreshold: '8GiB' }),
      /--multipart-threshold 8GiB is above 5 GiB/,
    );
    assert.throws(
      () => planOptions({ partSize: '1MiB' }, 5 * 1024 * 1024),
      /--part-size 1MiB is below 5\.0 MiB/,
    );
    assert.equal(planOptions({ partSize: '5GiB' }, 5 * 1024 * 1024).partSize, 5 * GiB);
    assert.equal(planOptions({ partSize: '4000' }, 1).partSize, 4000, 'Local takes any size');
  });

  it('a checkpoint with a part size of 1e15 is set aside in corrupt/ at load, the field named', async () => {
    const dir = fresh();
    const store = new CheckpointStore(dir);
    const bad = multipartTask();
    bad.options.partSize = 1e15;
    writeFileSync(store.fileFor('t1'), encodeCheckpoint(bad));
    const { tasks, corrupt } = await store.loadAll();
    assert.deepEqual(tasks, []);
    assert.match(
      corrupt[0]!.reason,
      /^its body does not describe a task Ferry can run: options: the part size is at most 5 GiB/,
    );
    assert.ok(existsSync(corrupt[0]!.movedTo));
  });
});

describe("a recorded part size outside the destination dialect's bounds", () => {
  it('restarts the object with parts the service takes, aborting the upload of refused parts, instead of completing it', async () => {
    const body = Buffer.alloc(10_000, 3);
    const { dataDir, local, head, dstFile } = await seeded(body);
    // Two parts of 4,000 bytes already uploaded: fine for Local, too small for a service whose
    // smallest part is 5,000 bytes (as S3's 5 MiB is for 5 MiB parts recorded by hand below it).
    const old = await local.createMultipartUpload('bkt', 'dst/x.bin', {});
    const doneParts = [];
    for (const n of [1, 2]) {
      const r = await local.uploadPartCopy(
        'bkt',
        'dst/x.bin',
        old,
        n,
        { bucket: 'bkt', key: 'src/x.bin' },
        { start: (n - 1) * 4000, end: n * 4000 - 1 },
        head.etag,
      );
      doneParts.push({ number: n, etag: r.etag, size: 4000 });
    }
    const t = multipartTask();
    t.object = { ...t.object!, fingerprint: fingerprintOf(head), uploadId: old, doneParts };
    writeCheckpoint(dataDir, t);
    const completed: string[] = [];
    const strict = new Proxy(local, {
      get(target, prop) {
        if (prop === 'capabilities') return { ...target.capabilities, minPartSize: 5000 };
        const value = Reflect.get(target, prop, target) as unknown;
        if (typeof value !== 'function') return value;
        if (prop === 'completeMultipartUpload')
          return (...args: unknown[]) => {
            completed.push(args[2] as string);
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          };
        return (value as (...a: unknown[]) => unknown).bind(target);
      },
    });
    const engine = new CopyEngine({
      layout: { checkpoints: path.join(dataDir, 'checkpoints') },
      stores: { storeFor: () => strict },
      settings: { get: () => DEFAULT_SETTINGS },
      bus: new EventBus(),
      logger: { debug() {}, info() {}, warn() {}, error() {}, redact: (s: string) => s },
    });
    await engine.start({ autoResume: true });
    const done = await engine.waitFor('t1');
    await engine.close();
    assert.equal(done.state, 'done', JSON.stringify(done.error));
    assert.equal(completed.length, 1);
    assert.notEqual(completed[0], old, 'the upload of 4,000-byte parts was not completed');
    const left = [];
    for await (const u of local.listMultipartUploads('bkt')) left.push(u.uploadId);
    assert.deepEqual(left, [], 'and it was aborted');
    assert.ok(readFileSync(dstFile).equals(body));
  });
});
