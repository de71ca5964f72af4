/**
 * The Local provider's temp files: every failed write removes its own, and the leftovers of a killed
 * run are swept only by the process that holds the engine lock, and only when their writer is gone.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { StorageError } from '../../main/storage/errors';
import { LocalStore } from '../../main/storage/local/local-store';
import { isStaleTempName, STALE_AFTER_MS, tempName } from '../../main/storage/local/temp-files';
import { appServiceOptions, createApp } from '../../main/app/wiring';

const code = (c: string) => (err: unknown) => err instanceof StorageError && err.code === c;

function failingStream(afterBytes: number): Readable {
  let sent = 0;
  return new Readable({
    read() {
      if (sent >= afterBytes) return this.destroy(new Error('the source connection was reset'));
      sent += 1024;
      this.push(Buffer.alloc(1024, 1));
    },
  });
}

async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.on('close', resolve));
  return child.pid!;
}

describe('temp file names say whether their writer is gone', () => {
  const now = Date.now();
  test('own process and live writers are kept; gone, unnamed and day-old ones are stale', () => {
    assert.equal(isStaleTempName(tempName(), now, now), false);
    assert.equal(
      isStaleTempName(tempName(4242), now, now, () => true),
      false,
    );
    assert.equal(
      isStaleTempName(tempName(4242), now, now, () => false),
      true,
    );
    assert.equal(
      isStaleTempName(`part-3.${tempName(4242)}.tmp`, now, now, () => true),
      false,
    );
    assert.equal(
      isStaleTempName(`part-3.${tempName(4242)}.tmp`, now, now, () => false),
      true,
    );
    assert.equal(
      isStaleTempName('0b5c3f0e-8d1c-4b7e-9a51-2b0f1c9d7e11', now, now, () => true),
      true,
    );
    assert.equal(
      isStaleTempName(tempName(4242), now - STALE_AFTER_MS - 1, now, () => true),
      true,
    );
  });
});

describe('a failed Local write removes its temp file', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'ferry-tmpfail-'));
  const store = new LocalStore(root);
  const tmpFiles = () => readdirSync(path.join(root, '.ferry', 'tmp'));
  const partTemps = (uploadId: string) =>
    readdirSync(path.join(root, '.ferry', 'uploads', uploadId)).filter((n) => n.endsWith('.tmp'));
  before(() => mkdirSync(path.join(root, 'bkt', 'taken'), { recursive: true }));
  after(() => rmSync(root, { recursive: true, force: true }));

  test('fewer bytes than announced (IncompleteBody)', async () => {
    await assert.rejects(store.putObject('bkt', 'short.bin', Buffer.alloc(10), 11), code('IncompleteBody'));
    assert.deepEqual(tmpFiles(), []);
  });

  test('a source stream that fails midway', async () => {
    await assert.rejects(store.putObject('bkt', 'reset.bin', failingStream(64 * 1024), 1024 * 1024), /reset/);
    assert.deepEqual(tmpFiles(), []);
  });

  test('a rename that fails (a folder stands where the file goes)', async () => {
    await assert.rejects(store.putObject('bkt', 'taken', Buffer.alloc(10), 10), code('EISDIR'));
    assert.deepEqual(tmpFiles(), []);
  });

  test('a Complete whose join cannot be put in place', async () => {
    const upload = await store.createMultipartUpload('bkt', 'taken', {});
    const part = await store.uploadPart('bkt', 'taken', upload, 1, Buffer.alloc(100, 2), 100);
    await assert.rejects(store.completeMultipartUpload('bkt', 'taken', upload, [part]), code('EISDIR'));
    assert.deepEqual(tmpFiles(), []);
    await store.abortMultipartUpload('bkt', 'taken', upload);
  });

  test('a part with the wrong size, and a part whose source fails midway', async () => {
    const upload = await store.createMultipartUpload('bkt', 'parts.bin', {});
    await assert.rejects(
      store.uploadPart('bkt', 'parts.bin', upload, 1, Buffer.alloc(10), 12),
      code('IncompleteBody'),
    );
    await assert.rejects(
      store.uploadPart('bkt', 'parts.bin', upload, 2, failingStream(8192), 65536),
      /reset/,
    );
    assert.deepEqual(partTemps(upload), []);
    await store.abortMultipartUpload('bkt', 'parts.bin', upload);
  });
});

describe('leftover temp files are swept by the engine-lock holder only', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ferry-sweep-'));
  const tmpDir = path.join(dataDir, 'local', '.ferry', 'tmp');
  const uploadDir = path.join(dataDir, 'local', '.ferry', 'uploads', 'u-1');
  let live: ChildProcess;
  before(() => {
    live = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
  });
  after(() => {
    live.kill();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('a gone writer’s files go, a live writer’s stay, and nothing goes while another Ferry holds the lock', async () => {
    const gone = await deadPid();
    mkdirSync(tmpDir, { recursive: true });
    mkdirSync(uploadDir, { recursive: true });
    const goneObject = tempName(gone);
    const liveObject = tempName(live.pid!);
    const gonePart = `part-2.${tempName(gone)}.tmp`;
    const livePart = `part-3.${tempName(live.pid!)}.tmp`;
    for (const f of [path.join(tmpDir, goneObject), path.join(tmpDir, liveObject)]) writeFileSync(f, 'x');
    for (const f of [gonePart, livePart, 'part-00001-0123456789abcdef0123456789abcdef'])
      writeFileSync(path.join(uploadDir, f), 'x');

    // Another Ferry (the live process) holds the lock: this one is refused and removes nothing.
    const checkpoints = path.join(dataDir, 'checkpoints');
    mkdirSync(checkpoints, { recursive: true });
    const lock = path.join(checkpoints, 'engine.lock');
    writeFileSync(lock, JSON.stringify({ pid: live.pid, host: os.hostname(), kind: 'web', since: 'now' }));
    const refused = createApp(appServiceOptions(dataDir, 'cli'));
    await assert.rejects(refused.tasks.start({ autoResume: false }), code('DataFolderInUse'));
    await refused.close();
    assert.deepEqual(readdirSync(tmpDir).sort(), [goneObject, liveObject].sort());
    assert.equal(readdirSync(uploadDir).length, 3);

    rmSync(lock);
    const owner = createApp(appServiceOptions(dataDir, 'cli'));
    await owner.tasks.start({ autoResume: false });
    try {
      assert.deepEqual(readdirSync(tmpDir), [liveObject]);
      assert.deepEqual(
        readdirSync(uploadDir).sort(),
        [livePart, 'part-00001-0123456789abcdef0123456789abcdef'].sort(),
      );
    } finally {
      await owner.close();
    }
  });
});
