/**
 * Hostile names and values, table-driven, through the `ferry` CLI and through the contract
 * (`dispatch` on the app's handlers) against Ceph RGW; then a data folder that is read-only and one
 * that is full (small tmpfs mounts). Each is answered with an error that says what is wrong, and
 * nothing is lost or damaged: the destination bucket, the accounts and the checkpoints of earlier
 * tasks are exactly as they were. (Random hostile payloads at every request are fuzz-contract's job.)
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { dispatch } from '../../main/app/dispatch';
import { listAll } from '../../main/storage/provider';
import { S3Store } from '../../main/storage/s3/s3-store';
import { appServiceOptions, createApp, type App } from '../../main/app/wiring';
import { profileAddArgs, removeBucket, requireRgw, uniqueBucket } from '../support/rgw';

const root = path.resolve(__dirname, '..', '..');
const rgw = requireRgw();
const SRC = uniqueBucket('badin-src');
const DST = uniqueBucket('badin-dst');
const work = mkdtempSync(path.join(os.tmpdir(), 'ferry-bad-input-'));
const dataDir = path.join(work, 'data');
const timeout = () => ({ signal: AbortSignal.timeout(30_000) });
const admin = new S3Store({
  endpoint: rgw.endpoint,
  region: rgw.region,
  pathStyle: true,
  credentials: { accessKeyId: rgw.accessKeyId, secretAccessKey: rgw.secretAccessKey },
  requestTimeoutMs: 30_000,
});

/** Keys with control characters: valid S3 keys, which must arrive byte for byte. */
const CONTROL_KEYS = [
  'ctl/a\u0001b.txt',
  'ctl/tab\there.txt',
  'ctl/new\nline.txt',
  'ctl/del\u007f.txt',
  'ctl/ bl ank ',
];
const LONG_SOURCE = `long/${'k'.repeat(200)}`;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The CLI from source (dist/ may be rebuilt by someone else at any time). */
function ferry(dir: string, args: string[]): Run {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('FERRY_')));
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', path.join(root, 'main/cli/index.ts'), '--data-dir', dir, ...args],
    { cwd: root, env, encoding: 'utf8', timeout: 120_000, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function addProfile(dir: string): void {
  const r = ferry(dir, profileAddArgs(rgw, 'rgw'));
  assert.equal(r.code, 0, r.stderr);
}

/** Every file under `dir` (but the log, which records the refusals) with its SHA-256. */
function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of readdirSync(dir, { recursive: true }).map(String).sort()) {
    const full = path.join(dir, f);
    if (!statSync(full).isFile() || f.startsWith('logs') || f.endsWith('.lock')) continue;
    out.set(f, createHash('sha256').update(readFileSync(full)).digest('hex'));
  }
  return out;
}

async function bucketState(bucket: string): Promise<string[]> {
  const rows: string[] = [];
  for await (const { page } of listAll(admin, bucket, {}, timeout()))
    for (const o of page.objects) rows.push(`${JSON.stringify(o.key)} ${o.size} ${o.etag}`);
  return rows;
}

function assertClearError(r: Run, code: number, message: RegExp): void {
  assert.equal(r.code, code, `exit ${r.code}: ${r.stderr}`);
  assert.match(r.stderr, message);
  assert.doesNotMatch(r.stderr, /^\s+at /m, 'no stack trace');
}

before(async () => {
  await admin.createBucket(SRC, undefined, timeout());
  await admin.createBucket(DST, undefined, timeout());
  for (const key of ['ok.txt', LONG_SOURCE, ...CONTROL_KEYS]) {
    const body = Buffer.from(`body of ${key}`);
    await admin.putObject(SRC, key, body, body.length, {}, timeout());
  }
  await admin.putObject(DST, 'existing.txt', Buffer.from('keep me'), 7, {}, timeout());
  mkdirSync(dataDir);
  addProfile(dataDir);
  // An earlier task whose checkpoint must survive everything below.
  const failed = ferry(dataDir, ['cp', `rgw:${SRC}/missing.txt`, `rgw:${DST}/`]);
  assert.equal(failed.code, 1, failed.stderr);
});

