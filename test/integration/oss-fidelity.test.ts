/**
 * What a copy keeps besides the bytes, and how it proves the bytes, on the OSS gateway (which checks
 * every signature with ali-oss's code and keeps the data in RGW) and on RGW itself: Appendable
 * sources, CRC-64 verification with wrong copies removed, server-side encryption and storage class
 * carried over, conditional writes for skip / keep-both, and expired temporary credentials pausing
 * a task until the account is saved again. The gateway is started here, in this process, because
 * these tests issue and expire its STS credentials.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import type { CopyOptions, Settings, TaskSummary } from '../../preload/shared/contract';
import { appServiceOptions, createApp, type App } from '../../main/app/wiring';
import { dispatch } from '../../main/app/dispatch';
import { EventBus } from '../../main/core/events';
import { DEFAULT_SETTINGS } from '../../main/core/settings';
import { OssStore } from '../../main/storage/oss/oss-store';
import type { ObjectStore } from '../../main/storage/provider';
import { CopyEngine } from '../../main/tasks/copy-engine';
import { startOssGateway, type OssGateway } from '../servers/oss-gateway/server';
import type { IssuedCredentials } from '../servers/oss-gateway/sts';
import { rgwAdmin } from '../support/dialect';
import { removeBucket, requireRgw, uniqueBucket } from '../support/rgw';

const OSS = createRequire(__filename)('ali-oss') as new (
  options: Record<string, unknown>,
) => Record<string, (...a: unknown[]) => Promise<{ nextAppendPosition: string }>>;

const MiB = 1024 * 1024;
const REGION = 'cn-hangzhou';
const rgw = requireRgw();
const admin = rgwAdmin(rgw);
const bucket = uniqueBucket('fidelity');
const versioned = uniqueBucket('fidelity-v');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'ferry-fidelity-'));
const opts = () => ({ signal: AbortSignal.timeout(60_000) });
const gatewayLog: string[] = [];
let gw: OssGateway;
/** OSS with the gateway's permanent keys. */
let oss: OssStore;
/** OSS with temporary credentials: another access key, so another copy domain (copies stream). */
let other: OssStore;
let otherKeys: IssuedCredentials;
const engines: CopyEngine[] = [];

const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');

async function bytesOf(store: ObjectStore, b: string, key: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of (await store.getObject({ bucket: b, key }, undefined, opts())) as Readable)
    chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

async function exists(b: string, key: string): Promise<boolean> {
  return admin.headObject({ bucket: b, key }, opts()).then(
    () => true,
    () => false,
  );
}

type Hook = (fn: (...a: unknown[]) => unknown, ...a: unknown[]) => unknown;

/** A store whose chosen methods run `hook` first (to corrupt, to let another writer in). */
function intercepted(inner: ObjectStore, hooks: Partial<Record<keyof ObjectStore, Hook>>): ObjectStore {
  return new Proxy(inner, {
    get: (target, prop) => {
      const value = Reflect.get(target, prop, target) as unknown;
      if (typeof value !== 'function') return value;
      const hook = hooks[prop as keyof ObjectStore];
      const fn = (value as (...a: unknown[]) => unknown).bind(target);
      return hook ? (...a: unknown[]) => hook(fn, ...a) : fn;
    },
  });
}

/** The stream with one byte flipped at `at` (bytes read from the source are not the source's). */
function corrupted(body: Readable, at = 10): Readable {
  let seen = 0;
  const t = new Transform({
    transform(chunk: Buffer, _e, cb) {
      if (seen <= at && at < seen + chunk.length) {
        chunk = Buffer.from(chunk);
        chunk[at - seen] = chunk[at - seen]! ^ 0xff;
      }
      seen += chunk.length;
      cb(null, chunk);
    },
  });
  body.on('error', (e) => t.destroy(e));
  return body.pipe(t);
}

