/**
 * The computer provider on real files: a temporary folder stands for a person's disk, reached by
 * its real address (`root` + the path below `/`). Links are shown as links and never followed,
 * unicode and spaces round-trip, a file where a folder is expected and an unreadable folder say so,
 * `..` never leaves a root, and Ferry's own state stays in the data folder.
 */
import assert from 'node:assert/strict';
import {
  chmodSync,
  existsSync,
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
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { addressOfPath } from '../../main/storage/computer/addressing';
import { ComputerStore } from '../../main/storage/computer/computer-store';
import { StorageError } from '../../main/storage/errors';
import { listAll } from '../../main/storage/provider';
import { runUnprivileged } from '../support/as-unprivileged';

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

const failsWith = (code: string, message: RegExp) => (err: unknown) => {
  assert.ok(err instanceof StorageError, String(err));
  assert.equal(err.code, code, err.message);
  assert.match(err.message, message);
  return true;
};

describe('the computer provider', () => {
  // realpath: on macOS the temp folder is reached through /var → /private/var, and keys never pass links.
  const disk = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'ferry-disk-')));
  const state = mkdtempSync(path.join(os.tmpdir(), 'ferry-computer-state-'));
  const store = new ComputerStore(state);
  const { bucket, key: base } = addressOfPath(disk, process.platform, true)!;
  const keysIn = async (prefix: string) => {
    const page = await store.listObjects(bucket, { prefix: base + prefix, delimiter: '/' });
    return [...page.prefixes, ...page.objects.map((o) => o.key)].map((k) => k.slice(base.length));
  };

  before(() => {
    mkdirSync(path.join(disk, 'photos', '2024'), { recursive: true });
    writeFileSync(path.join(disk, 'photos', '2024', 'harbour at dawn.jpg'), 'jpeg bytes');
    writeFileSync(path.join(disk, '渡船 notes.txt'), 'unicode and a space');
    writeFileSync(path.join(disk, 'plain.txt'), 'plain');
    symlinkSync(path.join(disk, 'plain.txt'), path.join(disk, 'file-link'));
    symlinkSync('photos', path.join(disk, 'folder-link'));
    symlinkSync('.', path.join(disk, 'photos', 'loop')); // a walk that followed it would never end
    symlinkSync(path.join(disk, 'nowhere'), path.join(disk, 'broken-link'));
  });
  after(() => {
    rmSync(disk, { recursive: true, force: true });
    rmSync(state, { recursive: true, force: true });
  });

  test('the disk is one bucket per root, and a path is its key below the root', async () => {
    assert.deepEqual(
      (await store.listBuckets()).map((b) => b.name),
      ['root'],
    );
    assert.equal(bucket, 'root');
    assert.equal(base, `${disk.slice(1)}/`);
  });

  test('a listing shows files with unicode and spaces, folders, and links as links with their targets', async () => {
    assert.deepEqual(await keysIn(''), [
      'photos/',
      'broken-link',
      'file-link',
      'folder-link',
      'plain.txt',
      '渡船 notes.txt',
    ]);
    const page = await store.listObjects(bucket, { prefix: base, delimiter: '/' });
    const byName = new Map(page.objects.map((o) => [o.key.slice(base.length), o]));
    assert.equal(byName.get('plain.txt')!.link, undefined);
    assert.equal(byName.get('plain.txt')!.size, 5);
    assert.deepEqual(byName.get('file-link')!.link, {
      target: path.join(disk, 'plain.txt'),
      targetKind: 'file',
      resolved: { bucket, key: `${base}plain.txt` },
    });
    assert.equal(byName.get('file-link')!.size, 5, 'a link to a file shows its target size');
    assert.deepEqual(byName.get('folder-link')!.link, {
      target: 'photos',
      targetKind: 'folder',
      resolved: { bucket, key: `${base}photos/` },
    });
    assert.equal(byName.get('broken-link')!.link!.targetKind, 'missing');
    assert.equal(byName.get('broken-link')!.link!.resolved, undefined);
  });

  test('a walk of the whole tree passes links by without entering them (no loop)', async () => {
    const keys: string[] = [];
    for await (const { page } of listAll(store, bucket, { prefix: base }))
      keys.push(...page.objects.map((o) => o.key.slice(base.length)));
    assert.deepEqual(keys, ['photos/2024/harbour at dawn.jpg', 'plain.txt', '渡船 notes.txt']);
  });

  test('reading through a link is refused with the way to its target', async () => {
    for (const key of ['file-link', 'folder-link/2024/harbour at dawn.jpg']) {
      await assert.rejects(
        store.headObject({ bucket, key: base + key }),
        failsWith('SymbolicLinkRefused', /symbolic link ".*"; .*open the link to go to its target/),
      );
    }
  });

  test('objects read and write as files, unicode and spaces included; no temp file is left', async () => {
    const got = await readAll(
      await store.getObject({ bucket, key: `${base}photos/2024/harbour at dawn.jpg` }),
    );
    assert.equal(got.toString(), 'jpeg bytes');
    const part = await readAll(
      await store.getObject({ bucket, key: `${base}plain.txt` }, { start: 1, end: 3 }),
    );
    assert.equal(part.toString(), 'lai');
    await store.putObject(bucket, `${base}new folder/ünï côdé.txt`, Buffer.from('written'), 7);
    assert.equal(readFileSync(path.join(disk, 'new folder', 'ünï côdé.txt'), 'utf8'), 'written');
    assert.deepEqual(readdirSync(path.join(disk, 'new folder')), ['ünï côdé.txt']);
    // Ferry's state is in the data folder, never on the disk being browsed.
    assert.ok(!readdirSync(disk).some((n) => n.startsWith('.ferry')));
    assert.ok(existsSync(path.join(state, '.ferry', 'meta')));
  });

  test('a temp file a kill left beside its target is removed at the next start, and nothing else', async () => {
    // What a kill mid-write leaves: the note in the data folder and the hidden temp file on the disk.
    const pending = path.join(state, '.ferry', 'pending');
    mkdirSync(pending, { recursive: true });
    const dead = '999999-0b6f4c8e-1d2a-4c3b-9e8f-0123456789ab'; // no process has this id
    const live = `${process.pid}-1b6f4c8e-1d2a-4c3b-9e8f-0123456789ab`;
    for (const name of [dead, live]) {
      writeFileSync(path.join(disk, `.ferry-${name}.tmp`), 'half written');
      writeFileSync(
        path.join(pending, `${name}.json`),
        JSON.stringify({ file: path.join(disk, `.ferry-${name}.tmp`) }),
      );
    }
    // A note that names any other file (damaged, or forged) never removes it.
    const other = '999998-2b6f4c8e-1d2a-4c3b-9e8f-0123456789ab';
    writeFileSync(
      path.join(pending, `${other}.json`),
      JSON.stringify({ file: path.join(disk, 'plain.txt') }),
    );
    const removed = await store.sweepTempFiles();
    assert.deepEqual(removed, [path.join(disk, `.ferry-${dead}.tmp`)]);
    assert.ok(!existsSync(path.join(disk, `.ferry-${dead}.tmp`)));
    assert.ok(existsSync(path.join(disk, `.ferry-${live}.tmp`)), 'a live writer keeps its file');
    assert.equal(readFileSync(path.join(disk, 'plain.txt'), 'utf8'), 'plain');
    rmSync(path.join(disk, `.ferry-${live}.tmp`));
    rmSync(pending, { recursive: true });
    // A finished write leaves no note behind.
    await store.putObject(bucket, `${base}noted.txt`, Buffer.from('n'), 1);
    assert.deepEqual(existsSync(pending) ? readdirSync(pending) : [], []);
    rmSync(path.join(disk, 'noted.txt'));
  });

  test('a multipart upload to the disk joins its parts beside the target', async () => {
    const key = `${base}multi/joined.bin`;
    const id = await store.createMultipartUpload(bucket, key, {});
    const p1 = await store.uploadPart(bucket, key, id, 1, Buffer.from('first-'), 6);
    const p2 = await store.uploadPart(bucket, key, id, 2, Buffer.from('second'), 6);
    await store.completeMultipartUpload(bucket, key, id, [p1, p2]);
    assert.equal(readFileSync(path.join(disk, 'multi', 'joined.bin'), 'utf8'), 'first-second');
    assert.deepEqual(readdirSync(path.join(disk, 'multi')), ['joined.bin']);
  });

  test('a file where a folder is expected is an error that names it', async () => {
    await assert.rejects(
      store.listObjects(bucket, { prefix: `${base}plain.txt/`, delimiter: '/' }),
      failsWith('NotAFolder', new RegExp(`"${disk}/plain.txt" is a file, not a folder`)),
    );
    await assert.rejects(
      store.putObject(bucket, `${base}plain.txt/inside.txt`, Buffer.from('x'), 1),
      (err: unknown) => {
        assert.ok(err instanceof StorageError && /^(ENOTDIR|EEXIST)$/.test(err.code), String(err));
        assert.match(
          err.message,
          /"[^"]*plain.txt\/inside.txt" cannot be stored: a file stands where a folder is needed/,
        );
        return true;
      },
    );
    assert.equal(readFileSync(path.join(disk, 'plain.txt'), 'utf8'), 'plain', 'the file is untouched');
  });

  test('".." never leaves a root, and other names a path cannot hold are refused', async () => {
    for (const key of [`${base}../../etc/passwd`, `${base}photos/../plain.txt`, `${base}./plain.txt`]) {
      await assert.rejects(store.headObject({ bucket, key }), failsWith('InvalidObjectName', /path segment/));
      await assert.rejects(
        store.putObject(bucket, key, Buffer.from('x'), 1),
        failsWith('InvalidObjectName', /path segment/),
      );
    }
    await assert.rejects(
      store.headObject({ bucket: 'local', key: 'x' }),
      failsWith('NoSuchBucket', /not a drive or root/),
    );
    await assert.rejects(
      store.headObject({ bucket, key: `${base}a\0b` }),
      failsWith('InvalidObjectName', /NUL/),
    );
  });

  test('deleting a folder removes its files and empty folders, never the folder above it', async () => {
    mkdirSync(path.join(disk, 'trash', 'deep', 'deeper'), { recursive: true });
    writeFileSync(path.join(disk, 'trash', 'deep', 'deeper', 'a.txt'), 'a');
    writeFileSync(path.join(disk, 'trash', 'b.txt'), 'b');
    mkdirSync(path.join(disk, 'lonely'));
    writeFileSync(path.join(disk, 'lonely', 'only.txt'), 'only');
    await store.deleteObject(bucket, `${base}lonely/only.txt`);
    assert.ok(existsSync(path.join(disk, 'lonely')), 'the last file of a folder leaves the folder');
    for await (const { page } of listAll(store, bucket, { prefix: `${base}trash/` }))
      await store.deleteObjects(
        bucket,
        page.objects.map((o) => o.key),
      );
    await store.removeEmptyFolders(bucket, `${base}trash/`);
    assert.ok(!existsSync(path.join(disk, 'trash')));
    assert.ok(existsSync(disk));
  });

  test('an unreadable folder is a clear error for that folder; its neighbours still list', () => {
    const locked = path.join(disk, 'locked');
    mkdirSync(locked);
    writeFileSync(path.join(locked, 'secret.txt'), 's');
    chmodSync(locked, 0o000);
    try {
      const list = (prefix: string) => {
        const r = runUnprivileged(process.execPath, [
          '--import',
          'tsx',
          path.join(__dirname, '..', 'support', 'computer-list.ts'),
          state,
          bucket,
          prefix,
        ]);
        assert.equal(r.status, 0, r.stderr);
        return JSON.parse(r.stdout) as { ok: boolean; code?: string; message?: string; keys?: string[] };
      };
      const denied = list(`${base}locked/`);
      assert.equal(denied.ok, false);
      assert.equal(denied.code, 'EACCES');
      assert.match(denied.message!, /permission denied on the folder ".*locked\/"/);
      const parent = list(base);
      assert.ok(parent.ok && parent.keys!.includes(`${base}locked/`), JSON.stringify(parent));
    } finally {
      chmodSync(locked, 0o755);
    }
  });
});
