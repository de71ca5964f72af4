/**
 * The command line's path rule (main/cli/local-path.ts) and the computer provider's addressing
 * (main/storage/computer/addressing.ts), on POSIX and on Windows' rules (pure: the platform is a
 * parameter, and a fake file system says which paths are folders).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseAddress } from '../../main/cli/address';
import { UsageError } from '../../main/cli/errors';
import { looksLikePath, type PathContext } from '../../main/cli/local-path';
import {
  addressOfPath,
  displayPath,
  pathOfAddress,
  rootOfBucket,
} from '../../main/storage/computer/addressing';

const posix = (folders: string[] = []): PathContext => ({
  platform: 'linux',
  home: '/home/ana',
  cwd: '/home/ana/work',
  isFolder: (p) => folders.includes(p),
});
const windows = (folders: string[] = []): PathContext => ({
  platform: 'win32',
  home: 'C:\\Users\\ana',
  cwd: 'D:\\projects',
  isFolder: (p) => folders.includes(p),
});

test('arguments starting with /, ./, ../, ~ or a drive letter are paths; everything else an address', () => {
  for (const text of [
    '/',
    '/etc/hosts',
    './a',
    '../a',
    '~',
    '~/',
    '~/Downloads/',
    '.',
    '..',
    'C:\\x',
    'c:/x',
  ])
    assert.ok(looksLikePath(text, 'linux'), text);
  for (const text of ['local:b/k', 'rgw:', 'my-oss:bucket', 'a.txt', '.hidden', '~ana/x', 'C:bucket'])
    assert.ok(!looksLikePath(text, 'linux'), text);
  assert.ok(looksLikePath('.\\a', 'win32'));
  assert.ok(!looksLikePath('.\\a', 'linux'), 'a backslash is an ordinary name character on POSIX');
});

test('a POSIX path is the root bucket and the path below /, with ~ and relative paths resolved', () => {
  const ctx = posix();
  assert.deepEqual(parseAddress('~/Downloads/', ctx), {
    profile: 'computer',
    bucket: 'root',
    key: 'home/ana/Downloads/',
  });
  assert.deepEqual(parseAddress('./photos/2024/a b.jpg', ctx), {
    profile: 'computer',
    bucket: 'root',
    key: 'home/ana/work/photos/2024/a b.jpg',
  });
  assert.equal(parseAddress('../notes/渡船.txt', ctx).key, 'home/ana/notes/渡船.txt');
  assert.equal(parseAddress('/tmp/x:y', ctx).key, 'tmp/x:y', 'a colon in a path is no account');
  assert.deepEqual(parseAddress('/', ctx), { profile: 'computer', bucket: 'root', key: '' });
  assert.equal(parseAddress('~', ctx).key, 'home/ana/');
  assert.equal(parseAddress('.', ctx).key, 'home/ana/work/');
  assert.equal(parseAddress('/a/./b/../c', ctx).key, 'a/c', '. and .. are resolved before any key is made');
});

test('an existing folder is a folder with or without its trailing slash; other paths are as typed', () => {
  const ctx = posix(['/home/ana/Downloads', '/home/ana/work/photos']);
  assert.equal(parseAddress('~/Downloads', ctx).key, 'home/ana/Downloads/');
  assert.equal(parseAddress('./photos', ctx).key, 'home/ana/work/photos/');
  assert.equal(parseAddress('./new.txt', ctx).key, 'home/ana/work/new.txt');
  assert.equal(parseAddress('./new-folder/', ctx).key, 'home/ana/work/new-folder/');
});

test('Windows: a drive is a bucket, backslashes become slashes, ~ is the profile folder', () => {
  const ctx = windows();
  assert.deepEqual(parseAddress('C:\\Users\\ana\\Downloads\\', ctx), {
    profile: 'computer',
    bucket: 'drive-c',
    key: 'Users/ana/Downloads/',
  });
  assert.deepEqual(parseAddress('~\\Desktop\\a.txt', ctx), {
    profile: 'computer',
    bucket: 'drive-c',
    key: 'Users/ana/Desktop/a.txt',
  });
  assert.deepEqual(parseAddress('.\\src\\x.ts', ctx), {
    profile: 'computer',
    bucket: 'drive-d',
    key: 'projects/src/x.ts',
  });
  assert.deepEqual(parseAddress('e:/', ctx), { profile: 'computer', bucket: 'drive-e', key: '' });
});

test('bad paths are usage errors that say why', () => {
  assert.throws(
    () => parseAddress('C:\\x', posix()),
    (e) => e instanceof UsageError && /no drive letters/.test(e.message),
  );
  assert.throws(
    () => parseAddress('/a\0b', posix()),
    (e) => e instanceof UsageError && /NUL/.test(e.message),
  );
  assert.throws(
    () => parseAddress(`/${'a/'.repeat(600)}`, posix()),
    (e) => e instanceof UsageError && /longer than 1024 bytes/.test(e.message),
  );
});

test('addresses and paths convert both ways, and are shown as paths', () => {
  assert.equal(rootOfBucket('root', 'linux'), '/');
  assert.equal(rootOfBucket('drive-c', 'linux'), undefined);
  assert.equal(rootOfBucket('drive-c', 'win32'), 'C:\\');
  assert.equal(rootOfBucket('root', 'win32'), undefined);
  assert.deepEqual(addressOfPath('/home/ana/Downloads', 'linux', true), {
    bucket: 'root',
    key: 'home/ana/Downloads/',
  });
  assert.equal(addressOfPath('relative/path', 'linux'), undefined);
  assert.equal(addressOfPath('\\\\server\\share\\x', 'win32'), undefined, 'a network share has no drive');
  assert.equal(pathOfAddress({ bucket: 'root', key: 'home/ana/a.txt' }, 'linux'), '/home/ana/a.txt');
  assert.equal(pathOfAddress({ bucket: 'drive-d', key: 'data/x/' }, 'win32'), 'D:\\data\\x');
  assert.equal(displayPath({ bucket: 'drive-d', key: 'data/x/' }, 'win32'), 'D:\\data\\x\\');
  assert.equal(displayPath({ bucket: 'root', key: '' }, 'linux'), '/');
  assert.equal(displayPath({ bucket: 'root', key: 'tmp/' }, 'linux'), '/tmp/');
});