function engine(
  stores: Record<string, ObjectStore>,
  settings: Partial<Settings> = {},
): { engine: CopyEngine; log: string[] } {
  const log: string[] = [];
  const write = (level: string) => (m: string) => void log.push(`${level} ${m}`);
  const e = new CopyEngine({
    layout: { checkpoints: path.join(mkdtempSync(path.join(tmp, 'data-')), 'checkpoints') },
    stores: {
      storeFor: (id) => {
        const s = stores[id];
        if (!s) throw new Error(`no profile ${id}`);
        return s;
      },
    },
    settings: { get: () => ({ ...DEFAULT_SETTINGS, partsInFlight: 1, ...settings }) },
    bus: new EventBus(),
    logger: {
      debug: write('debug'),
      info: write('info'),
      warn: write('warn'),
      error: write('error'),
      redact: (s) => s,
    },
  });
  engines.push(e);
  return { engine: e, log };
}

const COPY: CopyOptions = { metadataDirective: 'COPY', conflict: 'overwrite' };

async function copy(
  e: CopyEngine,
  from: { profileId: string; bucket?: string; key: string },
  to: { profileId: string; bucket?: string; prefix: string },
  options: Partial<CopyOptions> = {},
): Promise<TaskSummary> {
  await e.start();
  const [id] = await e.copy(
    [{ profileId: from.profileId, bucket: from.bucket ?? bucket, key: from.key, isFolder: false }],
    { profileId: to.profileId, bucket: to.bucket ?? bucket, prefix: to.prefix },
    { ...COPY, ...options },
  );
  return e.waitFor(id!);
}

const aliClient = (b: string) =>
  new OSS({
    region: `oss-${REGION}`,
    endpoint: gw.endpoint,
    accessKeyId: rgw.accessKeyId,
    accessKeySecret: rgw.secretAccessKey,
    bucket: b,
    authorizationV4: true,
    timeout: 60_000,
    retryMax: 0,
  });

/** An Appendable object written by ali-oss in `pieces` appends. */
async function appendable(b: string, key: string, pieces: Buffer[]): Promise<Buffer> {
  const c = aliClient(b);
  let position = '0';
  for (const piece of pieces) position = (await c.append!(key, piece, { position })).nextAppendPosition;
  return Buffer.concat(pieces);
}

before(async () => {
  await admin.createBucket(bucket, undefined, opts());
  await admin.createBucket(versioned, undefined, opts());
  const body = Buffer.from('<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>');
  await (admin as unknown as { send(c: unknown): Promise<{ body: { resume(): void } }> })
    .send({
      operation: 'PutBucketVersioning',
      method: 'PUT',
      bucket: versioned,
      query: [['versioning', '']],
      body,
      signal: AbortSignal.timeout(30_000),
    })
    .then((r) => r.body.resume());
  gw = await startOssGateway({ s3: rgw.endpoint, region: REGION, log: (l) => gatewayLog.push(l) });
  oss = new OssStore({
    endpoint: gw.endpoint,
    region: REGION,
    credentials: { accessKeyId: rgw.accessKeyId, secretAccessKey: rgw.secretAccessKey },
  });
  otherKeys = gw.sts.issue();
  other = new OssStore({ endpoint: gw.endpoint, region: REGION, credentials: otherKeys });
});

after(async () => {
  try {
    for (const e of engines) await e.close();
    await removeBucket(admin, bucket);
    // Every version and delete marker first, as ali-oss lists them.
    const c = aliClient(versioned) as unknown as Record<
      string,
      (...a: unknown[]) => Promise<Record<string, unknown>>
    >;
    const versions = await c.getBucketVersions!({});
    for (const list of [versions.objects, versions.deleteMarker])
      for (const o of (list ?? []) as { name: string; versionId: string }[])
        await c.delete!(o.name, { versionId: o.versionId });
    await removeBucket(admin, versioned);
  } finally {
    await oss.close();
    await other.close();
    await gw.close();
    await admin.close();
    rmSync(tmp, { recursive: true, force: true });
  }
});

