/**
 * OSS endpoints, regions, keys and XML against the OSS gateway (test/servers/oss-gateway), which
 * checks every signature with ali-oss's own code, run here as a child process with a custom domain
 * (`--cname localhost=BUCKET`), a bucket in another region (`--bucket-region`) and a bucket whose
 * region a RAM user may not look up (`--refuse-region-lookup`); and the dialect-neutral rules (key
 * checks, control characters in a Delete body, tag values with spaces) on both dialects, OSS through
 * the gateway and S3 straight to Ceph RGW.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import type { CopyOptions, TaskSummary } from '../../preload/shared/contract';
import { EventBus } from '../../main/core/events';
import { DEFAULT_SETTINGS } from '../../main/core/settings';
import { StorageError } from '../../main/storage/errors';
import { LocalStore } from '../../main/storage/local/local-store';
import { OssStore } from '../../main/storage/oss/oss-store';
import { listAll, type ObjectStore } from '../../main/storage/provider';
import { CopyEngine } from '../../main/tasks/copy-engine';
import { runCli, type CliRun } from '../support/cli';
import { rgwAdmin } from '../support/dialect';
import { removeBucket, requireRgw, uniqueBucket } from '../support/rgw';

const root = path.resolve(__dirname, '..', '..');
const rgw = requireRgw();
const admin = rgwAdmin(rgw);
const keys = { accessKeyId: rgw.accessKeyId, secretAccessKey: rgw.secretAccessKey };
const opts = () => ({ signal: AbortSignal.timeout(60_000) });
const OSS = createRequire(__filename)('ali-oss') as new (options: Record<string, unknown>) => {
  put(name: string, body: Buffer): Promise<unknown>;
  get(name: string): Promise<{ content: Buffer }>;
  list(query: Record<string, unknown>, options?: object): Promise<{ objects?: { name: string }[] }>;
  delete(name: string): Promise<unknown>;
};

const BOUND = uniqueBucket('cname');
const FAR = uniqueBucket('far');
const NO_REGION = uniqueBucket('noregion');
const PLAIN = uniqueBucket('plain');
const BUCKETS = [BOUND, FAR, NO_REGION, PLAIN];
const tmp = mkdtempSync(path.join(os.tmpdir(), 'ferry-oss-endpoints-'));

let gateway: ChildProcess;
let port = 0;
const ipEndpoint = () => `http://127.0.0.1:${port}`;
/** The custom domain: `localhost` resolves here, and the gateway binds it to BOUND. */
const cnameEndpoint = () => `http://localhost:${port}`;

function ossStore(extra: Partial<ConstructorParameters<typeof OssStore>[0]> = {}): OssStore {
  return new OssStore({ endpoint: ipEndpoint(), region: 'cn-hangzhou', credentials: keys, ...extra });
}

async function bytesOf(store: ObjectStore, bucket: string, key: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of (await store.getObject({ bucket, key }, undefined, opts())) as Readable)
    chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

async function keysIn(store: ObjectStore, bucket: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for await (const { page } of listAll(store, bucket, { prefix }, opts()))
    out.push(...page.objects.map((o) => o.key));
  return out.sort();
}

before(async () => {
  for (const b of BUCKETS) await admin.createBucket(b, rgw.region, opts());
  gateway = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'test/servers/oss-gateway.ts',
      '--port',
      '0',
      '--s3',
      rgw.endpoint,
      '--access-key-id',
      rgw.accessKeyId,
      '--secret-access-key',
      rgw.secretAccessKey,
      '--cname',
      `localhost=${BOUND}`,
      '--bucket-region',
      `${FAR}=cn-beijing`,
      '--refuse-region-lookup',
      NO_REGION,
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the OSS gateway did not start within 60 s')), 60_000);
    let out = '';
    gateway.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /^OSS gateway: http:\/\/127\.0\.0\.1:(\d+)$/m.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    gateway.on('exit', (code) => reject(new Error(`the OSS gateway exited (${code}) before it started`)));
  });
  gateway.stdout!.resume();
});

after(async () => {
  try {
    for (const b of BUCKETS) await removeBucket(admin, b);
  } finally {
    if (gateway.exitCode === null) {
      const exited = new Promise((resolve) => gateway.once('exit', resolve));
      gateway.kill('SIGTERM');
      await exited;
    }
    await admin.close();
    rmSync(tmp, { recursive: true, force: true });
  }
});

// ---------------------------------------------------------------------------------------------

