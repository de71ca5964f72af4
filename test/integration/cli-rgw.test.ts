/**
 * The built `ferry` CLI against Ceph RGW through an S3 profile (path-style, keys from flags): listing
 * buckets and objects, a service error with its request id, and copies between RGW and Local.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { runCli, type CliRun } from '../support/cli';
import { bundleCli } from '../support/node-bundle';
import { S3Store } from '../../main/storage/s3/s3-store';
import { profileAddArgs, removeBucket, requireRgw, uniqueBucket } from '../support/rgw';

const root = path.resolve(__dirname, '..', '..');
const cli = path.join(root, 'dist', 'main', 'cli.js');
const rgw = requireRgw();
const bucket = uniqueBucket('cli');
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ferry-cli-rgw-'));
const store = new S3Store({
  endpoint: rgw.endpoint,
  region: rgw.region,
  pathStyle: true,
  credentials: { accessKeyId: rgw.accessKeyId, secretAccessKey: rgw.secretAccessKey },
  requestTimeoutMs: 15_000,
});
const timeout = () => ({ signal: AbortSignal.timeout(15_000) });

function ferry(args: string[]): CliRun {
  return runCli(cli, ['--data-dir', dataDir, ...args]);
}

const keysOf = (stdout: string) =>
  stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split('  ').at(-1));

before(async () => {
  await bundleCli(cli, { sourcemap: true });
  await store.createBucket(bucket, undefined, timeout());
  for (const [key, body] of [
    ['top.txt', 'top'],
    ['docs/a b:ü.txt', 'hello'],
    ['docs/sub/c.txt', 'ccc'],
  ] as const) {
    await store.putObject(bucket, key, Buffer.from(body), body.length, {}, timeout());
  }
  const add = ferry(profileAddArgs(rgw, 'rgw'));
  assert.equal(add.code, 0, add.stderr);
});

after(async () => {
  try {
    await removeBucket(store, bucket);
  } finally {
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('PROFILE: lists the buckets of an S3 account', () => {
  const r = ferry(['ls', 'rgw:']);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(keysOf(r.stdout).includes(bucket));
});

test('lists folders and objects, and everything with --recursive', () => {
  const r = ferry(['ls', `rgw:${bucket}`]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(keysOf(r.stdout), ['docs/', 'top.txt']);
  const all = ferry(['ls', '-r', `rgw:${bucket}/docs/`]);
  assert.deepEqual(keysOf(all.stdout), ['docs/a b:ü.txt', 'docs/sub/c.txt']);
  assert.match(all.stdout, /\s5 {2}docs\/a b:ü\.txt/);
});

test('a missing bucket exits 1 with the service code and its request id', () => {
  const r = ferry(['ls', `rgw:${bucket}-missing`]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^ferry: NoSuchBucket: .* \(request id tx[0-9a-f-]+/);
});

test('copies an object from RGW to Local and a Local folder to RGW (needs the copy engine)', () => {
  mkdirSync(path.join(dataDir, 'local', 'here'), { recursive: true });
  const down = ferry(['cp', `rgw:${bucket}/docs/a b:ü.txt`, 'local:here/']);
  assert.equal(down.code, 0, down.stderr);
  assert.equal(readFileSync(path.join(dataDir, 'local', 'here', 'a b:ü.txt'), 'utf8'), 'hello');

  mkdirSync(path.join(dataDir, 'local', 'here', 'up', 'deep'), { recursive: true });
  writeFileSync(path.join(dataDir, 'local', 'here', 'up', 'one.txt'), '1');
  writeFileSync(path.join(dataDir, 'local', 'here', 'up', 'deep', 'two.txt'), '22');
  const up = ferry(['cp', '--recursive', 'local:here/up', `rgw:${bucket}/backup/`]);
  assert.equal(up.code, 0, up.stderr);
  const listed = ferry(['ls', '-r', `rgw:${bucket}/backup/`]);
  assert.deepEqual(keysOf(listed.stdout), ['backup/up/deep/two.txt', 'backup/up/one.txt']);
});
