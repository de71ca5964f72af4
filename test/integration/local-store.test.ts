import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { LocalStore } from '../../main/storage/local/local-store';
import { seedLocalBuckets } from '../../main/storage/local/seed';
import { StorageError } from '../../main/storage/errors';
import { listAll } from '../../main/storage/provider';

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

describe('Local provider', () => {
  let root: string;
  let store: LocalStore;

  before(async () => {
    root = mkdtempSync(path.join(os.tmpdir(), 'ferry-local-'));
    store = new LocalStore(root);
    await store.createBucket('alpha');
    await store.createBucket('beta');
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  test('lists only folders with valid bucket names as buckets', async () => {
    mkdirSync(path.join(root, 'Not_A_Bucket'));
    mkdirSync(path.join(root, '.hidden'));
    const names = (await store.listBuckets()).map((b) => b.name);
    assert.deepEqual(names, ['alpha', 'beta']);
  });

  test('lists keys in UTF-8 byte order, with folders sorting as name + "/"', async () => {
    for (const key of ['a-b', 'a/x', 'a/y/z', 'b', 'a.txt', 'Z', '渡船']) {
      await store.putObject('alpha', key, Buffer.from(key), Buffer.byteLength(key));
    }
    const keys: string[] = [];
    for await (const { page } of listAll(store, 'alpha', {})) keys.push(...page.objects.map((o) => o.key));
    const expected = ['a-b', 'a/x', 'a/y/z', 'b', 'a.txt', 'Z', '渡船'].sort((x, y) =>
      Buffer.compare(Buffer.from(x), Buffer.from(y)),
    );
    assert.deepEqual(keys, expected);
  });

  test('a delimiter listing separates folders from objects and honours a partial name prefix', async () => {
    const page = await store.listObjects('alpha', { prefix: 'a', delimiter: '/' });
    assert.deepEqual(page.prefixes, ['a/']);
    assert.deepEqual(
      page.objects.map((o) => o.key),
      ['a-b', 'a.txt'],
    );
    const inner = await store.listObjects('alpha', { prefix: 'a/', delimiter: '/' });
    assert.deepEqual(inner.prefixes, ['a/y/']);
    assert.deepEqual(
      inner.objects.map((o) => o.key),
      ['a/x'],
    );
  });

  test('pages with continuation tokens and start-after without repeating or skipping keys', async () => {
    await store.createBucket('paged');
    const dir = path.join(root, 'paged', 'many');
    mkdirSync(dir, { recursive: true });
    for (let i = 0; i < 2500; i++) writeFileSync(path.join(dir, `k${String(i).padStart(6, '0')}`), '');
    const seen: string[] = [];
    let pages = 0;
    for await (const { page } of listAll(store, 'paged', { prefix: 'many/', maxKeys: 1000 })) {
      pages++;
      seen.push(...page.objects.map((o) => o.key));
    }
    assert.equal(pages, 3);
    assert.equal(seen.length, 2500);
    assert.equal(new Set(seen).size, 2500);
    const after = await store.listObjects('paged', {
      prefix: 'many/',
      startAfter: 'many/k001234',
      maxKeys: 2,
    });
    assert.deepEqual(
      after.objects.map((o) => o.key),
      ['many/k001235', 'many/k001236'],
    );
  });

  test('round-trips odd keys byte for byte', async () => {
    const keys = [
      'with space',
      'plus+sign',
      'per%cent',
      'what?',
      'hash#tag',
      'amp&ersand',
      'ünïcødé/文件',
      'dir/./x'.replace('/./', '/dot.'),
      `${'k'.repeat(250)}/${'d'.repeat(250)}/${'e'.repeat(250)}/${'f'.repeat(250)}/${'g'.repeat(20)}`,
    ];
    for (const key of keys) {
      const body = Buffer.from(`body of ${key}`);
      await store.putObject('beta', key, body, body.length);
      assert.deepEqual(await readAll(await store.getObject({ bucket: 'beta', key })), body);
      assert.equal((await store.headObject({ bucket: 'beta', key })).key, key);
    }
    const listed: string[] = [];
    for await (const { page } of listAll(store, 'beta', {})) listed.push(...page.objects.map((o) => o.key));
    for (const key of keys) assert.ok(listed.includes(key), `listed ${key}`);
    assert.ok(Buffer.byteLength(keys.at(-1)!) > 1000);
  });

  test('refuses keys a file system cannot hold faithfully, with a clear error', async () => {
    for (const key of [
      '../escape',
      'a/../b',
      '/leading',
      'double//slash',
      'a/./b',
      'nul\0byte',
      'x'.repeat(1025),
    ]) {
      await assert.rejects(
        store.putObject('beta', key, Buffer.from('x'), 1),
        (err: unknown) =>
          err instanceof StorageError &&
          err.code === 'InvalidObjectName' &&
          /cannot be stored/.test(err.message),
        key,
      );
    }
    assert.throws(() => readFileSync(path.join(root, 'escape')));
  });

  test('keeps metadata and tags, and copies them with COPY but not with REPLACE', async () => {
    const body = Buffer.from('metadata test');
    await store.putObject('alpha', 'meta.txt', body, body.length, {
      metadata: { contentType: 'text/plain', cacheControl: 'max-age=60', userMeta: { owner: 'zoë' } },
      tagging: 'team=blue',
    });
    await store.copyObject(
      { bucket: 'alpha', key: 'meta.txt' },
      { bucket: 'beta', key: 'meta-copy.txt' },
      { directive: 'COPY' },
    );
    const copied = await store.headObject({ bucket: 'beta', key: 'meta-copy.txt' });
    assert.equal(copied.metadata.contentType, 'text/plain');
    assert.equal(copied.metadata.userMeta.owner, 'zoë');
    assert.deepEqual(await store.getObjectTagging({ bucket: 'beta', key: 'meta-copy.txt' }), {
      team: 'blue',
    });
    await store.copyObject(
      { bucket: 'alpha', key: 'meta.txt' },
      { bucket: 'beta', key: 'meta-replaced.txt' },
      {
        directive: 'REPLACE',
        metadata: { contentType: 'application/json', userMeta: {} },
      },
    );
    const replaced = await store.headObject({ bucket: 'beta', key: 'meta-replaced.txt' });
    assert.equal(replaced.metadata.contentType, 'application/json');
    assert.deepEqual(replaced.metadata.userMeta, {});
  });

  test('copy-source-if-match fails with PreconditionFailed when the source changed', async () => {
    await store.putObject('alpha', 'changing', Buffer.from('one'), 3);
    const head = await store.headObject({ bucket: 'alpha', key: 'changing' });
    await store.putObject('alpha', 'changing', Buffer.from('two'), 3);
    await assert.rejects(
      store.copyObject(
        { bucket: 'alpha', key: 'changing' },
        { bucket: 'beta', key: 'changing' },
        { directive: 'COPY', ifMatch: head.etag },
      ),
      (err: unknown) => err instanceof StorageError && err.status === 412,
    );
  });

  test('serves byte ranges and rejects ranges outside the object', async () => {
    const body = Buffer.from('0123456789');
    await store.putObject('alpha', 'digits', body, body.length);
    assert.equal(
      (
        await readAll(await store.getObject({ bucket: 'alpha', key: 'digits' }, { start: 2, end: 5 }))
      ).toString(),
      '2345',
    );
    await assert.rejects(
      store.getObject({ bucket: 'alpha', key: 'digits' }, { start: 5, end: 10 }),
      /outside the object/,
    );
  });

  test('multipart upload: part copies, re-uploaded parts, ListParts, Complete in order, Abort', async () => {
    const source = Buffer.alloc(3 * 1024 + 17);
    for (let i = 0; i < source.length; i++) source[i] = (i * 31) % 251;
    await store.putObject('alpha', 'big.bin', source, source.length);
    const src = { bucket: 'alpha', key: 'big.bin' };
    const srcEtag = (await store.headObject(src)).etag;
    const uploadId = await store.createMultipartUpload('beta', 'big-copy.bin', {
      metadata: { contentType: 'application/x-test', userMeta: {} },
    });
    const p1 = await store.uploadPartCopy(
      'beta',
      'big-copy.bin',
      uploadId,
      1,
      src,
      { start: 0, end: 1023 },
      srcEtag,
    );
    await store.uploadPartCopy('beta', 'big-copy.bin', uploadId, 2, src, { start: 1024, end: 2047 }, srcEtag);
    const p2 = await store.uploadPartCopy(
      'beta',
      'big-copy.bin',
      uploadId,
      2,
      src,
      { start: 1024, end: 2047 },
      srcEtag,
    );
    const p3 = await store.uploadPart(
      'beta',
      'big-copy.bin',
      uploadId,
      3,
      source.subarray(2048),
      source.length - 2048,
    );
    const listed = [];
    for await (const part of store.listParts('beta', 'big-copy.bin', uploadId)) listed.push(part);
    assert.deepEqual(
      listed.map((p) => [p.partNumber, p.size]),
      [
        [1, 1024],
        [2, 1024],
        [3, source.length - 2048],
      ],
    );
    await assert.rejects(
      store.completeMultipartUpload('beta', 'big-copy.bin', uploadId, [p2, p1, p3]),
      /ascending/,
    );
    const uploads = [];
    for await (const u of store.listMultipartUploads('beta')) uploads.push(u.uploadId);
    assert.ok(uploads.includes(uploadId));
    await store.completeMultipartUpload('beta', 'big-copy.bin', uploadId, [p1, p2, p3]);
    assert.deepEqual(await readAll(await store.getObject({ bucket: 'beta', key: 'big-copy.bin' })), source);
    assert.equal(
      (await store.headObject({ bucket: 'beta', key: 'big-copy.bin' })).metadata.contentType,
      'application/x-test',
    );

    const abandoned = await store.createMultipartUpload('beta', 'gone.bin', {});
    await store.abortMultipartUpload('beta', 'gone.bin', abandoned);
    await assert.rejects(
      store.uploadPart('beta', 'gone.bin', abandoned, 1, Buffer.from('x'), 1),
      (err: unknown) => (err as StorageError).code === 'NoSuchUpload',
    );
  });

  test('a missing bucket and a missing key are NoSuchBucket and NoSuchKey', async () => {
    await assert.rejects(
      store.listObjects('nope-bucket', {}),
      (err: unknown) => (err as StorageError).code === 'NoSuchBucket',
    );
    await assert.rejects(
      store.headObject({ bucket: 'alpha', key: 'absent' }),
      (err: unknown) => (err as StorageError).code === 'NoSuchKey',
    );
  });

  test('deleting the last object of a folder removes the folder, as on an object store', async () => {
    await store.putObject('alpha', 'tmp/only/child', Buffer.from('x'), 1);
    await store.deleteObject('alpha', 'tmp/only/child');
    const page = await store.listObjects('alpha', { prefix: 'tmp/', delimiter: '/' });
    assert.deepEqual(page.prefixes, []);
  });

  test('seeds two sample buckets once and never again', async () => {
    const seedRoot = mkdtempSync(path.join(os.tmpdir(), 'ferry-seed-'));
    try {
      assert.equal(seedLocalBuckets(seedRoot, { largeFileBytes: 1024 }), true);
      assert.equal(seedLocalBuckets(seedRoot, { largeFileBytes: 1024 }), false);
      const seeded = new LocalStore(seedRoot);
      assert.deepEqual(
        (await seeded.listBuckets()).map((b) => b.name),
        ['sample-backup', 'sample-photos'],
      );
    } finally {
      rmSync(seedRoot, { recursive: true, force: true });
    }
  });
});
