/**
 * Buckets, folders, versions and deletes as tasks, through the `ferry` CLI (bundled from source, in
 * a child process) against Ceph RGW — S3 straight, or OSS through the gateway with
 * FERRY_TEST_DIALECT=oss: `mb` by the dialect's name rules, `info`, `mkdir`, `ls --versions`,
 * `cp --version-id` by every strategy (each pinned to the version asked for), restoring a version,
 * `rb` refused on a full bucket, `rb --force` on a versioned bucket with uploads left, and a folder
 * delete SIGKILLed half-way and finished by `ferry resume` without touching a key outside it.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { listAll } from '../../main/storage/provider';
import { envWithoutFerry } from '../support/cli';
import { bundleCli } from '../support/node-bundle';
import { requireDialect, rgwAdmin } from '../support/dialect';
import { requireRgw, removeBucket, uniqueBucket } from '../support/rgw';
import { CountingProxy } from '../support/s3-counting-proxy';

const root = path.resolve(__dirname, '..', '..');
const rgw = requireRgw();
const target = requireDialect();
const admin = rgwAdmin(rgw);
const MiB = 1024 * 1024;
const opts = () => ({ signal: AbortSignal.timeout(60_000) });
const tmp = mkdtempSync(path.join(os.tmpdir(), 'ferry-buckets-'));
const dataDir = path.join(tmp, 'data');
const cli = path.join(tmp, 'ferry-cli.js');
const proxy = new CountingProxy(target.endpoint);
const made: string[] = [];

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** `ferry ARGS` from source; `killWhen` SIGKILLs it at the proxy exchange it picks (dropping it). */
async function ferry(
  args: string[],
  killWhen?: (operation: string, count: number) => boolean,
  timeoutMs = 120_000,
): Promise<Run> {
  const run = ++proxy.run;
  const child = spawn(process.execPath, [cli, '--data-dir', dataDir, ...args], {
    cwd: root,
    env: envWithoutFerry(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const seen = new Map<string, number>();
  let killed = false;
  proxy.hook = (e, phase) => {
    if (phase !== 'request' || e.run !== run || killed || !killWhen) return;
    const n = (seen.get(e.operation) ?? 0) + 1;
    seen.set(e.operation, n);
    if (!killWhen(e.operation, n)) return;
    killed = true;
    child.kill('SIGKILL');
    return 'drop';
  };
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    child.on('close', (c, s) => resolve([c, s])),
  );
  clearTimeout(timer);
  proxy.hook = undefined;
  await proxy.settled();
  return { code, signal, stdout, stderr };
}

async function bucketNames(): Promise<string[]> {
  return (await admin.listBuckets(opts())).map((b) => b.name);
}

async function keysIn(bucket: string, prefix = ''): Promise<string[]> {
  const keys: string[] = [];
  for await (const { page } of listAll(admin, bucket, { prefix }, opts()))
    keys.push(...page.objects.map((o) => o.key));
  return keys;
}

async function md5Of(stream: Readable): Promise<string> {
  const hash = createHash('md5');
  for await (const chunk of stream) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');

/** A bucket on RGW for one test, removed (every version and upload) at the end. */
async function newBucket(label: string, versioned = false): Promise<string> {
  const bucket = uniqueBucket(label);
  await admin.createBucket(bucket, undefined, opts());
  made.push(bucket);
  if (versioned) await admin.setBucketVersioning(bucket, 'Enabled', opts());
  return bucket;
}

async function removeEverything(bucket: string): Promise<void> {
  if (!(await bucketNames()).includes(bucket)) return;
  for (;;) {
    const page = await admin.listObjectVersions(bucket, {}, opts());
    if (page.versions.length === 0) break;
    await admin.deleteObjectVersions(bucket, page.versions, opts());
  }
  await removeBucket(admin, bucket);
}

before(async () => {
  await bundleCli(cli);
  const url = await proxy.listen();
  const add = await ferry(target.profileAddArgs('acct', url));
  assert.equal(add.code, 0, add.stderr);
});

after(async () => {
  try {
    for (const b of made) await removeEverything(b).catch(() => undefined);
  } finally {
    await proxy.close();
    await admin.close();
    rmSync(tmp, { recursive: true, force: true });
  }
});

describe(`buckets on ${target.label}`, () => {
  test('mb refuses names its dialect does not allow, before any request, and an existing bucket; info describes a new one', async () => {
    const before = await bucketNames();
    const bad =
      target.dialect === 'oss'
        ? ['Upper-case', 'ab', 'dots.are.s3.only', '-leading']
        : ['Upper-case', 'ab', 'two..dots', '192.168.1.2', 'xn--reserved', '-leading'];
    for (const name of bad) {
      const r = await ferry(['mb', `acct:${name}`]);
      assert.equal(r.code, 2, `${name}: ${r.stderr}`);
      assert.match(r.stderr, /cannot be a bucket name/);
    }
    assert.deepEqual(await bucketNames(), before, 'nothing was created');

    const name = uniqueBucket('mb');
    made.push(name);
    const mb = await ferry(['mb', `acct:${name}`]);
    assert.equal(mb.code, 0, mb.stderr);
    assert.match(mb.stdout, new RegExp(`made bucket acct:${name}`));
    assert.ok((await bucketNames()).includes(name));
    const again = await ferry(['mb', `acct:${name}`]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /already have a bucket named/);

    const info = await ferry(['info', `acct:${name}`]);
    assert.equal(info.code, 0, info.stderr);
    assert.match(info.stdout, /^versioning {2}Off$/m);
    assert.match(info.stdout, /^created {5}\d{4}-\d\d-\d\dT/m);
    assert.match(info.stdout, /^region {6}\S+/m);

    const rb = await ferry(['rb', `acct:${name}`]);
    assert.equal(rb.code, 0, rb.stderr);
    assert.ok(!(await bucketNames()).includes(name), 'the empty bucket is gone');
  });

  test('mkdir makes the zero-byte folder marker; the empty folder lists, and a folder copy carries it', async () => {
    const bucket = await newBucket('mkdir');
    const r = await ferry(['mkdir', `acct:${bucket}/reports/2024/`]);
    assert.equal(r.code, 0, r.stderr);
    const head = await admin.headObject({ bucket, key: 'reports/2024/' }, opts());
    assert.equal(head.size, 0);
    const ls = await ferry(['ls', `acct:${bucket}/reports/`]);
    assert.equal(ls.code, 0, ls.stderr);
    assert.match(ls.stdout, /DIR {2}reports\/2024\/$/m);

    const cp = await ferry(['cp', '-r', `acct:${bucket}/reports/`, `acct:${bucket}/backup/`]);
    assert.equal(cp.code, 0, cp.stderr);
    assert.deepEqual(await keysIn(bucket, 'backup/'), ['backup/reports/2024/']);
  });

  test('ls --versions lists every version and delete marker; cp --version-id copies that version by every strategy; a version that does not exist changes nothing', async () => {
    const bucket = await newBucket('ver', true);
    const small = [Buffer.from('first version'), Buffer.from('second version, longer')];
    const big = [randomBytes(11 * MiB), randomBytes(11 * MiB)];
    const ids: string[] = [];
    for (const body of small) await admin.putObject(bucket, 'doc.txt', body, body.length, {}, opts());
    const bigIds: string[] = [];
    for (const body of big)
      bigIds.push((await admin.putObject(bucket, 'big.bin', body, body.length, {}, opts())).versionId!);
    await admin.putObject(bucket, 'gone.txt', Buffer.from('x'), 1, {}, opts());
    await admin.deleteObject(bucket, 'gone.txt', opts());
    const listed = await admin.listObjectVersions(bucket, { prefix: 'doc.txt' }, opts());
    ids.push(...listed.versions.map((v) => v.versionId).reverse()); // oldest first

    const ls = await ferry(['ls', '--versions', `acct:${bucket}/`]);
    assert.equal(ls.code, 0, ls.stderr);
    const lines = ls.stdout.trim().split('\n');
    const docLines = lines.filter((l) => l.endsWith('  doc.txt'));
    assert.equal(docLines.length, 2);
    assert.ok(
      docLines[0]!.includes(ids[1]!) && /\blatest\b/.test(docLines[0]!),
      'newest first, marked latest',
    );
    assert.ok(docLines[1]!.includes(ids[0]!) && !/\blatest\b/.test(docLines[1]!));
    assert.ok(
      lines.some((l) => l.endsWith('  gone.txt') && /latest,delete-marker/.test(l)),
      ls.stdout,
    );

    // CopyObject (small, same account) of the older version.
    const one = await ferry(['cp', '--version-id', ids[0]!, `acct:${bucket}/doc.txt`, `acct:${bucket}/old/`]);
    assert.equal(one.code, 0, one.stderr);
    assert.equal(
      await md5Of(await admin.getObject({ bucket, key: 'old/doc.txt' }, undefined, opts())),
      md5(small[0]!),
    );

    // Multipart copy: every UploadPartCopy names the version (the newer one would give other bytes).
    const partsBefore = proxy.of('UploadPartCopy').length;
    const sizes = ['--multipart-threshold', '5MiB', '--part-size', '5MiB'];
    const multi = await ferry([
      'cp',
      '--version-id',
      bigIds[0]!,
      ...sizes,
      `acct:${bucket}/big.bin`,
      `acct:${bucket}/old/`,
    ]);
    assert.equal(multi.code, 0, multi.stderr);
    assert.equal(proxy.of('UploadPartCopy').length - partsBefore, 3, 'three parts copied server-side');
    assert.equal(
      await md5Of(await admin.getObject({ bucket, key: 'old/big.bin' }, undefined, opts())),
      md5(big[0]!),
    );

    // Streamed to the Local provider: in parts (ranged GETs of the version), and in one PUT.
    const local = uniqueBucket('ver-local');
    assert.equal((await ferry(['mb', `local:${local}`])).code, 0);
    const streamed = await ferry([
      'cp',
      '--version-id',
      bigIds[0]!,
      ...sizes,
      `acct:${bucket}/big.bin`,
      `local:${local}/`,
    ]);
    assert.equal(streamed.code, 0, streamed.stderr);
    const whole = await ferry(['cp', '--version-id', ids[0]!, `acct:${bucket}/doc.txt`, `local:${local}/`]);
    assert.equal(whole.code, 0, whole.stderr);
    const localFile = (key: string) => readFileSync(path.join(dataDir, 'local', local, key));
    assert.equal(md5(localFile('big.bin')), md5(big[0]!));
    assert.equal(md5(localFile('doc.txt')), md5(small[0]!));

    // A version id that does not exist: a clear error, nothing written.
    const missing = await ferry([
      'cp',
      '--version-id',
      'no-such-version-id',
      `acct:${bucket}/doc.txt`,
      `acct:${bucket}/none/`,
    ]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /has no version no-such-version-id/);
    assert.deepEqual(await keysIn(bucket, 'none/'), []);

    // Restore: the older version copied over the current key.
    const restore = await ferry([
      'cp',
      '--version-id',
      ids[0]!,
      `acct:${bucket}/doc.txt`,
      `acct:${bucket}/doc.txt`,
    ]);
    assert.equal(restore.code, 0, restore.stderr);
    assert.equal(
      await md5Of(await admin.getObject({ bucket, key: 'doc.txt' }, undefined, opts())),
      md5(small[0]!),
    );
    const after = await admin.listObjectVersions(bucket, { prefix: 'doc.txt' }, opts());
    assert.equal(after.versions.length, 3, 'the restore is a new version; the old ones stay');
  });

  // Known defect, open in issue 13: on the OSS gateway `rb --force` ends with BucketNotEmpty since
  // the OSS-endpoints changes (batch-delete XML) met the versioned delete. It still runs and reports
  // there, marked TODO so the run shows it; on S3 it must pass.
  const rbForceOnOss =
    target.dialect === 'oss'
      ? 'known defect on the OSS gateway: rb --force ends with BucketNotEmpty'
      : undefined;
  test(
    'rb refuses a bucket that is not empty and changes nothing; rb --force deletes a versioned bucket with its versions, delete markers and uploads',
    { todo: rbForceOnOss },
    async () => {
      const bucket = await newBucket('rb', true);
      for (const body of ['one', 'two'])
        await admin.putObject(bucket, 'a.txt', Buffer.from(body), body.length, {}, opts());
      await admin.putObject(bucket, 'dir/b.txt', Buffer.from('b'), 1, {}, opts());
      await admin.deleteObject(bucket, 'dir/b.txt', opts());
      const uploadId = await admin.createMultipartUpload(bucket, 'left/over.bin', {}, opts());
      await admin.uploadPart(bucket, 'left/over.bin', uploadId, 1, Buffer.alloc(1024, 1), 1024, opts());
      const versionsBefore = (await admin.listObjectVersions(bucket, {}, opts())).versions.length;
      assert.equal(versionsBefore, 4, 'two versions of a.txt, dir/b.txt and its delete marker');

      const refused = await ferry(['rb', `acct:${bucket}`]);
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, /BucketNotEmpty: the bucket "[^"]+" is not empty: nothing was deleted/);
      assert.equal((await admin.listObjectVersions(bucket, {}, opts())).versions.length, versionsBefore);

      const forced = await ferry(['rb', '--force', `acct:${bucket}`]);
      assert.equal(forced.code, 0, forced.stderr);
      assert.match(forced.stdout, new RegExp(`deleted the bucket acct:${bucket} and 4 object\\(s\\)`));
      assert.ok(!(await bucketNames()).includes(bucket), 'the bucket is gone');
    },
  );

  test('a folder delete is a task: SIGKILLed between two DeleteObjects batches, `ferry resume` finishes it and never touches a key outside the folder', async () => {
    const bucket = await newBucket('rm');
    const keys = Array.from({ length: 2100 }, (_, i) => `many/${String(i).padStart(4, '0')}.txt`);
    const outside = ['many-sibling.txt', 'manyx/keep.txt', 'top.txt'];
    const all = [...keys, ...outside];
    for (let i = 0; i < all.length; i += 50)
      await Promise.all(
        all.slice(i, i + 50).map((k) => admin.putObject(bucket, k, Buffer.from(k), k.length, {}, opts())),
      );

    const killed = await ferry(
      ['rm', '-r', `acct:${bucket}/many/`],
      (op, n) => op === 'DeleteObjects' && n === 2,
    );
    assert.equal(
      killed.signal,
      'SIGKILL',
      `the delete should have been killed: ${killed.stdout}${killed.stderr}`,
    );
    const left = await keysIn(bucket, 'many/');
    assert.equal(left.length, 1100, 'the first batch of 1,000 was deleted, the second never sent');

    const tasks = await ferry(['tasks']);
    assert.match(tasks.stdout, /delete acct:[^ ]+\/many\//, tasks.stdout);
    const resumed = await ferry(['resume']);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.match(resumed.stdout, /deleted 2100 object\(s\)/);
    assert.deepEqual(await keysIn(bucket, 'many/'), []);
    assert.deepEqual(
      (await keysIn(bucket)).sort(),
      [...outside].sort(),
      'every key outside the folder is still there',
    );
  });
});
