/**
 * The copy engine (main/tasks/copy-engine.ts over main/copy/) in this process against Ceph RGW and the
 * Local provider: strategy per object, metadata and tags carried or replaced, streamed copies in
 * both directions, folder conflict policies, pause / resume / cancel / retry, orphan uploads and
 * corrupt checkpoints. The RGW store is wrapped so a test can count calls, hold a part until the
 * task is paused or cancelled, or make one call fail.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import type { CopyOptions, Settings, TaskProgress, TaskSummary } from '../../preload/shared/contract';
import { EventBus } from '../../main/core/events';
import { DEFAULT_SETTINGS } from '../../main/core/settings';
import { StorageError } from '../../main/storage/errors';
import { LocalStore } from '../../main/storage/local/local-store';
import { listAll, type ObjectMetadata, type ObjectStore } from '../../main/storage/provider';
import { CopyEngine } from '../../main/tasks/copy-engine';
import { requireDialect, rgwAdmin } from '../support/dialect';
import { removeBucket, uniqueBucket } from '../support/rgw';

const target = requireDialect();
const MiB = 1024 * 1024;
/** The store under test: S3 straight to RGW, or OSS through the gateway (FERRY_TEST_DIALECT). */
const store = target.store();
/** Straight to RGW, for buckets and clean-up. */
const admin = rgwAdmin();
const opts = () => ({ signal: AbortSignal.timeout(60_000) });
const bucket = uniqueBucket('engine');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'ferry-engine-'));
const localRoot = path.join(tmp, 'local');
const local = new LocalStore(localRoot);

// ---------------------------------------------------------------------------------------------
// An instrumented store: counts calls, holds or fails chosen ones.

type Op =
  | 'uploadPartCopy'
  | 'uploadPart'
  | 'copyObject'
  | 'createMultipartUpload'
  | 'completeMultipartUpload'
  | 'getObject'
  | 'headObject';
const WRAPPED = new Set<string>([
  'headObject',
  'uploadPartCopy',
  'uploadPart',
  'copyObject',
  'createMultipartUpload',
  'completeMultipartUpload',
  'getObject',
]);

interface Call {
  op: Op;
  key: string;
  part?: number;
}

interface Rule {
  op: Op;
  nth: number;
  action: 'hold' | 'fail';
  reached: () => void;
  /** A hold that ends when this resolves (else only when the task's signal aborts). */
  until?: Promise<void>;
}

class Instrumented {
  calls: Call[] = [];
  /** Most calls of one operation in flight at the same time. */
  peak: Partial<Record<Op, number>> = {};
  private active: Partial<Record<Op, number>> = {};
  private rules: Rule[] = [];
  readonly store: ObjectStore;

  constructor(inner: ObjectStore) {
    this.store = new Proxy(inner, {
      get: (target, prop) => {
        const value = Reflect.get(target, prop, target) as unknown;
        if (typeof value !== 'function') return value;
        const fn = value as (...a: unknown[]) => unknown;
        if (!WRAPPED.has(String(prop))) return fn.bind(target);
        return async (...args: unknown[]) => {
          const op = prop as Op;
          const call: Call = {
            op,
            key: String(
              op === 'copyObject'
                ? (args[1] as { key: string }).key
                : op === 'headObject' || op === 'getObject'
                  ? (args[0] as { key: string }).key
                  : args[1],
            ),
          };
          if (op === 'uploadPartCopy' || op === 'uploadPart') call.part = args[3] as number;
          this.calls.push(call);
          const nth = this.calls.filter((c) => c.op === op).length;
          const rule = this.rules.find((r) => r.op === op && r.nth === nth);
          if (rule) {
            this.rules = this.rules.filter((r) => r !== rule);
            rule.reached();
            if (rule.action === 'fail')
              throw new StorageError({ status: 403, code: 'AccessDenied', message: 'injected by the test' });
            const signal = args.map((a) => (a as { signal?: AbortSignal } | undefined)?.signal).find(Boolean);
            // Held until released, or until the task stops it (pause, cancel): then it never reaches RGW.
            await new Promise<void>((resolve, reject) => {
              if (signal?.aborted) reject(signal.reason);
              signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
              void rule.until?.then(resolve);
            });
          }
          this.active[op] = (this.active[op] ?? 0) + 1;
          this.peak[op] = Math.max(this.peak[op] ?? 0, this.active[op]);
          try {
            return await (fn.apply(target, args) as Promise<unknown>);
          } finally {
            this.active[op]!--;
          }
        };
      },
    });
  }

  /** The `nth` call of `op` (counted from now on) waits until the task's signal aborts. Resolves when it is reached. */
  holdAt(op: Op, nth: number): Promise<void> {
    return this.rule(op, nth, 'hold');
  }

  /** Like holdAt, but the call goes on once `until` resolves. */
  delayAt(op: Op, nth: number, until: Promise<void>): Promise<void> {
    return this.rule(op, nth, 'hold', until);
  }

  /** The `nth` call of `op` (counted from now on) fails with a non-retryable 403. */
  failAt(op: Op, nth: number): Promise<void> {
    return this.rule(op, nth, 'fail');
  }

  private rule(op: Op, nth: number, action: Rule['action'], until?: Promise<void>): Promise<void> {
    const already = this.calls.filter((c) => c.op === op).length;
    return new Promise((reached) => this.rules.push({ op, nth: already + nth, action, reached, until }));
  }

  of(op: Op): Call[] {
    return this.calls.filter((c) => c.op === op);
  }
}

// ---------------------------------------------------------------------------------------------
// Engine harness