describe('Appendable sources on OSS (gateway over Ceph RGW)', () => {
  test('an Appendable object above the multipart threshold is one CopyObject, never UploadPartCopy', async () => {
    const whole = await appendable(bucket, 'append/log.bin', [
      randomBytes(150 * 1024),
      randomBytes(150 * 1024),
    ]);
    assert.equal((await oss.headObject({ bucket, key: 'append/log.bin' }, opts())).objectType, 'Appendable');
    const { engine: e } = engine({ oss });
    const done = await copy(
      e,
      { profileId: 'oss', key: 'append/log.bin' },
      { profileId: 'oss', prefix: 'append/copy/' },
      {
        multipartThreshold: 200 * 1024,
        partSize: 100 * 1024,
      },
    );
    assert.equal(done.state, 'done', JSON.stringify(done.error));
    assert.equal(done.strategy, 'copy-object');
    assert.ok((await bytesOf(oss, bucket, 'append/copy/log.bin')).equals(whole));
  });

  test('an Appendable object in a versioned bucket, which CopyObject refuses, is streamed', async () => {
    const whole = await appendable(versioned, 'log.txt', [
      Buffer.from('first line\n'),
      Buffer.from('second line\n'),
    ]);
    const head = await oss.headObject({ bucket: versioned, key: 'log.txt' }, opts());
    assert.ok(head.versionId, 'the versioned bucket gives a version id');
    const { engine: e } = engine({ oss });
    const done = await copy(
      e,
      { profileId: 'oss', bucket: versioned, key: 'log.txt' },
      { profileId: 'oss', bucket, prefix: 'append/from-versioned/' },
    );
    assert.equal(done.state, 'done', JSON.stringify(done.error));
    assert.equal(done.strategy, 'stream');
    assert.ok((await bytesOf(oss, bucket, 'append/from-versioned/log.txt')).equals(whole));
  });
});

describe('copies verified by CRC-64 on OSS (gateway over Ceph RGW)', () => {
  test('a single-PUT stream from OSS whose bytes were damaged on the way fails and leaves no object (the destination, S3, has no CRC)', async () => {
    const body = randomBytes(64 * 1024);
    await oss.putObject(bucket, 'crc/put.bin', body, body.length, {}, opts());
    const src = intercepted(oss, {
      getObject: async (fn, ...a) => corrupted((await fn(...a)) as Readable),
    });
    const { engine: e } = engine({ oss: src, rgw: admin });
    const done = await copy(
      e,
      { profileId: 'oss', key: 'crc/put.bin' },
      { profileId: 'rgw', prefix: 'crc/s3/' },
    );
    assert.equal(done.state, 'failed');
    assert.equal(done.error?.code, 'VerificationFailed');
    assert.match(done.error!.message, /CRC64 .*the wrong copy was removed/);
    assert.equal(await exists(bucket, 'crc/s3/put.bin'), false, 'the wrong copy was kept');
  });

  test('a multipart stream whose part was damaged is never completed: the upload is aborted, nothing is written', async () => {
    const body = randomBytes(12 * MiB);
    await oss.putObject(bucket, 'crc/big.bin', body, body.length, {}, opts());
    let gets = 0;
    const src = intercepted(oss, {
      getObject: async (fn, ...a) => {
        const stream = (await fn(...a)) as Readable;
        return ++gets === 2 ? corrupted(stream, 1000) : stream;
      },
    });
    const { engine: e } = engine({ oss: src, other });
    const done = await copy(
      e,
      { profileId: 'oss', key: 'crc/big.bin' },
      { profileId: 'other', prefix: 'crc/stream/' },
      {
        multipartThreshold: 8 * MiB,
        partSize: 5 * MiB,
      },
    );
    assert.equal(done.state, 'failed');
    assert.equal(done.error?.code, 'VerificationFailed');
    assert.match(done.error!.message, /nothing was written/);
    assert.equal(await exists(bucket, 'crc/stream/big.bin'), false);
    const left: string[] = [];
    for await (const u of admin.listMultipartUploads(bucket, 'crc/stream/', opts())) left.push(u.uploadId);
    assert.deepEqual(left, []);
  });
});

