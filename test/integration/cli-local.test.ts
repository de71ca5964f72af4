/**
 * The built `ferry` CLI as a child process on a temporary data folder, against the Local provider
 * (buckets are folders under DATA_DIR/local, so the tests create and check files directly).
 */
import assert from 'node:assert/strict';
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
  existsSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runCli } from '../support/cli';
import { bundleCli } from '../support/node-bundle';
import { spawnWebHost } from '../support/web-host';

const root = path.resolve(__dirname, '..', '..');
const cli = path.join(root, 'dist', 'main', 'cli.js');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'ferry-cli-'));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function ferry(args: string[], env: Record<string, string> = {}): Run {
  return runCli(cli, args, { env });
}

function freshDataDir(): string {
  const dir = mkdtempSync(path.join(tmp, 'data-'));
  return dir;
}

function putLocal(dataDir: string, bucket: string, key: string, body: string | Buffer): void {
  const file = path.join(dataDir, 'local', bucket, ...key.split('/'));
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, body);
}

/** Every file under a folder, contents included: where a secret must never appear. */
function allFileText(dir: string): string {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => readFileSync(path.join(e.parentPath, e.name), 'latin1'))
    .join('\n');
}

before(async () => {
  // The CLI alone: the full build also needs the renderer, which is not what these tests are about.
  await bundleCli(cli, { sourcemap: true });
});

after(() => rmSync(tmp, { recursive: true, force: true }));

describe('usage', () => {
  test('--help documents the commands and the exit codes and exits 0', () => {
    const r = ferry(['--help']);
    assert.equal(r.code, 0);
    for (const word of [
      'profile',
      'ls',
      'cp',
      'tasks',
      'resume',
      'abort-orphans',
      'Exit codes',
      '--data-dir',
    ]) {
      assert.ok(r.stdout.includes(word), word);
    }
  });

  test('--version prints the package version', () => {
    const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      version: string;
    };
    const r = ferry(['--version']);
    assert.equal(r.code, 0);
    assert.equal(r.stdout.trim(), version);
  });

  test('usage errors exit 2 with a message on stderr', () => {
    const dataDir = freshDataDir();
    const cases: [string[], RegExp][] = [
      [['ls', 'no-colon-here'], /not an address/],
      [['ls', 'local:/key'], /no bucket/],
      [['ls', '--bogus', 'local:'], /unknown option/],
      [['frobnicate'], /unknown command/],
      [['cp', 'local:bkt/a', 'local:bkt/b/', '--part-size', 'lots'], /not a size/],
      [['cp', 'local:bkt/a', 'local:bkt/b/', '--jobs', '0'], /--jobs/],
      [['cp', 'local:bkt/dir/', 'local:bkt/b/'], /--recursive/],
      [['cp', 'local:bkt/a', 'local:bkt/b/', '--conflict', 'maybe'], /conflict/],
      [['cp', 'local:bkt/a'], /missing required argument/],
      [['abort-orphans', 'local:'], /names no bucket/],
    ];
    for (const [args, message] of cases) {
      const r = ferry(['--data-dir', dataDir, ...args]);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message, args.join(' '));
      assert.equal(r.stdout, '', args.join(' '));
    }
  });

  test('an operation that fails exits 1 with the service error code', () => {
    const r = ferry(['--data-dir', freshDataDir(), 'ls', 'local:no-such-bucket']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^ferry: NoSuchBucket: /);
  });

  test('an unknown account exits 1 and names the accounts there are', () => {
    const r = ferry(['--data-dir', freshDataDir(), 'ls', 'nobody:bkt']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^ferry: NoSuchProfile: .*local/);
  });
});

describe('data folder', () => {
  test('--data-dir wins over FERRY_DATA_DIR, which is used without it', () => {
    const fromEnv = freshDataDir();
    const fromFlag = freshDataDir();
    putLocal(fromEnv, 'env-bucket', 'a', 'x');
    putLocal(fromFlag, 'flag-bucket', 'a', 'x');
    const viaEnv = ferry(['ls', 'local:'], { FERRY_DATA_DIR: fromEnv });
    assert.equal(viaEnv.code, 0, viaEnv.stderr);
    assert.match(viaEnv.stdout, /env-bucket/);
    const viaFlag = ferry(['--data-dir', fromFlag, 'ls', 'local:'], { FERRY_DATA_DIR: fromEnv });
    assert.match(viaFlag.stdout, /flag-bucket/);
    assert.doesNotMatch(viaFlag.stdout, /env-bucket/);
  });

  test('the CLI does not seed sample buckets', () => {
    const dataDir = freshDataDir();
    const r = ferry(['--data-dir', dataDir, 'ls', 'local:']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '');
  });
});