interface Harness {
  engine: CopyEngine;
  rgw: Instrumented;
  log: string[];
  progress: TaskProgress[];
  dataDir: string;
  /** Resolves with the first log line matching `pattern`. */
  logged(pattern: RegExp): Promise<string>;
}

const harnesses: Harness[] = [];

function harness(settings: Partial<Settings> = {}, dataDir = mkdtempSync(path.join(tmp, 'data-'))): Harness {
  const rgwStore = new Instrumented(store);
  const log: string[] = [];
  const watchers: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  const write = (level: string) => (message: string) => {
    const line = `${level} ${message}`;
    log.push(line);
    for (const w of watchers.filter((x) => x.pattern.test(line))) w.resolve(line);
  };
  const bus = new EventBus();
  const progress: TaskProgress[] = [];
  bus.subscribe((m) => void (m.event === 'task.progress' && progress.push(m.payload)));
  const engine = new CopyEngine({
    layout: { checkpoints: path.join(dataDir, 'checkpoints') },
    stores: {
      storeFor: (id) => {
        if (id === 'rgw') return rgwStore.store;
        if (id === 'local') return local;
        throw new Error(`no profile ${id}`);
      },
    },
    settings: { get: () => ({ ...DEFAULT_SETTINGS, partsInFlight: 2, ...settings }) },
    bus,
    logger: {
      debug: write('debug'),
      info: write('info'),
      warn: write('warn'),
      error: write('error'),
      redact: (s: string) => s,
    },
  });
  const h: Harness = {
    engine,
    rgw: rgwStore,
    log,
    progress,
    dataDir,
    logged: (pattern) =>
      new Promise((resolve) => {
        const found = log.find((l) => pattern.test(l));
        if (found) resolve(found);
        else watchers.push({ pattern, resolve });
      }),
  };
  harnesses.push(h);
  return h;
}

async function within<T>(promise: Promise<T>, what: string, ms = 90_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what}: no result after ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

const COPY: CopyOptions = { metadataDirective: 'COPY', conflict: 'overwrite' };
const MULTIPART: Partial<CopyOptions> = { multipartThreshold: 8 * MiB, partSize: 5 * MiB };

async function copyOne(
  h: Harness,
  from: { profileId: string; key: string; bucket?: string },
  to: { profileId: string; prefix: string; bucket?: string },
  options: Partial<CopyOptions> = {},
): Promise<TaskSummary> {
  const [id] = await h.engine.copy(
    [{ profileId: from.profileId, bucket: from.bucket ?? bucket, key: from.key, isFolder: false }],
    { profileId: to.profileId, bucket: to.bucket ?? bucket, prefix: to.prefix },
    { ...COPY, ...options },
  );
  return within(h.engine.waitFor(id!), `task ${id}`);
}

async function bytesOf(store: ObjectStore, b: string, key: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of (await store.getObject({ bucket: b, key }, undefined, opts())) as Readable)
    chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');

async function uploadsLeft(prefix = ''): Promise<string[]> {
  const left: string[] = [];
  for await (const u of store.listMultipartUploads(bucket, prefix, opts())) left.push(u.uploadId);
  return left;
}

function taskFiles(h: Harness): string[] {
  return readdirSync(path.join(h.dataDir, 'checkpoints')).filter((n) => /^task-/.test(n));
}

const FULL_METADATA: ObjectMetadata = {
  contentType: 'text/csv; charset=utf-8',
  cacheControl: 'public, max-age=600',
  contentDisposition: 'attachment; filename="report.csv"',
  contentEncoding: 'identity',
  expires: 'Wed, 21 Oct 2037 07:28:00 GMT',
  userMeta: { owner: 'ferry-tests', 'x-kind': 'report' },
};

before(async () => {
  await admin.createBucket(bucket, undefined, opts());
  mkdirSync(path.join(localRoot, 'disk'), { recursive: true });
});

after(async () => {
  try {
    for (const h of harnesses) await h.engine.close();
    await removeBucket(admin, bucket);
  } finally {
    await store.close();
    await admin.close();
    rmSync(tmp, { recursive: true, force: true });
  }
});