after(async () => {
  try {
    for (const bucket of [SRC, DST]) await removeBucket(admin, bucket);
  } finally {
    await admin.close();
    rmSync(work, { recursive: true, force: true });
  }
});

describe('hostile names through the CLI', () => {
  const cases: { name: string; args: () => string[]; code: number; message: RegExp }[] = [
    {
      name: 'upper case and an underscore in a bucket name',
      args: () => ['cp', 'rgw:Bad_Bucket/x', `rgw:${DST}/`],
      code: 2,
      message: /"Bad_Bucket" is not a bucket name/,
    },
    {
      name: 'a two-letter bucket name',
      args: () => ['cp', 'rgw:ab/x', `rgw:${DST}/`],
      code: 2,
      message: /"ab" is not a bucket name/,
    },
    {
      name: 'two dots in a row in the source bucket',
      args: () => ['cp', 'rgw:a..b/x', `rgw:${DST}/`],
      code: 1,
      message: /InvalidBucketName: .*"a\.\.b" is not a valid bucket name: .*two dots in a row/,
    },
    {
      name: 'a bucket name shaped like an IP address',
      args: () => ['cp', 'rgw:192.168.1.1/x', `rgw:${DST}/`],
      code: 1,
      message: /InvalidBucketName: .*IP address/,
    },
    {
      name: 'a dot next to a hyphen in the destination bucket',
      args: () => ['cp', `rgw:${SRC}/ok.txt`, 'rgw:bad.-dst/'],
      code: 1,
      message: /InvalidBucketName: .*"bad\.-dst" is not a valid bucket name: .*dot next to a hyphen/,
    },
    {
      name: 'a source key of 1,025 bytes',
      args: () => ['cp', `rgw:${SRC}/${'k'.repeat(1025)}`, `rgw:${DST}/`],
      code: 2,
      message: /longer than 1024 bytes/,
    },
    {
      name: 'a source key of 1,025 bytes in three-byte characters',
      args: () => ['cp', `rgw:${SRC}/${'€'.repeat(341)}ab`, `rgw:${DST}/`],
      code: 2,
      message: /longer than 1024 bytes/,
    },
    {
      name: 'a destination key that grows past 1,024 bytes (short source, long destination folder)',
      args: () => ['cp', `rgw:${SRC}/${LONG_SOURCE}`, `rgw:${DST}/${'p'.repeat(900)}/`],
      code: 1,
      message: /KeyTooLongError: .*S3 keys are at most 1024 bytes/,
    },
  ];
  for (const c of cases) {
    test(`${c.name}: refused with a clear message, nothing written, nothing lost`, async () => {
      const bucketBefore = await bucketState(DST);
      const filesBefore = snapshot(dataDir);
      assertClearError(ferry(dataDir, c.args()), c.code, c.message);
      assert.deepEqual(await bucketState(DST), bucketBefore);
      // The accounts and the earlier task's checkpoint are byte for byte what they were.
      const after = snapshot(dataDir);
      for (const [file, hash] of filesBefore)
        if (!file.startsWith('checkpoints/history') && !file.startsWith('checkpoints/task-'))
          assert.equal(after.get(file), hash, file);
      assert.match(ferry(dataDir, ['tasks']).stdout, /missing\.txt/);
    });
  }

  test('keys with control characters and blanks are copied with their names byte for byte', async () => {
    const r = ferry(dataDir, ['cp', '-r', `rgw:${SRC}/ctl/`, `rgw:${DST}/copied/`]);
    assert.equal(r.code, 0, r.stderr);
    const copied = (await bucketState(DST)).filter((row) => row.startsWith('"copied/'));
    const want = (await bucketState(SRC))
      .filter((row) => row.startsWith('"ctl/'))
      .map((row) => row.replace('"ctl/', '"copied/ctl/'));
    assert.deepEqual(copied.sort(), want.sort());
    assert.equal(copied.length, CONTROL_KEYS.length);
  });
});