describe('profile', () => {
  const secret = 'sEcReT/with+chars=0123456789abcdef';

  test('add with keys from flags stores the secret outside profiles.json and never prints it', () => {
    const dataDir = freshDataDir();
    const add = ferry([
      '--data-dir',
      dataDir,
      'profile',
      'add',
      'My RGW',
      '--provider',
      's3',
      '--endpoint',
      'http://127.0.0.1:9/',
      '--region',
      'us-east-1',
      '--path-style',
      '--access-key-id',
      'AKIDFLAG',
      '--secret-access-key',
      secret,
    ]);
    assert.equal(add.code, 0, add.stderr);
    assert.match(add.stdout, /saved account my-rgw/);
    const profiles = JSON.parse(readFileSync(path.join(dataDir, 'profiles.json'), 'utf8')) as Record<
      string,
      unknown
    >[];
    assert.equal(profiles.length, 1);
    assert.equal(profiles[0]!.pathStyle, true);
    assert.equal(profiles[0]!.endpoint, 'http://127.0.0.1:9');
    assert.equal(profiles[0]!.secretStore, 'encrypted-file');

    const list = ferry(['--data-dir', dataDir, 'profile', 'list']);
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, /^local\tLocal\tlocal/m);
    assert.match(
      list.stdout,
      /^my-rgw\tMy RGW\ts3\thttp:\/\/127\.0\.0\.1:9\tus-east-1\tpath-style\tkeys: encrypted-file$/m,
    );

    for (const text of [add.stdout, add.stderr, list.stdout, list.stderr, allFileText(dataDir)]) {
      assert.ok(!text.includes(secret), 'the secret leaked');
    }

    const remove = ferry(['--data-dir', dataDir, 'profile', 'remove', 'My RGW']);
    assert.equal(remove.code, 0, remove.stderr);
    assert.doesNotMatch(ferry(['--data-dir', dataDir, 'profile', 'list']).stdout, /my-rgw/);
    assert.deepEqual(JSON.parse(readFileSync(path.join(dataDir, 'profiles.json'), 'utf8')), []);
    assert.equal(ferry(['--data-dir', dataDir, 'profile', 'remove', 'my-rgw']).code, 1);
  });

  test('add with keys from the environment keeps reading them from there and stores no secret', () => {
    const dataDir = freshDataDir();
    const env = { FERRY_ACCESS_KEY_ID: 'AKIDENV', FERRY_SECRET_ACCESS_KEY: secret };
    const add = ferry(
      [
        '--data-dir',
        dataDir,
        'profile',
        'add',
        'ci',
        '--provider',
        'oss',
        '--endpoint',
        'https://oss-cn-hangzhou.aliyuncs.com',
        '--region',
        'cn-hangzhou',
        '--signature-version',
        'v1',
        '--read-only',
      ],
      env,
    );
    assert.equal(add.code, 0, add.stderr);
    const list = ferry(['--data-dir', dataDir, 'profile', 'list'], env);
    assert.match(
      list.stdout,
      /^ci\tci\toss\thttps:\/\/oss-cn-hangzhou\.aliyuncs\.com\tcn-hangzhou\tread-only,v1\tkeys: environment$/m,
    );
    assert.ok(!existsSync(path.join(dataDir, 'secrets', 'secrets.enc')), 'no secret was written');
    for (const text of [add.stdout, add.stderr, list.stdout, allFileText(dataDir)]) {
      assert.ok(!text.includes(secret), 'the secret leaked');
      assert.ok(!text.includes('AKIDENV'), 'the key id was stored');
    }
  });

  test('add without keys and without a terminal is a usage error', () => {
    const dataDir = freshDataDir();
    const r = ferry([
      '--data-dir',
      dataDir,
      'profile',
      'add',
      'x',
      '--provider',
      's3',
      '--endpoint',
      'http://h',
      '--region',
      'r',
    ]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /FERRY_ACCESS_KEY_ID/);
    const half = ferry([
      '--data-dir',
      dataDir,
      'profile',
      'add',
      'x',
      '--provider',
      's3',
      '--endpoint',
      'http://h',
      '--region',
      'r',
      '--access-key-id',
      'only-the-id',
    ]);
    assert.equal(half.code, 2);
  });

  test('a second account with the same name fails with ProfileExists', () => {
    const dataDir = freshDataDir();
    const args = [
      '--data-dir',
      dataDir,
      'profile',
      'add',
      'dup',
      '--provider',
      's3',
      '--endpoint',
      'http://h',
      '--region',
      'r',
    ];
    const keys = ['--access-key-id', 'a', '--secret-access-key', 'b'];
    assert.equal(ferry([...args, ...keys]).code, 0);
    const again = ferry([...args, ...keys]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /^ferry: ProfileExists: /);
  });
});