describe(`strategy and metadata (${target.label})`, () => {
  test('a small object copies with one CopyObject: COPY keeps metadata and tags, REPLACE stores only the given metadata', async () => {
    const body = Buffer.from('id,value\n1,2\n');
    await store.putObject(
      bucket,
      'meta/small.csv',
      body,
      body.length,
      { metadata: FULL_METADATA, tagging: 'team=copy&tier=1' },
      opts(),
    );
    const h = harness();
    const kept = await copyOne(
      h,
      { profileId: 'rgw', key: 'meta/small.csv' },
      { profileId: 'rgw', prefix: 'meta/kept/' },
    );
    assert.equal(kept.state, 'done', JSON.stringify(kept.error));
    assert.equal(kept.strategy, 'copy-object');
    assert.equal(h.rgw.of('copyObject').length, 1);
    assert.equal(h.rgw.of('createMultipartUpload').length, 0);
    const keptHead = await store.headObject({ bucket, key: 'meta/kept/small.csv' }, opts());
    assert.deepEqual(keptHead.metadata, FULL_METADATA);
    assert.deepEqual(await store.getObjectTagging({ bucket, key: 'meta/kept/small.csv' }, opts()), {
      team: 'copy',
      tier: '1',
    });
    assert.ok((await bytesOf(store, bucket, 'meta/kept/small.csv')).equals(body));

    const replacement: ObjectMetadata = { contentType: 'application/json', userMeta: { fresh: 'yes' } };
    const replaced = await copyOne(
      h,
      { profileId: 'rgw', key: 'meta/small.csv' },
      { profileId: 'rgw', prefix: 'meta/replaced/' },
      { metadataDirective: 'REPLACE', metadata: replacement },
    );
    assert.equal(replaced.state, 'done', JSON.stringify(replaced.error));
    const head = await store.headObject({ bucket, key: 'meta/replaced/small.csv' }, opts());
    assert.equal(head.metadata.contentType, 'application/json');
    assert.deepEqual(head.metadata.userMeta, { fresh: 'yes' });
    assert.equal(head.metadata.cacheControl, undefined, 'REPLACE drops what was not given');
    assert.equal(head.metadata.contentDisposition, undefined);
  });

  test('an object at or above the multipart threshold copies in parts and carries content-type, cache-control, disposition, encoding, expires, user metadata and tags', async () => {
    const body = randomBytes(12 * MiB + 1);
    await store.putObject(
      bucket,
      'meta/big.csv',
      body,
      body.length,
      { metadata: FULL_METADATA, tagging: 'team=copy&tier=2' },
      opts(),
    );
    const h = harness();
    const t = await copyOne(
      h,
      { profileId: 'rgw', key: 'meta/big.csv' },
      { profileId: 'rgw', prefix: 'meta/parts/' },
      MULTIPART,
    );
    assert.equal(t.state, 'done', JSON.stringify(t.error));
    assert.equal(t.strategy, 'multipart-copy');
    assert.equal(h.rgw.of('copyObject').length, 0);
    assert.deepEqual(
      h.rgw
        .of('uploadPartCopy')
        .map((c) => c.part)
        .sort(),
      [1, 2, 3],
      'three parts of 5 MiB, 5 MiB and 2 MiB + 1 byte',
    );
    const head = await store.headObject({ bucket, key: 'meta/parts/big.csv' }, opts());
    assert.deepEqual(head.metadata, FULL_METADATA);
    assert.match(head.etag, /-3$/);
    assert.deepEqual(await store.getObjectTagging({ bucket, key: 'meta/parts/big.csv' }, opts()), {
      team: 'copy',
      tier: '2',
    });
    assert.ok(
      (await bytesOf(store, bucket, 'meta/parts/big.csv')).equals(body),
      'the copy is byte-identical',
    );
    assert.equal(t.progress.partsDone, 3);
    assert.equal(t.progress.bytesDone, body.length);

    // Progress events carry bytes and parts and never go backwards.
    const progressNeverGoesBack = () => {
      const mine = h.progress.filter((p) => p.id === t.id);
      assert.ok(mine.length >= 1, 'at least one progress event');
      for (let i = 1; i < mine.length; i++)
        assert.ok(
          mine[i]!.bytesDone >= mine[i - 1]!.bytesDone,
          `progress went back: ${JSON.stringify(mine)}`,
        );
      assert.ok(
        mine.every((p) => p.bytesTotal === body.length && p.partsTotal <= 3),
        `progress totals: ${JSON.stringify(mine)}`,
      );
    };
    // Found by the OSS run, whose slower Complete widened the window: the last event, sent once the
    // job said "done" and before the engine folded it into the totals, read 0 bytes and 0 parts.
    progressNeverGoesBack();
  });

  test("a multipart copy whose parts reproduce the source's ETag keeps that ETag and needs no second look at the source", async () => {
    // Uploaded in 5 MiB parts, like the copy's parts: the parts' MD5s combine into the source's ETag.
    const body = randomBytes(12 * MiB + 1);
    const uploadId = await store.createMultipartUpload(bucket, 'same-parts/src.bin', {}, opts());
    const parts = [];
    for (let n = 1, at = 0; at < body.length; n++, at += 5 * MiB) {
      const chunk = body.subarray(at, Math.min(at + 5 * MiB, body.length));
      parts.push(
        await store.uploadPart(bucket, 'same-parts/src.bin', uploadId, n, chunk, chunk.length, opts()),
      );
    }
    await store.completeMultipartUpload(bucket, 'same-parts/src.bin', uploadId, parts, opts());
    const source = await store.headObject({ bucket, key: 'same-parts/src.bin' }, opts());
    const sourceHeads = (h: Harness) => h.rgw.of('headObject').filter((c) => c.key === 'same-parts/src.bin');

    const same = harness();
    const t = await copyOne(
      same,
      { profileId: 'rgw', key: 'same-parts/src.bin' },
      { profileId: 'rgw', prefix: 'same-parts/5/' },
      MULTIPART,
    );
    assert.equal(t.state, 'done', JSON.stringify(t.error));
    assert.equal(sourceHeads(same).length, 1, 'only the HEAD that planned the copy');
    const copy = await store.headObject({ bucket, key: 'same-parts/5/src.bin' }, opts());
    assert.equal(copy.etag, source.etag);
    assert.ok((await bytesOf(store, bucket, 'same-parts/5/src.bin')).equals(body));

    // Other part sizes cannot reproduce it: the source is looked at again before Complete.
    const other = harness();
    const u = await copyOne(
      other,
      { profileId: 'rgw', key: 'same-parts/src.bin' },
      { profileId: 'rgw', prefix: 'same-parts/6/' },
      { ...MULTIPART, partSize: 6 * MiB },
    );
    assert.equal(u.state, 'done', JSON.stringify(u.error));
    assert.equal(sourceHeads(other).length, 2);
    assert.notEqual(
      (await store.headObject({ bucket, key: 'same-parts/6/src.bin' }, opts())).etag,
      source.etag,
    );
  });

  test('a multipart copy with REPLACE stores only the given metadata, with no more than partsInFlight parts at once', async () => {
    const h = harness({ partsInFlight: 2 });
    const replacement: ObjectMetadata = { contentType: 'image/png', userMeta: { set: 'by-replace' } };
    const t = await copyOne(
      h,
      { profileId: 'rgw', key: 'meta/big.csv' },
      { profileId: 'rgw', prefix: 'meta/parts-replaced/' },
      { ...MULTIPART, partSize: 5 * MiB, metadataDirective: 'REPLACE', metadata: replacement },
    );
    assert.equal(t.state, 'done', JSON.stringify(t.error));
    assert.equal(t.strategy, 'multipart-copy');
    const head = await store.headObject({ bucket, key: 'meta/parts-replaced/big.csv' }, opts());
    assert.deepEqual(head.metadata, replacement);
    assert.ok((h.rgw.peak.uploadPartCopy ?? 0) <= 2, `${h.rgw.peak.uploadPartCopy} parts in flight`);
  });

  test('the multipart threshold is the copy option: the same object below it is one CopyObject', async () => {
    const h = harness();
    const t = await copyOne(
      h,
      { profileId: 'rgw', key: 'meta/big.csv' },
      { profileId: 'rgw', prefix: 'meta/whole/' },
      {
        multipartThreshold: 16 * MiB,
        partSize: 5 * MiB,
      },
    );
    assert.equal(t.state, 'done', JSON.stringify(t.error));
    assert.equal(t.strategy, 'copy-object');
    assert.equal(h.rgw.of('uploadPartCopy').length, 0);
    const src = await store.headObject({ bucket, key: 'meta/big.csv' }, opts());
    const dst = await store.headObject({ bucket, key: 'meta/whole/big.csv' }, opts());
    assert.equal(dst.etag, src.etag, 'a server-side CopyObject keeps the single-part ETag');
  });
});