describe('encryption and storage class carried over on OSS (gateway over Ceph RGW)', () => {
  const kms = { algorithm: 'KMS', kmsKeyId: 'key-1234' };

  test('KMS encryption with its key id is kept by CopyObject and by a multipart copy; another account keeps KMS without the key and says so', async () => {
    const small = randomBytes(1000);
    const big = randomBytes(12 * MiB);
    await oss.putObject(bucket, 'sse/small.bin', small, small.length, { encryption: kms }, opts());
    await oss.putObject(bucket, 'sse/big.bin', big, big.length, { encryption: kms }, opts());
    const { engine: e, log } = engine({ oss, other });
    const mp = { multipartThreshold: 8 * MiB, partSize: 5 * MiB };
    const a = await copy(
      e,
      { profileId: 'oss', key: 'sse/small.bin' },
      { profileId: 'oss', prefix: 'sse/copy/' },
      mp,
    );
    const b = await copy(
      e,
      { profileId: 'oss', key: 'sse/big.bin' },
      { profileId: 'oss', prefix: 'sse/copy/' },
      mp,
    );
    const c = await copy(
      e,
      { profileId: 'oss', key: 'sse/small.bin' },
      { profileId: 'other', prefix: 'sse/other/' },
      mp,
    );
    assert.deepEqual([a.strategy, b.strategy, c.strategy], ['copy-object', 'multipart-copy', 'stream']);
    for (const t of [a, b, c]) assert.equal(t.state, 'done', JSON.stringify(t.error));
    assert.deepEqual((await oss.headObject({ bucket, key: 'sse/copy/small.bin' }, opts())).encryption, kms);
    assert.deepEqual((await oss.headObject({ bucket, key: 'sse/copy/big.bin' }, opts())).encryption, kms);
    assert.deepEqual((await oss.headObject({ bucket, key: 'sse/other/small.bin' }, opts())).encryption, {
      algorithm: 'KMS',
    });
    assert.ok(
      log.some((l) => /^warn .*KMS key key-1234.*destination's default key/.test(l)),
      log.join('\n'),
    );
  });

  test('KMS encryption cannot travel to S3: the copy is made and the object is named in a warning', async () => {
    const { engine: e, log } = engine({ oss, rgw: admin });
    const done = await copy(
      e,
      { profileId: 'oss', key: 'sse/small.bin' },
      { profileId: 'rgw', prefix: 'sse/s3/' },
    );
    assert.equal(done.state, 'done', JSON.stringify(done.error));
    assert.ok(
      log.some((l) => /^warn "sse\/small\.bin" is encrypted with KMS.*S3 does not offer/.test(l)),
      log.join('\n'),
    );
  });

  test("a multipart copy keeps the source's storage class unless another was chosen", async () => {
    const big = randomBytes(12 * MiB);
    await oss.putObject(bucket, 'class/ia.bin', big, big.length, { storageClass: 'IA' }, opts());
    const { engine: e } = engine({ oss });
    const mp = { multipartThreshold: 8 * MiB, partSize: 5 * MiB };
    const kept = await copy(
      e,
      { profileId: 'oss', key: 'class/ia.bin' },
      { profileId: 'oss', prefix: 'class/kept/' },
      mp,
    );
    const chosen = await copy(
      e,
      { profileId: 'oss', key: 'class/ia.bin' },
      { profileId: 'oss', prefix: 'class/chosen/' },
      {
        ...mp,
        storageClass: 'Archive',
      },
    );
    for (const t of [kept, chosen]) {
      assert.equal(t.state, 'done', JSON.stringify(t.error));
      assert.equal(t.strategy, 'multipart-copy');
    }
    assert.equal((await oss.headObject({ bucket, key: 'class/kept/ia.bin' }, opts())).storageClass, 'IA');
    assert.equal(
      (await oss.headObject({ bucket, key: 'class/chosen/ia.bin' }, opts())).storageClass,
      'Archive',
    );
  });
});

describe('keep-both and skip-if-same write only if the name is still free', () => {
  /** Another writer puts `text` at the key just before this store's `op` reaches the server. */
  const slipIn = (
    store: ObjectStore,
    op: 'copyObject' | 'completeMultipartUpload' | 'putObject',
    key: string,
    text: string,
  ) =>
    intercepted(store, {
      [op]: (async (fn, ...a) => {
        await admin.putObject(bucket, key, Buffer.from(text), Buffer.byteLength(text), {}, opts());
        return fn(...a);
      }) as Hook,
    });

  test('OSS CopyObject (keep-both): a name taken meanwhile is left to the other writer and the copy takes the next free one', async () => {
    await oss.putObject(bucket, 'cond/a.txt', Buffer.from('mine'), 4, {}, opts());
    const { engine: e } = engine({ oss: slipIn(oss, 'copyObject', 'cond/kb/a.txt', 'theirs') });
    const done = await copy(
      e,
      { profileId: 'oss', key: 'cond/a.txt' },
      { profileId: 'oss', prefix: 'cond/kb/' },
      { conflict: 'keep-both' },
    );
    assert.equal(done.state, 'done', JSON.stringify(done.error));
    assert.equal(done.destination.key, 'cond/kb/a (1).txt');
    assert.equal((await bytesOf(admin, bucket, 'cond/kb/a.txt')).toString(), 'theirs');
    assert.equal((await bytesOf(admin, bucket, 'cond/kb/a (1).txt')).toString(), 'mine');
  });

  test('OSS Complete (keep-both): a multipart copy whose name was taken meanwhile is written again under the next free name', async () => {
    const big = randomBytes(12 * MiB);
    await oss.putObject(bucket, 'cond/big.bin', big, big.length, {}, opts());
    const { engine: e } = engine({
      oss: slipIn(oss, 'completeMultipartUpload', 'cond/kbm/big.bin', 'theirs'),
    });
    const done = await copy(
      e,
      { profileId: 'oss', key: 'cond/big.bin' },
      { profileId: 'oss', prefix: 'cond/kbm/' },
      {
        conflict: 'keep-both',
        multipartThreshold: 8 * MiB,
        partSize: 5 * MiB,
      },
    );
    assert.equal(done.state, 'done', JSON.stringify(done.error));
    assert.equal(done.destination.key, 'cond/kbm/big (1).bin');
    assert.equal((await bytesOf(admin, bucket, 'cond/kbm/big.bin')).toString(), 'theirs');
    assert.equal(md5(await bytesOf(admin, bucket, 'cond/kbm/big (1).bin')), md5(big));
    const left: string[] = [];
    for await (const u of admin.listMultipartUploads(bucket, 'cond/kbm/', opts())) left.push(u.uploadId);
    assert.deepEqual(left, []);
  });

  test('OSS CopyObject (skip-if-same): a name taken meanwhile is skipped, never replaced', async () => {
    const { engine: e, log } = engine({ oss: slipIn(oss, 'copyObject', 'cond/sis/a.txt', 'theirs') });
    const done = await copy(
      e,
      { profileId: 'oss', key: 'cond/a.txt' },
      { profileId: 'oss', prefix: 'cond/sis/' },
      { conflict: 'skip-if-same' },
    );
    assert.equal(done.state, 'done', JSON.stringify(done.error));
    assert.equal((await bytesOf(admin, bucket, 'cond/sis/a.txt')).toString(), 'theirs');
    assert.ok(
      log.some((l) => /skipped "cond\/sis\/a\.txt": it was written by someone else/.test(l)),
      log.join('\n'),
    );
  });

  test('S3 PutObject on Ceph RGW (If-None-Match: *, which RGW honours on PUT): a streamed keep-both copy takes the next free name', async () => {
    const { engine: e } = engine({ oss, rgw: slipIn(admin, 'putObject', 'cond/s3/a.txt', 'theirs') });
    const done = await copy(
      e,
      { profileId: 'oss', key: 'cond/a.txt' },
      { profileId: 'rgw', prefix: 'cond/s3/' },
      { conflict: 'keep-both' },
    );
    assert.equal(done.state, 'done', JSON.stringify(done.error));
    assert.equal(done.destination.key, 'cond/s3/a (1).txt');
    assert.equal((await bytesOf(admin, bucket, 'cond/s3/a.txt')).toString(), 'theirs');
    assert.equal((await bytesOf(admin, bucket, 'cond/s3/a (1).txt')).toString(), 'mine');
  });
});

describe('expired credentials pause a task until the account is saved again', () => {
  let app: App;
  let stsProfile: string;
  let s3Profile: string;
  let proxy: http.Server;
  let tokenExpired = false;
  let proxyFailOnPart = 0;

  before(async () => {
    // S3 has no STS on the test RGW: a proxy answers ExpiredToken, as AWS does, while `tokenExpired`.
    proxy = http.createServer((req, res) => {
      const part = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('partNumber') ?? 0);
      if (proxyFailOnPart && part === proxyFailOnPart) tokenExpired = true;
      if (tokenExpired) {
        req.resume();
        const xml =
          '<Error><Code>ExpiredToken</Code><Message>The provided token has expired.</Message></Error>';
        res.writeHead(400, { 'content-type': 'application/xml', 'content-length': String(xml.length) });
        return res.end(xml);
      }
      const up = new URL(rgw.endpoint);
      const fwd = http.request(
        { host: up.hostname, port: up.port, method: req.method, path: req.url, headers: req.headers },
        (r) => {
          res.writeHead(r.statusCode ?? 502, r.headers);
          r.pipe(res);
        },
      );
      fwd.on('error', () => res.destroy());
      req.pipe(fwd);
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    const proxyEndpoint = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    app = createApp({
      ...appServiceOptions(path.join(tmp, 'app'), 'cli'),
      engineSettings: { partsInFlight: 1 },
    });
    await app.tasks.start({ autoResume: true });
    const keys = gw.sts.issue();
    const saved = await dispatch(app.handlers, 'profiles.save', {
      name: 'sts',
      provider: 'oss',
      endpoint: gw.endpoint,
      region: REGION,
      pathStyle: true,
      accessKeyId: keys.accessKeyId,
      secretAccessKey: keys.secretAccessKey,
      securityToken: keys.securityToken,
    });
    assert.ok(saved.ok, JSON.stringify(saved));
    stsProfile = (saved.result as { id: string }).id;
    const s3 = await dispatch(app.handlers, 'profiles.save', {
      name: 's3 behind a proxy',
      provider: 's3',
      endpoint: proxyEndpoint,
      region: rgw.region,
      pathStyle: true,
      accessKeyId: rgw.accessKeyId,
      secretAccessKey: rgw.secretAccessKey,
    });
    assert.ok(s3.ok, JSON.stringify(s3));
    s3Profile = (s3.result as { id: string }).id;
  });

  after(async () => {
    await app?.close();
    await new Promise<void>((r) => proxy?.close(() => r()));
  });

  async function partsOnServer(prefix: string): Promise<number> {
    for await (const u of admin.listMultipartUploads(bucket, prefix, opts())) {
      let n = 0;
      for await (const _ of admin.listParts(bucket, u.key, u.uploadId, opts())) n++;
      return n;
    }
    return -1;
  }

  const uploadPartCopies = (prefix: string) =>
    gatewayLog.filter(
      (l) => l.startsWith(`PUT /${bucket}/${prefix}`) && /partNumber=\d+/.test(l) && / 200 /.test(l),
    ).length;

  test('OSS: SecurityTokenExpired after two parts pauses the task (not failed, parts kept); saving new STS keys resumes it without recopying them', async () => {
    const big = randomBytes(20 * MiB);
    await admin.putObject(bucket, 'sts/big.bin', big, big.length, {}, opts());
    const profile = app.profiles.get(stsProfile);
    const old = app.profiles.credentials(stsProfile)!;
    gw.sts.expireWhen(old.accessKeyId, (req) => req.query.partNumber === '3');
    const [id] = await app.tasks.copy(
      [{ profileId: stsProfile, bucket, key: 'sts/big.bin', isFolder: false }],
      { profileId: stsProfile, bucket, prefix: 'sts/copy/' },
      { ...COPY, multipartThreshold: 8 * MiB, partSize: 5 * MiB },
    );
    const paused = await app.tasks.waitFor(id!);
    assert.equal(paused.state, 'paused', JSON.stringify(paused));
    assert.equal(paused.error, undefined);
    assert.deepEqual(
      { profileId: paused.credentialsExpired?.profileId, code: paused.credentialsExpired?.code },
      { profileId: stsProfile, code: 'SecurityTokenExpired' },
    );
    assert.equal(await partsOnServer('sts/copy/'), 2, 'the two finished parts are kept on the server');

    const fresh = gw.sts.issue();
    const saved = await dispatch(app.handlers, 'profiles.save', {
      id: stsProfile,
      name: profile.name,
      provider: 'oss',
      endpoint: gw.endpoint,
      region: REGION,
      pathStyle: true,
      accessKeyId: fresh.accessKeyId,
      secretAccessKey: fresh.secretAccessKey,
      securityToken: fresh.securityToken,
    });
    assert.ok(saved.ok, JSON.stringify(saved));
    const done = await app.tasks.waitFor(id!);
    assert.equal(done.state, 'done', JSON.stringify(done.error));
    assert.equal(done.credentialsExpired, undefined);
    assert.equal(
      uploadPartCopies('sts/copy/'),
      4,
      'parts 1 and 2 were copied once, 3 and 4 after the resume',
    );
    assert.equal(md5(await bytesOf(admin, bucket, 'sts/copy/big.bin')), md5(big));
  });

  test('OSS: keys gone from the records (InvalidAccessKeyId) pause the task the same way', async () => {
    await admin.putObject(bucket, 'sts/small.txt', Buffer.from('small'), 5, {}, opts());
    const keys = app.profiles.credentials(stsProfile)!;
    gw.sts.expire(keys.accessKeyId, 'InvalidAccessKeyId');
    const [id] = await app.tasks.copy(
      [{ profileId: stsProfile, bucket, key: 'sts/small.txt', isFolder: false }],
      { profileId: stsProfile, bucket, prefix: 'sts/small/' },
      COPY,
    );
    const paused = await app.tasks.waitFor(id!);
    assert.equal(paused.state, 'paused');
    assert.equal(paused.credentialsExpired?.code, 'InvalidAccessKeyId');
  });

  test('S3: ExpiredToken mid-copy pauses the task; saving the account resumes it', async () => {
    const big = randomBytes(20 * MiB);
    await admin.putObject(bucket, 's3x/big.bin', big, big.length, {}, opts());
    proxyFailOnPart = 3;
    const [id] = await app.tasks.copy(
      [{ profileId: s3Profile, bucket, key: 's3x/big.bin', isFolder: false }],
      { profileId: s3Profile, bucket, prefix: 's3x/copy/' },
      { ...COPY, multipartThreshold: 8 * MiB, partSize: 5 * MiB },
    );
    const paused = await app.tasks.waitFor(id!);
    assert.equal(paused.state, 'paused', JSON.stringify(paused));
    assert.equal(paused.credentialsExpired?.code, 'ExpiredToken');
    assert.equal(await partsOnServer('s3x/copy/'), 2);
    proxyFailOnPart = 0;
    tokenExpired = false;
    const profile = app.profiles.get(s3Profile);
    const saved = await dispatch(app.handlers, 'profiles.save', {
      id: s3Profile,
      name: profile.name,
      provider: 's3',
      endpoint: profile.endpoint!,
      region: rgw.region,
      pathStyle: true,
      secretAccessKey: rgw.secretAccessKey,
    });
    assert.ok(saved.ok, JSON.stringify(saved));
    const done = await app.tasks.waitFor(id!);
    assert.equal(done.state, 'done', JSON.stringify(done.error));
    assert.equal(md5(await bytesOf(admin, bucket, 's3x/copy/big.bin')), md5(big));
  });
});