describe('a custom domain (CNAME) bound to a bucket', () => {
  for (const v4 of [false, true]) {
    test(`ali-oss with cname: true puts, reads and lists through the gateway's domain (${v4 ? 'V4' : 'V1'})`, async () => {
      const ali = new OSS({
        endpoint: cnameEndpoint(),
        cname: true,
        bucket: BOUND,
        region: 'oss-cn-hangzhou',
        accessKeyId: keys.accessKeyId,
        accessKeySecret: keys.secretAccessKey,
        authorizationV4: v4,
        timeout: 60_000,
        retryMax: 0,
      });
      const key = `ali/${v4 ? 'v4' : 'v1'} 文件+1.txt`;
      await ali.put(key, Buffer.from('through the domain'));
      assert.equal((await ali.get(key)).content.toString(), 'through the domain');
      const listed = await ali.list({ prefix: 'ali/', 'max-keys': 10 });
      assert.ok(listed.objects?.some((o) => o.name === key));
      // The key landed in the bound bucket as given: no bucket name crept into it.
      assert.equal((await bytesOf(admin, BOUND, key)).toString(), 'through the domain');
      await ali.delete(key);
    });
  }

  test('ferry profile add --cname: the CLI lists the bound bucket, copies into it and reads back through the domain', () => {
    const dataDir = path.join(tmp, 'cli');
    mkdirSync(path.join(dataDir, 'local', 'outbox'), { recursive: true });
    writeFileSync(path.join(dataDir, 'local', 'outbox', 'hello.txt'), 'hello over a custom domain');
    const cli = path.join(root, 'dist', 'main', 'cli.js');
    const ferry = (...args: string[]): CliRun => {
      const r = runCli(cli, ['--data-dir', dataDir, ...args]);
      assert.equal(r.code, 0, `ferry ${args.join(' ')}: ${r.stderr}`);
      return r;
    };
    ferry(
      'profile',
      'add',
      'domain',
      '--provider',
      'oss',
      '--endpoint',
      cnameEndpoint(),
      '--region',
      'cn-hangzhou',
      '--cname',
      BOUND,
      '--access-key-id',
      keys.accessKeyId,
      '--secret-access-key',
      keys.secretAccessKey,
    );
    assert.match(ferry('profile', 'list').stdout, new RegExp(`cname=${BOUND}`));
    assert.match(ferry('ls', 'domain:').stdout, new RegExp(BOUND));
    ferry('cp', 'local:outbox/hello.txt', `domain:${BOUND}/inbox/`);
    assert.match(ferry('ls', `domain:${BOUND}/inbox/`).stdout, /hello\.txt/);
    const wrong = runCli(cli, ['--data-dir', dataDir, 'ls', `domain:${PLAIN}/`]);
    assert.notEqual(wrong.code, 0);
    assert.match(wrong.stderr, new RegExp(`serves bucket "${BOUND}" only`));
    const s3 = runCli(cli, [
      '--data-dir',
      dataDir,
      'profile',
      'add',
      's3-domain',
      '--provider',
      's3',
      '--endpoint',
      rgw.endpoint,
      '--region',
      rgw.region,
      '--cname',
      BOUND,
      '--access-key-id',
      keys.accessKeyId,
      '--secret-access-key',
      keys.secretAccessKey,
    ]);
    assert.notEqual(s3.code, 0);
    assert.match(s3.stderr, /CNAME\) is an OSS setting/);
  });

  test('the object the CLI copied is in the bound bucket under its own key', async () => {
    // The domain's path is the key alone: a bucket name in it would have made `BUCKET/inbox/…`.
    assert.equal((await bytesOf(admin, BOUND, 'inbox/hello.txt')).toString(), 'hello over a custom domain');
  });
});

describe('regions on an endpoint that names none (a private or IP endpoint)', () => {
  test('a bucket in another region is signed for that region, learnt from ListBuckets', async () => {
    const s = ossStore();
    try {
      const far = (await s.listBuckets(opts())).find((b) => b.name === FAR);
      assert.equal(far?.region, 'cn-beijing');
      await s.putObject(FAR, 'signed.txt', Buffer.from('beijing'), 7, {}, opts());
      assert.equal((await bytesOf(s, FAR, 'signed.txt')).toString(), 'beijing');
    } finally {
      await s.close();
    }
    // The gateway does refuse the profile's region for it (judged by ali-oss's signer).
    const fresh = ossStore();
    try {
      await assert.rejects(fresh.headObject({ bucket: FAR, key: 'signed.txt' }, opts()), (err) => {
        assert.ok(err instanceof StorageError);
        assert.match(err.message, /signing region/i);
        return true;
      });
    } finally {
      await fresh.close();
    }
  });
});

// ---------------------------------------------------------------------------------------------
// The copy engine, for the rules that decide per object.

const COPY: CopyOptions = { metadataDirective: 'COPY', conflict: 'overwrite' };

async function runEngine(
  stores: Record<string, ObjectStore>,
  source: { profileId: string; bucket: string; key: string; isFolder: boolean },
  destination: { profileId: string; bucket: string; prefix: string },
): Promise<TaskSummary> {
  const engine = new CopyEngine({
    layout: { checkpoints: mkdtempSync(path.join(tmp, 'checkpoints-')) },
    stores: {
      storeFor: (id) => {
        const store = stores[id];
        if (!store) throw new Error(`no profile ${id}`);
        return store;
      },
    },
    settings: { get: () => ({ ...DEFAULT_SETTINGS }) },
    bus: new EventBus(),
    logger: { debug() {}, info() {}, warn() {}, error() {}, redact: (s: string) => s },
  });
  try {
    const [id] = await engine.copy([source], destination, COPY);
    let timer: NodeJS.Timeout | undefined;
    return await Promise.race([
      engine.waitFor(id!),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('the copy did not finish within 90 s')), 90_000);
      }),
    ]).finally(() => clearTimeout(timer));
  } finally {
    await engine.close();
  }
}