describe(`streamed copies between Local and RGW (${target.label})`, () => {
  const big = randomBytes(11 * MiB + 3);
  const small = randomBytes(70_000);

  before(() => {
    writeFileSync(path.join(localRoot, 'disk', 'big.bin'), big);
    writeFileSync(path.join(localRoot, 'disk', 'small.bin'), small);
  });

  test('Local → RGW: a large file streams into a multipart upload and a small one into one PUT, byte-identical', async () => {
    const h = harness();
    const up = await copyOne(
      h,
      { profileId: 'local', bucket: 'disk', key: 'big.bin' },
      { profileId: 'rgw', prefix: 'up/' },
      MULTIPART,
    );
    assert.equal(up.state, 'done', JSON.stringify(up.error));
    assert.equal(up.strategy, 'stream');
    assert.deepEqual(
      h.rgw
        .of('uploadPart')
        .map((c) => c.part)
        .sort(),
      [1, 2, 3],
    );
    assert.ok((await bytesOf(store, bucket, 'up/big.bin')).equals(big));
    const one = await copyOne(
      h,
      { profileId: 'local', bucket: 'disk', key: 'small.bin' },
      { profileId: 'rgw', prefix: 'up/' },
      MULTIPART,
    );
    assert.equal(one.state, 'done', JSON.stringify(one.error));
    assert.equal(h.rgw.of('createMultipartUpload').length, 1, 'the small file needed no multipart upload');
    assert.ok((await bytesOf(store, bucket, 'up/small.bin')).equals(small));
    assert.deepEqual(await uploadsLeft('up/'), []);
  });

  test('RGW → Local: a source overwritten between two ranged GETs is copied again from the start, never mixed', async () => {
    const before = randomBytes(11 * MiB);
    const afterwards = randomBytes(11 * MiB);
    await store.putObject(bucket, 'down/changing.bin', before, before.length, {}, opts());
    const h = harness({ partsInFlight: 1 });
    let release: () => void = () => undefined;
    const reached = h.rgw.delayAt('getObject', 2, new Promise<void>((r) => (release = r)));
    void reached.then(async () => {
      await store.putObject(bucket, 'down/changing.bin', afterwards, afterwards.length, {}, opts());
      release();
    });
    const t = await copyOne(
      h,
      { profileId: 'rgw', key: 'down/changing.bin' },
      { profileId: 'local', bucket: 'disk', prefix: 'fetched/' },
      MULTIPART,
    );
    assert.equal(t.state, 'done', JSON.stringify(t.error));
    const file = readFileSync(path.join(localRoot, 'disk', 'fetched', 'changing.bin'));
    assert.equal(md5(file), md5(afterwards), 'the whole new source, not a mix of both');
    assert.ok(h.log.some((l) => l.includes('changed during the copy')));
  });

  test('RGW → Local: ranged GETs into a Local multipart upload, byte-identical', async () => {
    const h = harness();
    await store.putObject(
      bucket,
      'down/big.bin',
      big,
      big.length,
      { metadata: { contentType: 'application/x-test', userMeta: {} } },
      opts(),
    );
    const t = await copyOne(
      h,
      { profileId: 'rgw', key: 'down/big.bin' },
      { profileId: 'local', bucket: 'disk', prefix: 'fetched/' },
      MULTIPART,
    );
    assert.equal(t.state, 'done', JSON.stringify(t.error));
    assert.equal(t.strategy, 'stream');
    const file = readFileSync(path.join(localRoot, 'disk', 'fetched', 'big.bin'));
    assert.equal(md5(file), md5(big));
    const head = await local.headObject({ bucket: 'disk', key: 'fetched/big.bin' });
    assert.equal(head.metadata.contentType, 'application/x-test');
  });
});

