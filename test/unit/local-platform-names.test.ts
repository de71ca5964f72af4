/**
 * Windows and macOS file-name rules of the Local provider, run on Linux: the rules are a pure module
 * taking the platform, and the store takes the platform as an option, so a key that Windows cannot
 * hold or that would land on another key's file is refused here exactly as it would be there.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { StorageError } from '../../main/storage/errors';
import { keySegments } from '../../main/storage/local/keys';
import { LocalStore } from '../../main/storage/local/local-store';
import { collidingName, nameIdentity, segmentProblem } from '../../main/storage/local/platform-names';

describe('Windows file names (platform rules, run on Linux)', () => {
  test('device names are refused, with or without an extension and in any case', () => {
    for (const name of [
      'CON',
      'con',
      'Nul',
      'prn',
      'aux',
      'COM1',
      'com9',
      'LPT1',
      'lpt9',
      'COM¹',
      'CONIN$',
      'conout$',
    ])
      assert.match(segmentProblem(name, 'win32') ?? '', /device name/, name);
    for (const name of ['con.txt', 'NUL.tar.gz', 'com1.log', 'CON .txt'])
      assert.match(segmentProblem(name, 'win32') ?? '', /device name/, name);
    for (const name of ['console', 'COM10', 'LPT0', 'nullable.txt', 'a.con', 'xcon'])
      assert.equal(segmentProblem(name, 'win32'), undefined, name);
  });

  test('trailing dots and spaces, the characters <>:"|?*\\ and control characters are refused', () => {
    for (const name of ['name.', 'name ', 'name. .', '...'])
      assert.match(segmentProblem(name, 'win32') ?? '', /trailing dot or space/, name);
    for (const c of ['<', '>', ':', '"', '|', '?', '*', '\\'])
      assert.match(segmentProblem(`a${c}b`, 'win32') ?? '', /Windows does not allow/, c);
    assert.match(segmentProblem('a\u0001b', 'win32') ?? '', /control character U\+0001/);
    assert.match(segmentProblem('a\nb', 'win32') ?? '', /control character U\+000a/);
    assert.equal(segmentProblem('.hidden', 'win32'), undefined);
    assert.equal(segmentProblem('ünïcödé 名前.txt', 'win32'), undefined);
  });

  test('Linux and macOS accept what Windows refuses', () => {
    for (const name of ['CON', 'con.txt', 'a:b', 'name.', 'name ', 'a*b', 'a\\b']) {
      assert.equal(segmentProblem(name, 'linux'), undefined, name);
      assert.equal(segmentProblem(name, 'darwin'), undefined, name);
    }
  });

  test('keys are refused whole, naming the segment and why', () => {
    assert.throws(
      () => keySegments('photos/con.jpg', 'win32'),
      /cannot be stored in a Local bucket: "con.jpg" is a device name/,
    );
    assert.throws(() => keySegments('a:b/c.txt', 'win32'), /Windows does not allow ":"/);
    assert.throws(() => keySegments('dir./c.txt', 'win32'), /trailing dot or space/);
    assert.deepEqual(keySegments('dir./c.txt', 'linux'), ['dir.', 'c.txt']);
    assert.deepEqual(keySegments('folder/', 'win32'), ['folder', '']);
  });
});

describe('names a file system folds onto one file', () => {
  test('Windows ignores case, not normalisation; macOS ignores both; Linux neither', () => {
    const composed = 'caf\u00e9.txt';
    const decomposed = 'cafe\u0301.txt';
    assert.equal(nameIdentity('Photo.JPG', 'win32'), nameIdentity('photo.jpg', 'win32'));
    assert.notEqual(nameIdentity(composed, 'win32'), nameIdentity(decomposed, 'win32'));
    assert.equal(nameIdentity('Photo.JPG', 'darwin'), nameIdentity('photo.jpg', 'darwin'));
    assert.equal(nameIdentity(composed, 'darwin'), nameIdentity(decomposed, 'darwin'));
    assert.equal(nameIdentity(composed.toUpperCase(), 'darwin'), nameIdentity(decomposed, 'darwin'));
    assert.notEqual(nameIdentity('Photo.JPG', 'linux'), nameIdentity('photo.jpg', 'linux'));
  });

  test('collidingName finds the other name, never the same one', () => {
    assert.equal(collidingName(['a.txt', 'Photo.jpg'], 'photo.JPG', 'win32'), 'Photo.jpg');
    assert.equal(collidingName(['photo.jpg'], 'photo.jpg', 'win32'), undefined);
    assert.equal(collidingName(['Photo.jpg'], 'photo.jpg', 'linux'), undefined);
    assert.equal(collidingName(['cafe\u0301'], 'caf\u00e9', 'darwin'), 'cafe\u0301');
    assert.equal(collidingName(['cafe\u0301'], 'caf\u00e9', 'win32'), undefined);
  });
});

describe('the Local store with Windows and macOS rules', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'ferry-names-'));
  const win = new LocalStore(root, { platform: 'win32' });
  const mac = new LocalStore(root, { platform: 'darwin' });
  const bucketFiles = () => readdirSync(path.join(root, 'names'), { recursive: true }).map(String).sort();
  const code = (c: string) => (err: unknown) => err instanceof StorageError && err.code === c;

  before(() => mkdirSync(path.join(root, 'names')));
  after(() => rmSync(root, { recursive: true, force: true }));

  test('a second key differing only in case is a KeyCollision on Windows, not an overwrite', async () => {
    await win.putObject('names', 'Docs/Report.txt', Buffer.from('first'), 5);
    await assert.rejects(win.putObject('names', 'docs/report.txt', Buffer.from('second'), 6), (err) => {
      assert.ok(code('KeyCollision')(err));
      assert.match((err as Error).message, /Windows would store it as the same file as "Docs"/);
      return true;
    });
    await assert.rejects(
      win.putObject('names', 'Docs/REPORT.TXT', Buffer.from('second'), 6),
      code('KeyCollision'),
    );
    await assert.rejects(win.createMultipartUpload('names', 'DOCS/x.bin', {}), code('KeyCollision'));
    assert.equal(readFileSync(path.join(root, 'names', 'Docs', 'Report.txt'), 'utf8'), 'first');
    // Same name again is an overwrite of the same key, as on any store.
    await win.putObject('names', 'Docs/Report.txt', Buffer.from('again'), 5);
    assert.equal(readFileSync(path.join(root, 'names', 'Docs', 'Report.txt'), 'utf8'), 'again');
  });

  test('reading or deleting the case variant finds nothing and deletes nothing', async () => {
    await assert.rejects(win.headObject({ bucket: 'names', key: 'docs/report.txt' }), code('NoSuchKey'));
    await win.deleteObject('names', 'Docs/REPORT.txt');
    assert.equal(readFileSync(path.join(root, 'names', 'Docs', 'Report.txt'), 'utf8'), 'again');
  });

  test('composed and decomposed é are one file on macOS: the second is refused', async () => {
    await mac.putObject('names', 'caf\u00e9.txt', Buffer.from('nfc'), 3);
    await assert.rejects(
      mac.putObject('names', 'cafe\u0301.txt', Buffer.from('nfd'), 3),
      code('KeyCollision'),
    );
    assert.ok(bucketFiles().includes('caf\u00e9.txt'));
    assert.ok(!bucketFiles().includes('cafe\u0301.txt'));
  });

  test('Windows-forbidden keys are refused before a byte is written, multipart included', async () => {
    const before = bucketFiles();
    for (const key of ['con.txt', 'a/NUL', 'what?.txt', 'trailing.', 'x/y /z', 'a:b'])
      await assert.rejects(
        win.putObject('names', key, Readable.from([Buffer.from('x')]), 1),
        code('InvalidObjectName'),
        key,
      );
    await assert.rejects(win.createMultipartUpload('names', 'LPT1.log', {}), code('InvalidObjectName'));
    assert.deepEqual(bucketFiles(), before);
    assert.deepEqual(readdirSync(path.join(root, '.ferry', 'tmp')), []);
  });

  test('a bucket named like a Windows device is refused there, and accepted on Linux', async () => {
    await assert.rejects(win.createBucket('con'), (err) => {
      assert.ok(code('InvalidBucketName')(err));
      assert.match((err as Error).message, /device name on Windows \(CON\)/);
      return true;
    });
    await assert.rejects(win.putObject('nul.bkt', 'a.txt', Buffer.from('x'), 1), code('InvalidBucketName'));
    await new LocalStore(root, { platform: 'linux' }).createBucket('con');
    assert.ok(!(await win.listBuckets()).some((b) => b.name === 'con'));
  });

  test('on Linux rules the same keys are two objects', async () => {
    const linux = new LocalStore(root, { platform: 'linux' });
    await linux.putObject('names', 'docs/report.txt', Buffer.from('lower'), 5);
    assert.equal(readFileSync(path.join(root, 'names', 'docs', 'report.txt'), 'utf8'), 'lower');
    assert.equal(readFileSync(path.join(root, 'names', 'Docs', 'Report.txt'), 'utf8'), 'again');
  });
});