test('a bucket whose region cannot be looked up is copied from by a stream, never a CopyObject', async () => {
  await admin.putObject(NO_REGION, 'a.txt', Buffer.from('region unknown'), 14, {}, opts());
  const s = ossStore();
  try {
    const done = await runEngine(
      { oss: s },
      { profileId: 'oss', bucket: NO_REGION, key: 'a.txt', isFolder: false },
      { profileId: 'oss', bucket: PLAIN, prefix: 'from-unknown/' },
    );
    assert.equal(done.state, 'done', JSON.stringify(done.error));
    assert.equal(done.strategy, 'stream');
    assert.equal((await bytesOf(admin, PLAIN, 'from-unknown/a.txt')).toString(), 'region unknown');
    // Within the one bucket its region does not matter: that copy stays server-side.
    const inside = await runEngine(
      { oss: s },
      { profileId: 'oss', bucket: NO_REGION, key: 'a.txt', isFolder: false },
      { profileId: 'oss', bucket: NO_REGION, prefix: 'again/' },
    );
    assert.equal(inside.strategy, 'copy-object');
  } finally {
    await s.close();
  }
});

describe('names a service refuses, in a folder copy', () => {
  // Local keys can be longer than either service takes: the name is the destination's problem.
  const localRoot = path.join(tmp, 'local-long');
  const local = new LocalStore(localRoot);
  const segment = 'd'.repeat(200);
  const longKey = `${[segment, segment, segment, segment, segment].join('/')}/far-too-long.txt`; // 1,022 + prefix
  before(() => {
    const folder = path.join(localRoot, 'names', 'fold');
    mkdirSync(path.join(folder, ...longKey.split('/').slice(0, -1)), { recursive: true });
    writeFileSync(path.join(folder, 'first.txt'), 'first');
    writeFileSync(path.join(folder, 'last.txt'), 'last');
    writeFileSync(path.join(folder, ...longKey.split('/')), 'never sent');
  });

  for (const dialect of ['oss', 's3'] as const) {
    test(`${dialect}: the object whose name is too long is reported, the others are copied`, async () => {
      const store: ObjectStore & { close(): Promise<void> } = dialect === 'oss' ? ossStore() : rgwAdmin(rgw);
      const prefix = `refused-${dialect}/`;
      try {
        const done = await runEngine(
          { local, cloud: store },
          { profileId: 'local', bucket: 'names', key: 'fold/', isFolder: true },
          { profileId: 'cloud', bucket: PLAIN, prefix },
        );
        assert.equal(done.state, 'failed');
        assert.equal(done.error?.code, 'KeyTooLongError');
        assert.match(done.error!.message, /1 object was not copied .*the other objects were copied/);
        assert.match(done.error!.message, dialect === 'oss' ? /at most 1023 bytes/ : /at most 1024 bytes/);
        assert.deepEqual(await keysIn(admin, PLAIN, prefix), [
          `${prefix}fold/first.txt`,
          `${prefix}fold/last.txt`,
        ]);
      } finally {
        await store.close();
      }
    });
  }
});

describe('XML bodies on both dialects', () => {
  const hostile = [
    'cr\r.txt',
    'crlf\r\n.txt',
    'tab\t.txt',
    'ctl\u0001.txt',
    'esc\u001b[31m.txt',
    '  spaces around  ',
    '100% & <angle>.txt',
  ];
  for (const dialect of ['oss', 's3'] as const) {
    test(`${dialect}: a batch delete removes keys holding control characters and blanks, none written raw`, async () => {
      const store: ObjectStore & { close(): Promise<void> } = dialect === 'oss' ? ossStore() : rgwAdmin(rgw);
      const prefix = `delete-${dialect}/`;
      try {
        for (const k of hostile) await admin.putObject(PLAIN, prefix + k, Buffer.from('x'), 1, {}, opts());
        const keysNow = await keysIn(admin, PLAIN, prefix);
        assert.equal(keysNow.length, hostile.length);
        const failed = await store.deleteObjects(PLAIN, [...keysNow, `${prefix}never-existed`], opts());
        assert.deepEqual(failed, []);
        assert.deepEqual(await keysIn(admin, PLAIN, prefix), []);
      } finally {
        await store.close();
      }
    });

    test(`${dialect}: tag values with leading and trailing spaces are kept exactly`, async () => {
      const store: ObjectStore & { close(): Promise<void> } = dialect === 'oss' ? ossStore() : rgwAdmin(rgw);
      const ref = { bucket: PLAIN, key: `tags-${dialect}.txt` };
      try {
        await admin.putObject(ref.bucket, ref.key, Buffer.from('x'), 1, {}, opts());
        const tags = { padded: '  two spaces each side  ', trailing: 'end ', leading: ' start' };
        await store.putObjectTagging(ref, tags, opts());
        assert.deepEqual(await store.getObjectTagging(ref, opts()), tags);
      } finally {
        await store.close();
      }
    });
  }
});