describe(`folder copies and conflict policies (${target.label})`, () => {
  const files: Record<string, string> = {
    'fold/a.txt': 'alpha',
    'fold/b.txt': 'bravo',
    'fold/sub/c.txt': 'charlie',
  };

  before(async () => {
    for (const [k, v] of Object.entries(files))
      await store.putObject(bucket, k, Buffer.from(v), v.length, {}, opts());
  });

  /** Destination `prefix/fold/` with a.txt already holding the same bytes and b.txt different ones. */
  async function prepare(prefix: string): Promise<void> {
    await store.putObject(bucket, `${prefix}fold/a.txt`, Buffer.from('alpha'), 5, {}, opts());
    await store.putObject(bucket, `${prefix}fold/b.txt`, Buffer.from('older b'), 7, {}, opts());
  }

  async function folderCopy(
    h: Harness,
    prefix: string,
    conflict: CopyOptions['conflict'],
  ): Promise<TaskSummary> {
    const [id] = await h.engine.copy(
      [{ profileId: 'rgw', bucket, key: 'fold/', isFolder: true }],
      { profileId: 'rgw', bucket, prefix },
      { ...COPY, conflict },
    );
    return within(h.engine.waitFor(id!), `folder task ${id}`);
  }

  async function contents(prefix: string): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    for await (const { page } of listAll(store, bucket, { prefix }, opts()))
      for (const o of page.objects)
        out[o.key.slice(prefix.length)] = (await bytesOf(store, bucket, o.key)).toString();
    return out;
  }

  test('overwrite replaces every existing object', async () => {
    await prepare('ow/');
    const h = harness();
    const t = await folderCopy(h, 'ow/', 'overwrite');
    assert.equal(t.state, 'done', JSON.stringify(t.error));
    assert.equal(t.kind, 'folder');
    assert.equal(t.progress.objectsDone, 3);
    assert.equal(t.progress.objectsTotal, 3);
    assert.deepEqual(await contents('ow/'), {
      'fold/a.txt': 'alpha',
      'fold/b.txt': 'bravo',
      'fold/sub/c.txt': 'charlie',
    });
    assert.equal(h.rgw.of('copyObject').length, 3);
  });

  test('overwrite with COPY: one CopyObject per object, pinned to the listed ETag, and no HEAD at all', async () => {
    const h = harness();
    const t = await folderCopy(h, 'fast/', 'overwrite');
    assert.equal(t.state, 'done', JSON.stringify(t.error));
    assert.deepEqual(await contents('fast/'), {
      'fold/a.txt': 'alpha',
      'fold/b.txt': 'bravo',
      'fold/sub/c.txt': 'charlie',
    });
    assert.equal(h.rgw.of('copyObject').length, 3);
    // The answer's ETag is the source's MD5: the copy is proven without looking at either side again.
    assert.deepEqual(h.rgw.of('headObject'), []);
  });

  test('a source overwritten between the listing and its copy is refused by if-match and copied as it is now', async () => {
    for (const [k, v] of Object.entries({ 'race/x.txt': 'first x', 'race/y.txt': 'first y' }))
      await store.putObject(bucket, k, Buffer.from(v), v.length, {}, opts());
    const h = harness({ objectsInFlight: 1 });
    let release!: () => void;
    const held = h.rgw.delayAt('copyObject', 1, new Promise<void>((r) => (release = r)));
    const [id] = await h.engine.copy(
      [{ profileId: 'rgw', bucket, key: 'race/', isFolder: true }],
      { profileId: 'rgw', bucket, prefix: 'race-out/' },
      COPY,
    );
    await within(held, 'first CopyObject');
    await store.putObject(bucket, 'race/x.txt', Buffer.from('second x, longer'), 16, {}, opts());
    release();
    const t = await within(h.engine.waitFor(id!), 'folder task');
    assert.equal(t.state, 'done', JSON.stringify(t.error));
    assert.equal((await bytesOf(store, bucket, 'race-out/race/x.txt')).toString(), 'second x, longer');
    assert.equal((await bytesOf(store, bucket, 'race-out/race/y.txt')).toString(), 'first y');
    // The stale copy was refused (412), then the object was looked at and copied again.
    assert.equal(h.rgw.of('copyObject').filter((c) => c.key === 'race-out/race/x.txt').length, 2);
    assert.ok(h.rgw.of('headObject').some((c) => c.key === 'race/x.txt'));
  });

  test('a folder copy keeps at most objectsInFlight objects in flight', async () => {
    for (let i = 0; i < 8; i++)
      await store.putObject(bucket, `many/f${i}.txt`, Buffer.from(`f${i}`), 2, {}, opts());
    const h = harness({ objectsInFlight: 2 });
    const [id] = await h.engine.copy(
      [{ profileId: 'rgw', bucket, key: 'many/', isFolder: true }],
      { profileId: 'rgw', bucket, prefix: 'many-out/' },
      COPY,
    );
    const t = await within(h.engine.waitFor(id!), 'folder task');
    assert.equal(t.state, 'done', JSON.stringify(t.error));
    assert.equal(h.rgw.of('copyObject').length, 8);
    assert.ok((h.rgw.peak.copyObject ?? 0) <= 2, `${h.rgw.peak.copyObject} objects in flight`);
  });

  test('skip-if-same leaves an identical object alone and copies one that differs', async () => {
    await prepare('skip/');
    const h = harness();
    const t = await folderCopy(h, 'skip/', 'skip-if-same');
    assert.equal(t.state, 'done', JSON.stringify(t.error));
    assert.equal(t.progress.objectsDone, 3);
    assert.deepEqual(await contents('skip/'), {
      'fold/a.txt': 'alpha',
      'fold/b.txt': 'bravo',
      'fold/sub/c.txt': 'charlie',
    });
    assert.deepEqual(
      h.rgw
        .of('copyObject')
        .map((c) => c.key)
        .sort(),
      ['skip/fold/b.txt', 'skip/fold/sub/c.txt'],
    );
    assert.ok(h.log.some((l) => l.includes('skipped "skip/fold/a.txt"')));
  });

  test('keep-both writes "name (1).ext" next to every existing object and leaves the existing ones untouched', async () => {
    await prepare('both/');
    const h = harness();
    const t = await folderCopy(h, 'both/', 'keep-both');
    assert.equal(t.state, 'done', JSON.stringify(t.error));
    assert.deepEqual(await contents('both/'), {
      'fold/a.txt': 'alpha',
      'fold/a (1).txt': 'alpha',
      'fold/b.txt': 'older b',
      'fold/b (1).txt': 'bravo',
      'fold/sub/c.txt': 'charlie',
    });
  });
});

