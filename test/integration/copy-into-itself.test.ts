/**
 * Issue 19, item 1: `ferry cp -r local:bkt/a/ local:bkt/a/` of 1,500 files made 66,203 files
 * (`a/a/a/…`) in two minutes, because the folder listing met the copies the task was making. The
 * engine now refuses any task whose destination lies inside its source — through the CLI, through
 * the contract, on Local and on Ceph RGW, with listings of more than one page — and a folder copied
 * onto itself with "skip if same" is a no-op.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { dispatch } from '../../main/app/dispatch';
import { listAll } from '../../main/storage/provider';
import { S3Store } from '../../main/storage/s3/s3-store';
import { appServiceOptions, createApp, type App } from '../../main/app/wiring';
import { removeBucket, requireRgw, uniqueBucket } from '../support/rgw';

const root = path.resolve(__dirname, '..', '..');
const work = mkdtempSync(path.join(os.tmpdir(), 'ferry-into-itself-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** The CLI from source (dist/ may be rebuilt by someone else at any time); a loop is cut at 90 s. */
function ferry(dataDir: string, args: string[]): { code: number | null; stdout: string; stderr: string } {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('FERRY_')));
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', path.join(root, 'main/cli/index.ts'), '--data-dir', dataDir, ...args],
    { cwd: root, env, encoding: 'utf8', timeout: 90_000, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Every file under a folder with its size and mtime: a no-op leaves this exactly as it was. */
function tree(dir: string): string[] {
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => statSync(path.join(dir, f)).isFile())
    .sort()
    .map((f) => `${f} ${statSync(path.join(dir, f)).size} ${statSync(path.join(dir, f)).mtimeMs}`);
}

const taskFiles = (dataDir: string) =>
  readdirSync(path.join(dataDir, 'checkpoints')).filter((n) => n.startsWith('task-'));

