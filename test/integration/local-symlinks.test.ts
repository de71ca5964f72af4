/**
 * Symbolic links in the Local provider are never followed. A link inside a bucket, a linked
 * intermediate folder, or a bucket that is itself a link would otherwise let reads, writes, deletes
 * and listings reach files outside the data folder. Each operation is tried through each kind of
 * link, and the files outside are checked untouched. Listings skip links (they are not objects).
 */
import assert from 'node:assert/strict';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { StorageError } from '../../main/storage/errors';
import { LocalStore } from '../../main/storage/local/local-store';
import { listAll } from '../../main/storage/provider';
import { appServiceOptions, createApp } from '../../main/app/wiring';

const refused = (err: unknown) => {
  assert.ok(err instanceof StorageError, String(err));
  assert.equal(err.code, 'SymbolicLinkRefused', err.message);
  assert.match(err.message, /symbolic link ".*"; Ferry does not follow links in Local buckets/);
  return true;
};

async function keysOf(store: LocalStore, bucket: string, prefix = '', delimiter?: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const { page } of listAll(store, bucket, { prefix, delimiter }))
    keys.push(...page.objects.map((o) => o.key), ...page.prefixes);
  return keys.sort();
}

describe('symbolic links in the Local provider are refused, never followed', () => {
  const work = mkdtempSync(path.join(os.tmpdir(), 'ferry-links-'));
  const root = path.join(work, 'local');
  const outside = path.join(work, 'outside');
  const store = new LocalStore(root);
  const bucket = path.join(root, 'links');
  const outsideFiles = () => readdirSync(outside).sort();

  before(() => {
    mkdirSync(outside, { recursive: true });
    writeFileSync(path.join(outside, 'secret.txt'), 'outside the data folder');
    mkdirSync(path.join(bucket, 'real'), { recursive: true });
    writeFileSync(path.join(bucket, 'plain.txt'), 'inside');
    symlinkSync(path.join(outside, 'secret.txt'), path.join(bucket, 'file-link.txt'));
    symlinkSync(outside, path.join(bucket, 'dir-link'));
    symlinkSync(outside, path.join(bucket, 'real', 'deeper-link'));
    symlinkSync(outside, path.join(root, 'linked-bucket'));
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  test('reading through a linked file, a linked folder, a linked intermediate folder or a linked bucket is refused', async () => {
    for (const [b, key] of [
      ['links', 'file-link.txt'],
      ['links', 'dir-link/secret.txt'],
      ['links', 'real/deeper-link/secret.txt'],
      ['linked-bucket', 'secret.txt'],
    ] as const) {
      await assert.rejects(store.headObject({ bucket: b, key }), refused, `HEAD ${b}/${key}`);
      await assert.rejects(store.getObject({ bucket: b, key }), refused, `GET ${b}/${key}`);
      await assert.rejects(store.contentMd5({ bucket: b, key }), refused, `MD5 ${b}/${key}`);
    }
    // A copy from a link is a read too, whole or by part.
    await assert.rejects(
      store.copyObject(
        { bucket: 'links', key: 'dir-link/secret.txt' },
        { bucket: 'links', key: 'stolen.txt' },
        { directive: 'COPY' },
      ),
      refused,
    );
    const upload = await store.createMultipartUpload('links', 'stolen.bin', {});
    await assert.rejects(
      store.uploadPartCopy(
        'links',
        'stolen.bin',
        upload,
        1,
        { bucket: 'links', key: 'file-link.txt' },
        { start: 0, end: 4 },
      ),
      refused,
    );
    await store.abortMultipartUpload('links', 'stolen.bin', upload);
    assert.ok(!existsSync(path.join(bucket, 'stolen.txt')));
  });

  test('writing through a linked file, folder, intermediate folder or bucket is refused and nothing lands outside', async () => {
    for (const [b, key] of [
      ['links', 'file-link.txt'],
      ['links', 'dir-link/new.txt'],
      ['links', 'dir-link/secret.txt'],
      ['links', 'real/deeper-link/new.txt'],
      ['links', 'dir-link/'],
      ['linked-bucket', 'new.txt'],
    ] as const) {
      await assert.rejects(store.putObject(b, key, Buffer.from('written'), 7), refused, `PUT ${b}/${key}`);
    }
    await assert.rejects(store.createMultipartUpload('links', 'dir-link/big.bin', {}), refused);
    await assert.rejects(store.createBucket('linked-bucket'), refused);
    assert.deepEqual(outsideFiles(), ['secret.txt']);
    assert.equal(readFileSync(path.join(outside, 'secret.txt'), 'utf8'), 'outside the data folder');
    // The link itself was not replaced by a file either.
    assert.equal(readFileSync(path.join(bucket, 'file-link.txt'), 'utf8'), 'outside the data folder');
  });

  test('a multipart Complete whose destination folder became a link is refused', async () => {
    mkdirSync(path.join(bucket, 'later'));
    const upload = await store.createMultipartUpload('links', 'later/part.bin', {});
    const part = await store.uploadPart('links', 'later/part.bin', upload, 1, Buffer.from('parts'), 5);
    rmSync(path.join(bucket, 'later'), { recursive: true });
    symlinkSync(outside, path.join(bucket, 'later'));
    await assert.rejects(store.completeMultipartUpload('links', 'later/part.bin', upload, [part]), refused);
    assert.deepEqual(outsideFiles(), ['secret.txt']);
    rmSync(path.join(bucket, 'later'));
  });

  test('a write whose parent folder is swapped for a link while its bytes stream in is refused before the rename', async () => {
    mkdirSync(path.join(bucket, 'race'));
    let swapped = false;
    const body = new Readable({
      read() {
        if (swapped) return this.push(null);
        // The folder checked at the start of the write becomes a link to outside mid-stream.
        renameSync(path.join(bucket, 'race'), path.join(work, 'race-moved'));
        symlinkSync(outside, path.join(bucket, 'race'));
        swapped = true;
        this.push(Buffer.from('raced'));
      },
    });
    await assert.rejects(store.putObject('links', 'race/file.txt', body, 5), refused);
    assert.ok(swapped);
    assert.deepEqual(outsideFiles(), ['secret.txt'], 'the file landed outside the data folder');
    assert.deepEqual(readdirSync(path.join(root, '.ferry', 'tmp')), [], 'the temp file was removed');
    rmSync(path.join(bucket, 'race'));
  });

  test('deleting through a link is refused and deletes nothing, neither the link nor its target', async () => {
    for (const key of ['file-link.txt', 'dir-link/secret.txt', 'real/deeper-link/secret.txt', 'dir-link/'])
      await assert.rejects(store.deleteObject('links', key), refused, key);
    const failed = await store.deleteObjects('links', ['dir-link/secret.txt', 'plain.txt']);
    assert.deepEqual(
      failed.map((f) => [f.key, f.code]),
      [['dir-link/secret.txt', 'SymbolicLinkRefused']],
    );
    await assert.rejects(store.deleteObject('linked-bucket', 'secret.txt'), refused);
    assert.deepEqual(outsideFiles(), ['secret.txt']);
    assert.ok(existsSync(path.join(bucket, 'file-link.txt')));
    assert.ok(existsSync(path.join(bucket, 'dir-link')));
    writeFileSync(path.join(bucket, 'plain.txt'), 'inside');
  });

  test('listings skip links; listing inside a linked folder or a linked bucket is refused', async () => {
    // "real/" holds only a link, so it lists as an empty folder: its folder object.
    assert.deepEqual(await keysOf(store, 'links'), ['plain.txt', 'real/']);
    assert.deepEqual(await keysOf(store, 'links', '', '/'), ['plain.txt', 'real/']);
    assert.deepEqual(await keysOf(store, 'links', 'real/', '/'), []);
    await assert.rejects(keysOf(store, 'links', 'dir-link/'), refused);
    await assert.rejects(keysOf(store, 'links', 'real/deeper-link/', '/'), refused);
    await assert.rejects(keysOf(store, 'linked-bucket'), refused);
    assert.ok(!(await store.listBuckets()).some((b) => b.name === 'linked-bucket'));
  });

  test('a listing that skips links says which, once per folder read (the app logs it)', async () => {
    const skipped: [string, string[]][] = [];
    const reporting = new LocalStore(root, {
      onSkippedLinks: (folder, names) => skipped.push([folder, names]),
    });
    await keysOf(reporting, 'links');
    await keysOf(reporting, 'links');
    await reporting.listBuckets();
    assert.deepEqual(
      skipped.map(([folder, names]) => [folder, [...names].sort()]),
      [
        ['links', ['dir-link', 'file-link.txt']],
        [path.join('links', 'real'), ['deeper-link']],
        ['', ['linked-bucket']],
      ],
    );
    // The app's Local store reports to the log: the data folder here is `work` (its local/ is `root`).
    const services = createApp(appServiceOptions(work, 'cli'));
    try {
      await services.handlers['storage.listObjects']({
        profileId: 'local',
        bucket: 'links',
        prefix: '',
        delimiter: '/',
      });
    } finally {
      await services.close();
    }
    assert.match(
      readFileSync(path.join(work, 'logs', 'ferry.log'), 'utf8'),
      /WARN {2}listing local:links\/ skipped 2 symbolic link\(s\), which Ferry does not follow: (dir-link, file-link\.txt|file-link\.txt, dir-link)/,
    );
  });
});
