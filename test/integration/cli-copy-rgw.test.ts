/**
 * `ferry cp` against Ceph RGW, run from source with tsx (dist/ is rebuilt by others while tests
 * run): a single object server-side with new metadata, large objects streamed RGW ↔ Local in parts,
 * a folder copied twice with skip-if-same, and `ferry abort-orphans` telling Ferry's uploads from
 * others'. (Crashes and `ferry resume` are in crash-rgw.test.ts.)
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { after, before, test } from 'node:test';
import { listAll } from '../../main/storage/provider';
import { S3Store } from '../../main/storage/s3/s3-store';
import { profileAddArgs, removeBucket, requireRgw, uniqueBucket } from '../support/rgw';
import { runCli, type CliRun } from '../support/cli';

const root = path.resolve(__dirname, '..', '..');
const CLI_ENTRY = path.join(root, 'main', 'cli', 'index.ts');
const rgw = requireRgw();
const MiB = 1024 * 1024;
const bucket = uniqueBucket('cli-cp');
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ferry-cli-cp-'));
const s3 = new S3Store({
  endpoint: rgw.endpoint,
  region: rgw.region,
  pathStyle: true,
  credentials: { accessKeyId: rgw.accessKeyId, secretAccessKey: rgw.secretAccessKey },
  requestTimeoutMs: 30_000,
});
const opts = () => ({ signal: AbortSignal.timeout(60_000) });
const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');

function ferry(args: string[]): CliRun {
  return runCli(CLI_ENTRY, ['--data-dir', dataDir, ...args], {
    nodeArgs: ['--import', 'tsx'],
    cwd: root,
    timeoutMs: 120_000,
  });
}

async function bytesOf(key: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of (await s3.getObject({ bucket, key }, undefined, opts())) as Readable)
    chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

before(async () => {
  await s3.createBucket(bucket, undefined, opts());
  const add = ferry(profileAddArgs(rgw, 'rgw'));
  assert.equal(add.code, 0, add.stderr);
  mkdirSync(path.join(dataDir, 'local', 'disk'), { recursive: true });
});

after(async () => {
  try {
    await removeBucket(s3, bucket);
  } finally {
    await s3.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('ferry cp copies one object on RGW server-side, with REPLACE metadata from the flags', async () => {
  await s3.putObject(
    bucket,
    'one/a.txt',
    Buffer.from('hello'),
    5,
    { metadata: { contentType: 'text/plain', userMeta: { old: '1' } } },
    opts(),
  );
  const r = ferry([
    'cp',
    `rgw:${bucket}/one/a.txt`,
    `rgw:${bucket}/copies/`,
    '--content-type',
    'text/markdown',
    '--meta',
    'Owner=cli',
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`^copied rgw:${bucket}/one/a\\.txt → rgw:${bucket}/copies/a\\.txt`, 'm'));
  const head = await s3.headObject({ bucket, key: 'copies/a.txt' }, opts());
  assert.equal(head.metadata.contentType, 'text/markdown');
  assert.deepEqual(head.metadata.userMeta, { owner: 'cli' });
  assert.equal((await bytesOf('copies/a.txt')).toString(), 'hello');
});

test('ferry cp streams a large object RGW → Local and Local → RGW in parts, byte-identical', async () => {
  const body = randomBytes(13 * MiB + 7);
  await s3.putObject(bucket, 'large/blob.bin', body, body.length, {}, opts());
  const parts = ['--multipart-threshold', '8MiB', '--part-size', '5MiB'];
  const down = ferry(['cp', `rgw:${bucket}/large/blob.bin`, 'local:disk/in/', ...parts]);
  assert.equal(down.code, 0, down.stderr);
  assert.equal(md5(readFileSync(path.join(dataDir, 'local', 'disk', 'in', 'blob.bin'))), md5(body));

  const up = ferry(['cp', 'local:disk/in/blob.bin', `rgw:${bucket}/back/`, ...parts]);
  assert.equal(up.code, 0, up.stderr);
  const head = await s3.headObject({ bucket, key: 'back/blob.bin' }, opts());
  assert.match(head.etag, /-3$/, 'uploaded in three parts');
  assert.equal(md5(await bytesOf('back/blob.bin')), md5(body));
  assert.deepEqual(await uploads(), []);
});

test('ferry cp -r copies a folder on RGW; run again with skip-if-same it copies nothing and changes nothing', async () => {
  const files: Record<string, string> = {
    'tree/a.txt': 'a',
    'tree/deep/b.txt': 'bb',
    'tree/deep/er/c.txt': 'ccc',
  };
  for (const [k, v] of Object.entries(files))
    await s3.putObject(bucket, k, Buffer.from(v), v.length, {}, opts());
  const first = ferry(['cp', '-r', `rgw:${bucket}/tree`, `rgw:${bucket}/mirror/`]);
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, /\(3 object\(s\)/);
  const listed = async () => {
    const out: Record<string, string> = {};
    for await (const { page } of listAll(s3, bucket, { prefix: 'mirror/' }, opts()))
      for (const o of page.objects) out[o.key] = o.lastModified;
    return out;
  };
  const before = await listed();
  assert.deepEqual(Object.keys(before).sort(), [
    'mirror/tree/a.txt',
    'mirror/tree/deep/b.txt',
    'mirror/tree/deep/er/c.txt',
  ]);
  for (const [k, v] of Object.entries(files)) assert.equal((await bytesOf(`mirror/${k}`)).toString(), v);

  const again = ferry([
    'cp',
    '-r',
    '--conflict',
    'skip-if-same',
    `rgw:${bucket}/tree/`,
    `rgw:${bucket}/mirror/`,
  ]);
  assert.equal(again.code, 0, again.stderr);
  assert.deepEqual(await listed(), before, 'nothing was rewritten');
  const log = readFileSync(path.join(dataDir, 'logs', 'ferry.log'), 'utf8');
  assert.equal(log.match(/skipped "mirror\/tree\//g)?.length, 3);
});

test('ferry abort-orphans leaves uploads Ferry did not start alone unless --all, then aborts them', async () => {
  const foreign = await s3.createMultipartUpload(bucket, 'orphans/other.bin', {}, opts());
  const listed = ferry(['abort-orphans', '--yes', `rgw:${bucket}`]);
  assert.equal(listed.code, 0, listed.stderr);
  assert.match(listed.stdout, /\(1 upload\(s\) not started by Ferry left alone; --all aborts them too\)/);
  assert.match(listed.stdout, /no uploads to abort/);
  assert.deepEqual(await uploads(), [foreign]);

  // Without a terminal to confirm in, a script must pass --yes: nothing is aborted otherwise.
  const unconfirmed = ferry(['abort-orphans', '--all', `rgw:${bucket}`]);
  assert.equal(unconfirmed.code, 2, unconfirmed.stderr);
  assert.match(unconfirmed.stderr, /nothing was aborted — confirm in a terminal, or pass --yes/);
  assert.deepEqual(await uploads(), [foreign]);

  const all = ferry(['abort-orphans', '--all', '--yes', `rgw:${bucket}`]);
  assert.equal(all.code, 0, all.stderr);
  assert.match(
    all.stdout,
    new RegExp(`\\tother\\t${foreign.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\torphans/other\\.bin`),
  );
  assert.match(all.stdout, /aborted 1 upload\(s\)/);
  assert.deepEqual(await uploads(), []);
});

test('ferry tasks reports a damaged checkpoint on stderr, sets it aside and still exits 0', () => {
  const checkpoints = path.join(dataDir, 'checkpoints');
  mkdirSync(checkpoints, { recursive: true });
  writeFileSync(
    path.join(checkpoints, 'task-tbroken.json'),
    '{"format":"ferry-task-checkpoint","version":1,',
  );
  const r = ferry(['tasks']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(
    r.stderr,
    /^ferry: checkpoint .*task-tbroken\.json is not trusted: it is not valid JSON; moved to .*corrupt\/task-tbroken\.\d+\.json$/m,
  );
  assert.ok(!existsSync(path.join(checkpoints, 'task-tbroken.json')));
  assert.equal(readdirSync(path.join(checkpoints, 'corrupt')).length, 1);
  const again = ferry(['tasks']);
  assert.equal(again.stderr, '', 'reported once');
});

async function uploads(): Promise<string[]> {
  const ids: string[] = [];
  for await (const u of s3.listMultipartUploads(bucket, '', opts())) ids.push(u.uploadId);
  return ids;
}