describe(`keep-both inside one folder copy (${target.label})`, () => {
  test('a free "name (1)" that another object of the same folder will be copied to is not taken: nothing is overwritten', async () => {
    await store.putObject(bucket, 'kb/a.txt', Buffer.from('A'), 1, {}, opts());
    await store.putObject(bucket, 'kb/a (1).txt', Buffer.from('A1'), 2, {}, opts());
    await store.putObject(bucket, 'kb-out/kb/a.txt', Buffer.from('older'), 5, {}, opts());
    const h = harness({ objectsInFlight: 2 });
    // "a (1).txt" lists first; its copy waits until "a.txt" has chosen its name and sent its copy.
    let secondCopy: () => void = () => undefined;
    const bothSent = new Promise<void>((r) => (secondCopy = r));
    void h.rgw.delayAt('copyObject', 1, bothSent);
    void h.rgw.delayAt('copyObject', 2, Promise.resolve()).then(() => secondCopy());
    const [id] = await h.engine.copy(
      [{ profileId: 'rgw', bucket, key: 'kb/', isFolder: true }],
      { profileId: 'rgw', bucket, prefix: 'kb-out/' },
      { ...COPY, conflict: 'keep-both' },
    );
    const t = await within(h.engine.waitFor(id!), 'keep-both task');
    assert.equal(t.state, 'done', JSON.stringify(t.error));
    const out: Record<string, string> = {};
    for await (const { page } of listAll(store, bucket, { prefix: 'kb-out/' }, opts()))
      for (const o of page.objects) out[o.key] = (await bytesOf(store, bucket, o.key)).toString();
    assert.deepEqual(out, {
      'kb-out/kb/a.txt': 'older',
      'kb-out/kb/a (1).txt': 'A1',
      'kb-out/kb/a (2).txt': 'A',
    });
  });
});

