import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UsageError } from '../../main/cli/errors';
import { formatSize, parseSize } from '../../main/cli/sizes';

test('binary units are powers of 1024 and decimal units powers of 1000', () => {
  assert.equal(parseSize('8MiB'), 8 * 1024 * 1024);
  assert.equal(parseSize('1GiB'), 1024 ** 3);
  assert.equal(parseSize('1GB'), 1e9);
  assert.equal(parseSize('500KB'), 500_000);
  assert.equal(parseSize('500kib'), 500 * 1024);
  assert.equal(parseSize('1.5MiB'), 1.5 * 1024 * 1024);
});

test('bare numbers are bytes and bare K/M/G are binary', () => {
  assert.equal(parseSize('1048576'), 1048576);
  assert.equal(parseSize('100k'), 102400);
  assert.equal(parseSize('64M'), 64 * 1024 * 1024);
  assert.equal(parseSize(' 5 MiB '), 5 * 1024 * 1024);
});

test('refuses sizes that are not whole positive byte counts', () => {
  for (const bad of ['', 'MiB', '8XB', '-1MiB', '0', '1.5', '0.1KB1', '8 MiB MiB']) {
    assert.throws(() => parseSize(bad), UsageError, bad);
  }
});

test('formats sizes in binary units', () => {
  assert.equal(formatSize(512), '512 B');
  assert.equal(formatSize(1536), '1.5 KiB');
  assert.equal(formatSize(8 * 1024 * 1024), '8.0 MiB');
  assert.equal(formatSize(300 * 1024 ** 3), '300 GiB');
});