describe('hostile values through the contract (dispatch)', () => {
  let services: App;
  let contractDir: string;
  before(async () => {
    contractDir = path.join(work, 'contract');
    mkdirSync(contractDir);
    addProfile(contractDir);
    services = createApp(appServiceOptions(contractDir, 'cli'));
    await services.tasks.start({ autoResume: false });
  });
  after(async () => {
    await services.close();
  });

  const copyArg = (key: string, bucket = SRC, prefix = '') => ({
    sources: [{ profileId: 'rgw', bucket, key, isFolder: false }],
    destination: { profileId: 'rgw', bucket: DST, prefix },
    options: { metadataDirective: 'COPY', conflict: 'overwrite' },
  });

  const refusedAtTheBoundary: { name: string; arg: () => unknown; message: RegExp }[] = [
    { name: 'a 1,025-byte key', arg: () => copyArg('k'.repeat(1025)), message: /1024 bytes/ },
    {
      name: 'a 1,025-byte destination prefix',
      arg: () => copyArg('ok.txt', SRC, 'p'.repeat(1025)),
      message: /1024 bytes/,
    },
    { name: 'an upper-case bucket', arg: () => copyArg('ok.txt', 'UPPER'), message: /bucket names/i },
  ];
  for (const c of refusedAtTheBoundary) {
    test(`tasks.copy with ${c.name} is refused before a task exists`, async () => {
      const tasksBefore = services.tasks.list().length;
      const reply = await dispatch(services.handlers, 'tasks.copy', c.arg());
      assert.equal(reply.ok, false);
      if (!reply.ok) assert.match(reply.error.message, c.message);
      assert.equal(services.tasks.list().length, tasksBefore);
    });
  }

  const failedTasks: { name: string; arg: () => unknown; code: string; message: RegExp }[] = [
    {
      name: 'a key holding NUL',
      arg: () => copyArg('bad\u0000key.txt'),
      code: 'InvalidObjectName',
      message: /NUL character/,
    },
    {
      name: 'a bucket with two dots in a row',
      arg: () => copyArg('ok.txt', 'a..b'),
      code: 'InvalidBucketName',
      message: /two dots in a row/,
    },
  ];
  for (const c of failedTasks) {
    test(`tasks.copy with ${c.name} fails its task with ${c.code}, no request sent, nothing written`, async () => {
      const bucketBefore = await bucketState(DST);
      const reply = await dispatch(services.handlers, 'tasks.copy', c.arg());
      assert.equal(reply.ok, true, JSON.stringify(reply));
      const [id] = (reply as { ok: true; result: { taskIds: string[] } }).result.taskIds;
      const summary = await services.tasks.waitFor(id!);
      assert.equal(summary.state, 'failed');
      assert.equal(summary.error?.code, c.code);
      assert.equal(summary.error?.status, 400);
      assert.match(summary.error!.message, c.message);
      assert.deepEqual(await bucketState(DST), bucketBefore);
    });
  }

  test('storage.deleteObjects deletes keys with control characters (they cannot travel in the XML batch)', async () => {
    const keys = CONTROL_KEYS.map((k) => `copied/${k}`);
    assert.equal((await bucketState(DST)).filter((row) => row.startsWith('"copied/')).length, keys.length);
    const reply = await dispatch(services.handlers, 'storage.deleteObjects', {
      profileId: 'rgw',
      bucket: DST,
      keys,
    });
    assert.equal(reply.ok, true, JSON.stringify(reply));
    assert.deepEqual(
      (await bucketState(DST)).filter((row) => row.startsWith('"copied/')),
      [],
    );
  });

  test('storage.listObjects on a bucket with two dots in a row answers InvalidBucketName', async () => {
    const reply = await dispatch(services.handlers, 'storage.listObjects', {
      profileId: 'rgw',
      bucket: 'a..b',
      prefix: '',
    });
    assert.equal(reply.ok, false);
    if (!reply.ok) assert.equal(reply.error.code, 'InvalidBucketName');
  });
});