describe(`task control (${target.label})`, () => {
  let body: Buffer;
  before(async () => {
    body = randomBytes(16 * MiB + 5); // four parts
    await store.putObject(bucket, 'ctl/src.bin', body, body.length, {}, opts());
  });

  test('pause stops a multipart copy and keeps its upload; resume copies only the missing parts', async () => {
    const h = harness({ partsInFlight: 1 });
    const held = h.rgw.holdAt('uploadPartCopy', 3);
    const [id] = await h.engine.copy(
      [{ profileId: 'rgw', bucket, key: 'ctl/src.bin', isFolder: false }],
      { profileId: 'rgw', bucket, prefix: 'ctl/paused/' },
      { ...COPY, ...MULTIPART },
    );
    await within(held, 'part 3');
    assert.equal(await h.engine.pause(id!), 'paused');
    assert.equal(h.engine.get(id!)!.state, 'paused');
    assert.equal((await uploadsLeft('ctl/paused/')).length, 1, 'the upload is kept for the resume');
    assert.equal(taskFiles(h).length, 1, 'the paused task has its checkpoint');
    assert.equal(h.engine.get(id!)!.progress.partsDone, 2);

    assert.notEqual(await h.engine.resume(id!), 'paused');
    const t = await within(h.engine.waitFor(id!), 'resumed task');
    assert.equal(t.state, 'done', JSON.stringify(t.error));
    const parts = h.rgw.of('uploadPartCopy').map((c) => c.part);
    assert.deepEqual(parts, [1, 2, 3, 3, 4], 'parts 1 and 2 were not copied again; the held part 3 was');
    assert.equal(md5(await bytesOf(store, bucket, 'ctl/paused/src.bin')), md5(body));
    assert.deepEqual(await uploadsLeft('ctl/paused/'), []);
    assert.deepEqual(taskFiles(h), []);
  });

  test('pause stops a folder copy between objects; resume copies only the objects not finished', async () => {
    for (let i = 0; i < 6; i++)
      await store.putObject(bucket, `pf/o${i}.txt`, Buffer.from(`o${i}`), 2, {}, opts());
    const h = harness({ objectsInFlight: 1 });
    const held = h.rgw.holdAt('copyObject', 3);
    const [id] = await h.engine.copy(
      [{ profileId: 'rgw', bucket, key: 'pf/', isFolder: true }],
      { profileId: 'rgw', bucket, prefix: 'pf-out/' },
      COPY,
    );
    await within(held, 'third object');
    assert.equal(await h.engine.pause(id!), 'paused');
    assert.equal(h.engine.get(id!)!.progress.objectsDone, 2);
    assert.notEqual(await h.engine.resume(id!), 'paused');
    const t = await within(h.engine.waitFor(id!), 'resumed folder task');
    assert.equal(t.state, 'done', JSON.stringify(t.error));
    assert.equal(t.progress.objectsDone, 6);
    assert.deepEqual(
      h.rgw.of('copyObject').map((c) => c.key),
      [
        'pf-out/pf/o0.txt',
        'pf-out/pf/o1.txt',
        'pf-out/pf/o2.txt',
        'pf-out/pf/o2.txt',
        'pf-out/pf/o3.txt',
        'pf-out/pf/o4.txt',
        'pf-out/pf/o5.txt',
      ],
      'o0 and o1 were not copied again; the held o2 was',
    );
    for (let i = 0; i < 6; i++)
      assert.equal((await bytesOf(store, bucket, `pf-out/pf/o${i}.txt`)).toString(), `o${i}`);
  });

  test('cancel stops a multipart copy and aborts its upload: no parts, no object, no checkpoint left', async () => {
    const h = harness({ partsInFlight: 1 });
    const held = h.rgw.holdAt('uploadPartCopy', 2);
    const [id] = await h.engine.copy(
      [{ profileId: 'rgw', bucket, key: 'ctl/src.bin', isFolder: false }],
      { profileId: 'rgw', bucket, prefix: 'ctl/cancelled/' },
      { ...COPY, ...MULTIPART },
    );
    await within(held, 'part 2');
    assert.equal((await uploadsLeft('ctl/cancelled/')).length, 1);
    assert.equal(await h.engine.cancel(id!), 'cancelled');
    assert.equal((await h.engine.waitFor(id!)).state, 'cancelled');
    assert.deepEqual(await uploadsLeft('ctl/cancelled/'), []);
    await assert.rejects(store.headObject({ bucket, key: 'ctl/cancelled/src.bin' }, opts()), { status: 404 });
    assert.deepEqual(taskFiles(h), []);
    assert.deepEqual(h.engine.uploads.all(), []);
  });

  test('a failed multipart copy keeps its checkpoint and upload; retry finishes it without recopying finished parts', async () => {
    const h = harness({ partsInFlight: 1 });
    const failed = h.rgw.failAt('uploadPartCopy', 3);
    const [id] = await h.engine.copy(
      [{ profileId: 'rgw', bucket, key: 'ctl/src.bin', isFolder: false }],
      { profileId: 'rgw', bucket, prefix: 'ctl/retried/' },
      { ...COPY, ...MULTIPART },
    );
    await within(failed, 'the failing part');
    const first = await within(h.engine.waitFor(id!), 'failing task');
    assert.equal(first.state, 'failed');
    assert.equal(first.error?.code, 'AccessDenied');
    assert.equal((await uploadsLeft('ctl/retried/')).length, 1);
    assert.equal(taskFiles(h).length, 1);

    assert.equal(await h.engine.retry(id!), 'queued');
    const t = await within(h.engine.waitFor(id!), 'retried task');
    assert.equal(t.state, 'done', JSON.stringify(t.error));
    assert.deepEqual(
      h.rgw.of('uploadPartCopy').map((c) => c.part),
      [1, 2, 3, 3, 4],
    );
    assert.equal(md5(await bytesOf(store, bucket, 'ctl/retried/src.bin')), md5(body));
    assert.deepEqual(await uploadsLeft('ctl/retried/'), []);
  });

  test('a failed copy of a missing source succeeds on retry once the source exists', async () => {
    const h = harness();
    const first = await copyOne(
      h,
      { profileId: 'rgw', key: 'ctl/later.txt' },
      { profileId: 'rgw', prefix: 'ctl/later/' },
    );
    assert.equal(first.state, 'failed');
    assert.match(first.error?.code ?? '', /NoSuchKey|NotFound/);
    await store.putObject(bucket, 'ctl/later.txt', Buffer.from('here now'), 8, {}, opts());
    assert.equal(await h.engine.retry(first.id), 'queued');
    const t = await within(h.engine.waitFor(first.id), 'retried task');
    assert.equal(t.state, 'done', JSON.stringify(t.error));
    assert.equal((await bytesOf(store, bucket, 'ctl/later/later.txt')).toString(), 'here now');
  });

  test('tasks run by priority: with one object in flight, a later high-priority task starts before earlier ones', async () => {
    const h = harness({ objectsInFlight: 1, partsInFlight: 1 });
    const held = h.rgw.holdAt('copyObject', 1);
    await store.putObject(bucket, 'prio/x.txt', Buffer.from('x'), 1, {}, opts());
    const src = (key: string) => ({ profileId: 'rgw', bucket, key, isFolder: false });
    const [blocker] = await h.engine.copy(
      [src('prio/x.txt')],
      { profileId: 'rgw', bucket, prefix: 'prio/0/' },
      COPY,
    );
    await within(held, 'first copy');
    const [low] = await h.engine.copy(
      [src('prio/x.txt')],
      { profileId: 'rgw', bucket, prefix: 'prio/low/' },
      COPY,
    );
    const [high] = await h.engine.copy(
      [src('prio/x.txt')],
      { profileId: 'rgw', bucket, prefix: 'prio/high/' },
      COPY,
      {
        priority: 5,
      },
    );
    assert.equal(h.engine.get(low!)!.state, 'queued');
    assert.equal(h.engine.get(high!)!.state, 'queued');
    await h.engine.pause(blocker!); // frees the only slot
    await within(Promise.all([h.engine.waitFor(low!), h.engine.waitFor(high!)]), 'queued tasks');
    assert.deepEqual(
      h.rgw
        .of('copyObject')
        .slice(1)
        .map((c) => c.key),
      ['prio/high/x.txt', 'prio/low/x.txt'],
    );
    await h.engine.cancel(blocker!);
  });
});