describe('a folder copied into itself, through the CLI on Local (1,001 files: two listing pages)', () => {
  const dataDir = path.join(work, 'cli');
  const bucketDir = path.join(dataDir, 'local', 'bkt');
  let before1: string[];

  before(() => {
    // Names that sort before "a/": the copies (`a/a/…`) come after them in the listing, so the
    // second page would hand out the first copies — the loop the issue saw.
    mkdirSync(path.join(bucketDir, 'a'), { recursive: true });
    for (let i = 0; i < 1001; i++)
      writeFileSync(path.join(bucketDir, 'a', `${String(i).padStart(4, '0')}.txt`), `file ${i}`);
    writeFileSync(path.join(bucketDir, 'a', 'zz.txt'), 'last');
    before1 = tree(bucketDir);
  });

  test('ferry cp -r local:bkt/a/ local:bkt/a/ is refused with CopyIntoItself, writes nothing and leaves no task', () => {
    const r = ferry(dataDir, ['cp', '-r', 'local:bkt/a/', 'local:bkt/a/']);
    assert.equal(r.code, 1, `exit ${r.code} (a loop is killed at 90 s): ${r.stderr}`);
    assert.match(
      r.stderr,
      /CopyIntoItself: the folder "local:bkt\/a\/" cannot be copied into itself: "local:bkt\/a\/a\/" lies inside it/,
    );
    assert.equal(existsSync(path.join(bucketDir, 'a', 'a')), false, 'no a/a/ was made');
    assert.deepEqual(tree(bucketDir), before1);
    assert.deepEqual(taskFiles(dataDir), [], 'a refused task leaves no checkpoint to resume');
    const tasks = ferry(dataDir, ['resume']);
    assert.equal(tasks.code, 0, tasks.stderr);
    assert.match(tasks.stdout, /no unfinished tasks/);
  });

  test('a deeper destination inside the source and a move onto itself are refused the same way', () => {
    const deeper = ferry(dataDir, ['cp', '-r', 'local:bkt/a/', 'local:bkt/a/0001.d/']);
    assert.equal(deeper.code, 1, deeper.stderr);
    assert.match(deeper.stderr, /CopyIntoItself: .*"local:bkt\/a\/0001\.d\/a\/" lies inside it/);
    const overwrite = ferry(dataDir, ['cp', '-r', 'local:bkt/a/', 'local:bkt/']);
    assert.equal(overwrite.code, 1, overwrite.stderr);
    assert.match(overwrite.stderr, /CopyIntoItself: the folder "local:bkt\/a\/" would be copied onto itself/);
    assert.deepEqual(tree(bucketDir), before1);
  });

  test('the folder copied onto itself with --conflict skip-if-same is a no-op: every file skipped, none rewritten', () => {
    const r = ferry(dataDir, ['cp', '-r', '--conflict', 'skip-if-same', 'local:bkt/a/', 'local:bkt/']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /\(1002 object\(s\)/);
    assert.deepEqual(tree(bucketDir), before1, 'nothing written, nothing added');
  });
});

describe('a folder copied into itself, through the contract on Ceph RGW (listing pages of 4 keys)', () => {
  const rgw = requireRgw();
  const bucket = uniqueBucket('into-itself');
  const other = uniqueBucket('into-other');
  const timeout = () => ({ signal: AbortSignal.timeout(30_000) });
  const admin = new S3Store({
    endpoint: rgw.endpoint,
    region: rgw.region,
    pathStyle: true,
    credentials: { accessKeyId: rgw.accessKeyId, secretAccessKey: rgw.secretAccessKey },
    requestTimeoutMs: 30_000,
  });
  const dataDir = path.join(work, 'rgw');
  let services: App;
  const keys = Array.from({ length: 10 }, (_, i) => `a/${i}.txt`);
  let profileId = '';
  const folder = () => ({ profileId, bucket, key: 'a/', isFolder: true });
  const copy = (prefix: string, options: Record<string, unknown> = {}) =>
    dispatch(services.handlers, 'tasks.copy', {
      sources: [folder()],
      destination: { profileId, bucket, prefix },
      options: { metadataDirective: 'COPY', conflict: 'overwrite', ...options },
    });

  async function state(name = bucket): Promise<string[]> {
    const rows: string[] = [];
    for await (const { page } of listAll(admin, name, {}, timeout()))
      for (const o of page.objects) rows.push(`${o.key} ${o.etag} ${o.lastModified}`);
    return rows.sort();
  }

  before(async () => {
    await admin.createBucket(bucket, undefined, timeout());
    await admin.createBucket(other, undefined, timeout());
    for (const key of keys) await admin.putObject(bucket, key, Buffer.from(key), key.length, {}, timeout());
    const options = appServiceOptions(dataDir, 'cli');
    services = createApp({ ...options, listPageSize: 4 });
    await services.tasks.start({ autoResume: true });
    const saved = await dispatch(services.handlers, 'profiles.save', {
      name: 'rgw',
      provider: 's3',
      endpoint: rgw.endpoint,
      region: rgw.region,
      pathStyle: true,
      accessKeyId: rgw.accessKeyId,
      secretAccessKey: rgw.secretAccessKey,
    });
    assert.ok(saved.ok, JSON.stringify(saved));
    profileId = (saved.result as { id: string }).id;
  });

  after(async () => {
    try {
      await services.close();
      for (const name of [bucket, other]) await removeBucket(admin, name);
    } finally {
      await admin.close();
    }
  });

  test('tasks.copy of rgw:bkt/a/ into rgw:bkt/a/ (and deeper) is refused with CopyIntoItself and queues nothing', async () => {
    const before1 = await state();
    for (const prefix of ['a/', 'a/0.txt.d/', 'a/x/y/']) {
      const reply = await copy(prefix);
      assert.equal(reply.ok, false, `into ${prefix}: ${JSON.stringify(reply)}`);
      if (reply.ok) continue;
      assert.equal(reply.error.code, 'CopyIntoItself');
      assert.match(reply.error.message, /cannot be copied into itself/);
    }
    for (const options of [{ conflict: 'overwrite' }, { conflict: 'keep-both' }, { move: true }]) {
      const reply = await copy('', options);
      assert.equal(reply.ok, false, `onto itself with ${JSON.stringify(options)}`);
      if (!reply.ok) assert.equal(reply.error.code, 'CopyIntoItself');
    }
    // Several sources: one refused, none queued.
    const mixed = await dispatch(services.handlers, 'tasks.copy', {
      sources: [{ ...folder(), key: 'a/0.txt', isFolder: false }, folder()],
      destination: { profileId, bucket, prefix: 'a/' },
      options: { metadataDirective: 'COPY', conflict: 'overwrite' },
    });
    assert.equal(mixed.ok, false);
    assert.deepEqual(services.tasks.list(), [], 'no task was queued');
    assert.deepEqual(await state(), before1, 'the bucket is unchanged');
  });

  test('the same folder onto itself with skip-if-same is a no-op over three listing pages; into another bucket it copies', async () => {
    const before1 = await state();
    const reply = await copy('', { conflict: 'skip-if-same' });
    assert.ok(reply.ok, JSON.stringify(reply));
    const [id] = (reply.result as { taskIds: string[] }).taskIds;
    const done = await services.tasks.waitFor(id!);
    assert.equal(done.state, 'done', JSON.stringify(done.error));
    assert.equal(done.progress.objectsDone, keys.length);
    assert.deepEqual(await state(), before1, 'no object written or added');

    // The same request shape is fine where the destination is elsewhere: the rule is containment only.
    const elsewhere = await dispatch(services.handlers, 'tasks.copy', {
      sources: [folder()],
      destination: { profileId, bucket: other, prefix: 'a/' },
      options: { metadataDirective: 'COPY', conflict: 'overwrite' },
    });
    assert.ok(elsewhere.ok, JSON.stringify(elsewhere));
    const copied = await services.tasks.waitFor((elsewhere.result as { taskIds: string[] }).taskIds[0]!);
    assert.equal(copied.state, 'done', JSON.stringify(copied.error));
    assert.equal((await state(other)).length, keys.length);
  });
});