/** A tmpfs mounted at `dir`; false (and the reason) where mounting is not allowed. */
function mountTmpfs(dir: string, size: string): string | undefined {
  mkdirSync(dir, { recursive: true });
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { encoding: 'utf8' });
  return r.status === 0 ? undefined : `cannot mount a tmpfs here (${(r.stderr || String(r.error)).trim()})`;
}
const umount = (dir: string) => spawnSync('umount', ['-l', dir]);
const remount = (dir: string, mode: 'ro' | 'rw') => {
  const r = spawnSync('mount', ['-o', `remount,${mode}`, dir], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
};

describe('a data folder that cannot be written', () => {
  test('read-only: a copy is refused with the reason, and the accounts and checkpoints are intact after', async (t) => {
    const mnt = path.join(work, 'ro');
    const cannot = mountTmpfs(mnt, '8m');
    if (cannot) return t.skip(cannot);
    try {
      const dir = path.join(mnt, 'data');
      addProfile(dir);
      assert.equal(ferry(dir, ['cp', `rgw:${SRC}/missing.txt`, `rgw:${DST}/`]).code, 1);
      const before = snapshot(dir);
      const bucketBefore = await bucketState(DST);
      remount(mnt, 'ro');
      assertClearError(ferry(dir, ['cp', `rgw:${SRC}/ok.txt`, `rgw:${DST}/ro/`]), 1, /read-only file system/);
      assertClearError(
        ferry(dir, [
          'profile',
          'add',
          'other',
          '--provider',
          's3',
          '--endpoint',
          rgw.endpoint,
          '--region',
          'x',
          '--access-key-id',
          'a',
          '--secret-access-key',
          'b',
        ]),
        1,
        /read-only file system/,
      );
      assert.deepEqual(await bucketState(DST), bucketBefore);
      const look = ferry(dir, ['tasks']);
      assert.equal(look.code, 0, look.stderr);
      assert.match(look.stderr, /the data folder cannot be written \(EROFS\); showing the tasks as recorded/);
      assert.match(look.stdout, /failed\t.*missing\.txt/);
      remount(mnt, 'rw');
      assert.deepEqual(snapshot(dir), before);
      const tasks = ferry(dir, ['tasks']);
      assert.equal(tasks.code, 0, tasks.stderr);
      assert.match(tasks.stdout, /failed\t.*missing\.txt/);
    } finally {
      umount(mnt);
    }
  });

  test('full: a copy is refused with the reason, nothing is damaged, and it works once there is room', async (t) => {
    const mnt = path.join(work, 'full');
    const cannot = mountTmpfs(mnt, '2m');
    if (cannot) return t.skip(cannot);
    try {
      const dir = path.join(mnt, 'data');
      addProfile(dir);
      assert.equal(ferry(dir, ['cp', `rgw:${SRC}/missing.txt`, `rgw:${DST}/`]).code, 1);
      const before = snapshot(dir);
      // Fill every byte left.
      const filler = path.join(mnt, 'filler');
      const block = Buffer.alloc(64 * 1024);
      try {
        for (;;) writeFileSync(filler, block, { flag: 'a' });
      } catch (err) {
        assert.equal((err as NodeJS.ErrnoException).code, 'ENOSPC');
      }
      for (let n = 4096; n >= 1; n >>= 1) {
        try {
          for (;;) writeFileSync(filler, Buffer.alloc(n), { flag: 'a' });
        } catch {
          // this size no longer fits; try a smaller one
        }
      }
      const bucketBefore = await bucketState(DST);
      assertClearError(
        ferry(dir, ['cp', `rgw:${SRC}/ok.txt`, `rgw:${DST}/full/`]),
        1,
        /no space left on device/,
      );
      assert.deepEqual(await bucketState(DST), bucketBefore);
      rmSync(filler);
      assert.deepEqual(snapshot(dir), before);
      const tasks = ferry(dir, ['tasks']);
      assert.equal(tasks.code, 0, tasks.stderr);
      assert.match(tasks.stdout, /failed\t.*missing\.txt/);
      const retry = ferry(dir, ['cp', `rgw:${SRC}/ok.txt`, `rgw:${DST}/full/`]);
      assert.equal(retry.code, 0, retry.stderr);
      assert.ok((await bucketState(DST)).some((row) => row.startsWith('"full/ok.txt"')));
    } finally {
      umount(mnt);
    }
  });
});