describe(`orphan uploads and checkpoints at start (${target.label})`, () => {
  test("orphans: uploads of running tasks are not listed, Ferry's and others' are told apart, and abort removes them", async () => {
    const h = harness({ partsInFlight: 1 });
    await h.engine.start();
    const foreign = await store.createMultipartUpload(bucket, 'orph/foreign.bin', {}, opts());
    const ours = await store.createMultipartUpload(bucket, 'orph/ours.bin', {}, opts());
    await h.engine.uploads.add({
      profileId: 'rgw',
      bucket,
      key: 'orph/ours.bin',
      uploadId: ours,
      taskId: 'tgone',
      createdAt: new Date().toISOString(),
    });
    const held = h.rgw.holdAt('uploadPartCopy', 1);
    const [id] = await h.engine.copy(
      [{ profileId: 'rgw', bucket, key: 'ctl/src.bin', isFolder: false }],
      { profileId: 'rgw', bucket, prefix: 'orph/task/' },
      { ...COPY, ...MULTIPART },
    );
    await within(held, 'first part');
    await h.engine.pause(id!);

    const found = await h.engine.listOrphans('rgw', bucket);
    const inBucket = found.filter((u) => u.key.startsWith('orph/'));
    assert.deepEqual(
      inBucket.map((u) => [u.key, u.uploadId, u.ours]).sort(),
      [
        ['orph/foreign.bin', foreign, false],
        ['orph/ours.bin', ours, true],
      ],
      "the paused task's upload is in use, not an orphan",
    );
    assert.equal(await h.engine.abortOrphans('rgw', bucket, [{ key: 'orph/ours.bin', uploadId: ours }]), 1);
    const pausedUpload = h.engine.uploads.all().find((u) => u.taskId === id)!.uploadId;
    assert.equal(
      await h.engine.abortOrphans('rgw', bucket, [{ key: 'orph/task/src.bin', uploadId: pausedUpload }]),
      0,
      'an upload a task may resume is refused',
    );
    assert.deepEqual((await uploadsLeft('orph/')).sort(), [foreign, pausedUpload].sort());
    assert.equal(h.engine.uploads.get(ours), undefined);
    await h.engine.cancel(id!);
    await store.abortMultipartUpload(bucket, 'orph/foreign.bin', foreign, opts());
    assert.deepEqual(await uploadsLeft('orph/'), []);
  });

  test('at start a damaged checkpoint is reported and moved aside, its upload is aborted, and a sound one is resumed', async () => {
    const dataDir = mkdtempSync(path.join(tmp, 'data-'));
    const first = harness({ partsInFlight: 1 }, dataDir);
    await first.engine.start();
    const src = { profileId: 'rgw', bucket, key: 'ctl/src.bin', isFolder: false };
    const heldA = first.rgw.holdAt('uploadPartCopy', 2);
    const [damaged] = await first.engine.copy(
      [src],
      { profileId: 'rgw', bucket, prefix: 'cp/damaged/' },
      { ...COPY, ...MULTIPART },
    );
    await within(heldA, 'task A part 2');
    await first.engine.pause(damaged!);
    const heldB = first.rgw.holdAt('uploadPartCopy', 2);
    const [sound] = await first.engine.copy(
      [src],
      { profileId: 'rgw', bucket, prefix: 'cp/sound/' },
      { ...COPY, ...MULTIPART },
    );
    await within(heldB, 'task B part 2');
    await first.engine.close(); // like quitting the app mid-copy
    assert.equal((await uploadsLeft('cp/')).length, 2);

    // Flip one character of task A's body: the checksum no longer matches.
    const fileA = path.join(dataDir, 'checkpoints', `task-${damaged}.json`);
    const text = readFileSync(fileA, 'utf8');
    const at = text.indexOf('cp/damaged/');
    writeFileSync(fileA, text.slice(0, at) + 'cp/Damaged/' + text.slice(at + 'cp/damaged/'.length));
    writeFileSync(path.join(dataDir, 'checkpoints', 'task-garbage.json'), '{"format":"something else"}');

    const second = harness({ partsInFlight: 2 }, dataDir);
    await second.engine.start();
    const corrupt = second.engine.corruptCheckpoints();
    assert.deepEqual(corrupt.map((c) => [path.basename(c.file), c.reason]).sort(), [
      ['task-garbage.json', 'it is not a Ferry task checkpoint'],
      [`task-${damaged}.json`, 'its checksum does not match (damaged)'],
    ]);
    for (const c of corrupt)
      assert.equal(path.dirname(c.movedTo), path.join(dataDir, 'checkpoints', 'corrupt'));
    assert.ok(second.log.some((l) => l.startsWith('error ') && l.includes(`task-${damaged}.json`)));
    assert.equal(second.engine.get(damaged!), undefined, 'the damaged task is not loaded');
    assert.equal(second.engine.get(sound!)?.resumedAfterRestart, true);
    await within(second.logged(/left behind by an earlier run/), 'registry sweep');
    const done = await within(second.engine.waitFor(sound!), 'resumed task');
    assert.equal(done.state, 'done', JSON.stringify(done.error));
    assert.equal(
      md5(await bytesOf(store, bucket, 'cp/sound/src.bin')),
      md5(await bytesOf(store, bucket, 'ctl/src.bin')),
    );
    assert.deepEqual(
      second.rgw
        .of('uploadPartCopy')
        .map((c) => c.part)
        .sort(),
      [2, 3, 4],
      'the resumed task copied only the parts it had not finished',
    );
    assert.deepEqual(
      await uploadsLeft('cp/'),
      [],
      "the damaged task's upload was aborted by the registry sweep",
    );
  });
});