describe('ls on the Local provider', () => {
  const dataDir = freshDataDir();
  before(() => {
    putLocal(dataDir, 'photos', 'top.txt', 'top');
    putLocal(dataDir, 'photos', '2024/a b/x:1 名前.jpg', 'hello');
    putLocal(dataDir, 'photos', '2024/b.jpg', '123456789');
    putLocal(dataDir, 'other', 'z', '');
  });

  test('PROFILE: alone lists buckets', () => {
    const r = ferry(['--data-dir', dataDir, 'ls', 'local:']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(
      r.stdout
        .trim()
        .split('\n')
        .map((l) => l.trim().split(/\s+/).at(-1)),
      ['other', 'photos'],
    );
  });

  test('lists folders and objects one level deep, with size and date', () => {
    const r = ferry(['--data-dir', dataDir, 'ls', 'local:photos']);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.split('\n').filter(Boolean);
    assert.equal(lines.length, 2);
    assert.match(lines[0]!, /^\s+DIR {2}2024\/$/);
    assert.match(lines[1]!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ {2}\s+3 {2}top\.txt$/);
    const inner = ferry(['--data-dir', dataDir, 'ls', 'local:photos/2024/']);
    assert.deepEqual(
      inner.stdout
        .trim()
        .split('\n')
        .map((l) => l.split('  ').at(-1)),
      ['2024/a b/', '2024/b.jpg'],
    );
  });

  test('--recursive lists every object under the prefix without folders', () => {
    const r = ferry(['--data-dir', dataDir, 'ls', '--recursive', 'local:photos/2024']);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.deepEqual(
      lines.map((l) => l.split('  ').at(-1)),
      ['2024/a b/x:1 名前.jpg', '2024/b.jpg'],
    );
    assert.match(lines[0]!, /\s5 {2}2024/);
    assert.match(lines[1]!, /\s9 {2}2024/);
  });

  test('pages through listings longer than one page', () => {
    const many = freshDataDir();
    for (let i = 0; i < 1205; i++) putLocal(many, 'big', `k/${String(i).padStart(5, '0')}`, '');
    const r = ferry(['--data-dir', many, 'ls', '-r', 'local:big/k/']);
    assert.equal(r.code, 0, r.stderr);
    const keys = r.stdout
      .trim()
      .split('\n')
      .map((l) => l.split('  ').at(-1));
    assert.equal(keys.length, 1205);
    assert.equal(keys[0], 'k/00000');
    assert.equal(keys.at(-1), 'k/01204');
  });
});

describe('cp on the Local provider (needs the copy engine)', () => {
  test('copies one object into a folder, keeping its name, and says so on one line', () => {
    const dataDir = freshDataDir();
    putLocal(dataDir, 'src', 'dir/a b:é.txt', 'payload-1');
    mkdirSync(path.join(dataDir, 'local', 'dst'), { recursive: true });
    const r = ferry(['--data-dir', dataDir, 'cp', 'local:src/dir/a b:é.txt', 'local:dst/backup/']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      readFileSync(path.join(dataDir, 'local', 'dst', 'backup', 'a b:é.txt'), 'utf8'),
      'payload-1',
    );
    // Not a terminal: no progress bar, only the final line.
    assert.equal(r.stdout.trim().split('\n').length, 1);
    assert.match(r.stdout, /^copied local:src\/dir\/a b:é\.txt → local:dst\/backup\/a b:é\.txt/);
    assert.ok(!r.stdout.includes('\r') && !r.stdout.includes('\u001b['), 'no progress bar when piped');
  });

  test('copies a folder with --recursive and lists it as a finished task', () => {
    const dataDir = freshDataDir();
    putLocal(dataDir, 'src', 'photos/a.jpg', 'A');
    putLocal(dataDir, 'src', 'photos/sub/b.jpg', 'BB');
    putLocal(dataDir, 'src', 'other.txt', 'not copied');
    mkdirSync(path.join(dataDir, 'local', 'dst'), { recursive: true });
    const r = ferry([
      '--data-dir',
      dataDir,
      'cp',
      '--recursive',
      '--jobs',
      '2',
      'local:src/photos',
      'local:dst',
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(readFileSync(path.join(dataDir, 'local', 'dst', 'photos', 'a.jpg'), 'utf8'), 'A');
    assert.equal(readFileSync(path.join(dataDir, 'local', 'dst', 'photos', 'sub', 'b.jpg'), 'utf8'), 'BB');
    assert.ok(!existsSync(path.join(dataDir, 'local', 'dst', 'other.txt')));
    const ls = ferry(['--data-dir', dataDir, 'ls', '-r', 'local:dst']);
    assert.deepEqual(
      ls.stdout
        .trim()
        .split('\n')
        .map((l) => l.split('  ').at(-1)),
      ['photos/a.jpg', 'photos/sub/b.jpg'],
    );
    const tasks = ferry(['--data-dir', dataDir, 'tasks']);
    assert.equal(tasks.code, 0, tasks.stderr);
    assert.match(tasks.stdout, /\tdone\tlocal:src\/photos\/ → local:dst\//);
  });

  test('a copy whose source does not exist exits 1 with the error code', () => {
    const dataDir = freshDataDir();
    mkdirSync(path.join(dataDir, 'local', 'src'), { recursive: true });
    const r = ferry(['--data-dir', dataDir, 'cp', 'local:src/missing.txt', 'local:src/out/']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^ferry: NoSuchKey: /m);
  });

  test('a multipart copy honours --part-size and --multipart-threshold', () => {
    const dataDir = freshDataDir();
    const body = Buffer.alloc(3 * 1024 * 1024 + 17, 7);
    putLocal(dataDir, 'src', 'big.bin', body);
    const r = ferry([
      '--data-dir',
      dataDir,
      'cp',
      'local:src/big.bin',
      'local:src/copy/',
      '--multipart-threshold',
      '1MiB',
      '--part-size',
      '1MiB',
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(readFileSync(path.join(dataDir, 'local', 'src', 'copy', 'big.bin')).equals(body));
  });

  test('a copy on a data folder whose web host is running copies refuses, names it and changes nothing; it works once the host stops', async () => {
    const web = await spawnWebHost();
    try {
      putLocal(web.dataDir, 'src', 'one.txt', 'one');
      const before = readdirSync(path.join(web.dataDir, 'checkpoints')).sort();
      const refused = ferry(['--data-dir', web.dataDir, 'cp', 'local:src/one.txt', 'local:src/out/']);
      assert.equal(refused.code, 1, refused.stderr);
      assert.match(refused.stderr, /DataFolderInUse: another Ferry \(web, process \d+/);
      assert.deepEqual(readdirSync(path.join(web.dataDir, 'checkpoints')).sort(), before);
      assert.equal(existsSync(path.join(web.dataDir, 'local', 'src', 'out')), false);
      // A look needs no engine: the list is read as recorded, and nothing is taken over.
      const look = ferry(['--data-dir', web.dataDir, 'tasks']);
      assert.equal(look.code, 0, look.stderr);
      assert.match(look.stderr, /another Ferry \(web, process \d+.*; showing the tasks as recorded/);
      assert.deepEqual(readdirSync(path.join(web.dataDir, 'checkpoints')).sort(), before);

      const exited = new Promise((resolve) => web.child.once('exit', resolve));
      web.child.kill('SIGTERM');
      await exited;
      const copied = ferry(['--data-dir', web.dataDir, 'cp', 'local:src/one.txt', 'local:src/out/']);
      assert.equal(copied.code, 0, copied.stderr);
      assert.equal(readFileSync(path.join(web.dataDir, 'local', 'src', 'out', 'one.txt'), 'utf8'), 'one');
    } finally {
      await web.close();
    }
  });
});
