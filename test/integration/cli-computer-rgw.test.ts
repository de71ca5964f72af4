/**
 * The CLI's path rule end to end, through a temporary HOME: `ferry ls ~/` lists the home folder as
 * paths, `ferry cp -r ./photos/ rgw:b/backup/` uploads a folder (unicode and spaces, a link passed by)
 * and `ferry cp rgw:b/key ~/Downloads/` downloads into a folder, byte for byte, including a file large
 * enough to go in parts; bad paths exit with the usage code.
 */
import assert from 'node:assert/strict';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { runCli, type CliRun } from '../support/cli';
import { bundleCli } from '../support/node-bundle';
import { S3Store } from '../../main/storage/s3/s3-store';
import { listAll } from '../../main/storage/provider';
import { profileAddArgs, removeBucket, requireRgw, uniqueBucket } from '../support/rgw';

const root = path.resolve(__dirname, '..', '..');
const cli = path.join(root, 'dist', 'main', 'cli.js');
const rgw = requireRgw();
const bucket = uniqueBucket('cli-home');
const work = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'ferry-cli-home-')));
const home = path.join(work, 'home');
const dataDir = path.join(work, 'data');
const store = new S3Store({
  endpoint: rgw.endpoint,
  region: rgw.region,
  pathStyle: true,
  credentials: { accessKeyId: rgw.accessKeyId, secretAccessKey: rgw.secretAccessKey },
  requestTimeoutMs: 15_000,
});
const timeout = () => ({ signal: AbortSignal.timeout(15_000) });
// 12 MiB with 5 MiB parts: the download and the upload both go in three parts.
const big = Buffer.alloc(12 * 1024 * 1024);
for (let i = 0; i < big.length; i += 4) big.writeUInt32LE((i * 2654435761) >>> 0, i);

function ferry(args: string[], cwd = home): CliRun {
  return runCli(cli, ['--data-dir', dataDir, ...args], {
    cwd,
    env: { HOME: home, USERPROFILE: home },
    timeoutMs: 120_000,
  });
}

before(async () => {
  await bundleCli(cli, { sourcemap: true });
  mkdirSync(path.join(home, 'Downloads'), { recursive: true });
  mkdirSync(path.join(home, 'photos', '渡船 2024'), { recursive: true });
  writeFileSync(path.join(home, 'photos', 'harbour at dawn.jpg'), 'jpeg bytes');
  writeFileSync(path.join(home, 'photos', '渡船 2024', 'ünï côdé.txt'), 'unicode');
  writeFileSync(path.join(home, 'photos', 'big.bin'), big);
  symlinkSync('/etc', path.join(home, 'photos', 'etc-link'));
  await store.createBucket(bucket, undefined, timeout());
  const add = ferry(profileAddArgs(rgw, 'rgw'));
  assert.equal(add.code, 0, add.stderr);
});

after(async () => {
  try {
    await removeBucket(store, bucket);
  } finally {
    await store.close();
    rmSync(work, { recursive: true, force: true });
  }
});

test('ferry ls ~/ lists the home folder as paths', () => {
  const r = ferry(['ls', '~/']);
  assert.equal(r.code, 0, r.stderr);
  const paths = r.stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split('  ').at(-1));
  assert.deepEqual(paths, [`${home}/Downloads/`, `${home}/photos/`]);
  const inside = ferry(['ls', '-H', './photos']);
  assert.equal(inside.code, 0, inside.stderr);
  assert.match(inside.stdout, /LINK {2}.*\/photos\/etc-link -> \/etc$/m, 'a link is shown as a link');
  assert.match(inside.stdout, /12\.0 MiB {2}.*\/photos\/big\.bin$/m);
});

test('ferry cp -r ./photos/ uploads the folder, names intact, links passed by', async () => {
  const r = ferry([
    'cp',
    '-r',
    '--multipart-threshold',
    '5MiB',
    '--part-size',
    '5MiB',
    './photos/',
    `rgw:${bucket}/backup/`,
  ]);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  assert.ok(
    r.stdout.includes(`${home}/photos/ → rgw:${bucket}/`),
    `the task is named by its path:\n${r.stdout}`,
  );
  const keys: string[] = [];
  for await (const { page } of listAll(store, bucket, { prefix: 'backup/' }, timeout()))
    keys.push(...page.objects.map((o) => o.key));
  assert.deepEqual(keys.sort(), [
    'backup/photos/big.bin',
    'backup/photos/harbour at dawn.jpg',
    'backup/photos/渡船 2024/ünï côdé.txt',
  ]);
  const head = await store.headObject({ bucket, key: 'backup/photos/big.bin' }, timeout());
  assert.match(head.etag, /-3$/, 'the 12 MiB file went up in three parts');
});

test('ferry cp rgw:b/key ~/Downloads/ downloads into the folder, byte for byte', () => {
  for (const key of ['backup/photos/big.bin', 'backup/photos/harbour at dawn.jpg']) {
    const r = ferry(
      ['cp', '--multipart-threshold', '5MiB', '--part-size', '5MiB', `rgw:${bucket}/${key}`, '~/Downloads'],
      work,
    );
    assert.equal(r.code, 0, r.stderr + r.stdout);
  }
  assert.ok(readFileSync(path.join(home, 'Downloads', 'big.bin')).equals(big));
  assert.equal(readFileSync(path.join(home, 'Downloads', 'harbour at dawn.jpg'), 'utf8'), 'jpeg bytes');
  assert.deepEqual(readdirSync(path.join(home, 'Downloads')).sort(), ['big.bin', 'harbour at dawn.jpg']);
  const folder = ferry(
    ['cp', '-r', `rgw:${bucket}/backup/photos/渡船 2024/`, '../home/Downloads/'],
    path.join(home, '..', 'data'),
  );
  assert.equal(folder.code, 0, folder.stderr + folder.stdout);
  assert.equal(readFileSync(path.join(home, 'Downloads', '渡船 2024', 'ünï côdé.txt'), 'utf8'), 'unicode');
});

test('paths that cannot be used exit with a clear message and the documented codes', () => {
  const missing = ferry(['cp', './no-such-file.txt', `rgw:${bucket}/x/`]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /NoSuchKey/);
  const windows = ferry(['cp', 'C:\\Users\\x.txt', `rgw:${bucket}/x/`]);
  assert.equal(windows.code, 2);
  assert.match(windows.stderr, /is a Windows path; this computer has no drive letters/);
  const help = ferry(['--help']);
  assert.match(help.stdout, /\/path \.\/path \.\.\/path ~\/path/);
  assert.match(help.stdout, /ferry cp -r \.\/photos\/ P:b\/backup\//);
});
