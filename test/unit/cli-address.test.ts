import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseAddress, parseBucketAddress } from '../../main/cli/address';
import { UsageError } from '../../main/cli/errors';

test('splits PROFILE:bucket/key at the first colon and the first slash', () => {
  assert.deepEqual(parseAddress('my-oss:photos/2024/a.jpg'), {
    profile: 'my-oss',
    bucket: 'photos',
    key: '2024/a.jpg',
  });
});

test('keeps keys with spaces, colons and unicode verbatim', () => {
  assert.deepEqual(parseAddress('local:b-1/a b/x:y:z 名前 é.txt'), {
    profile: 'local',
    bucket: 'b-1',
    key: 'a b/x:y:z 名前 é.txt',
  });
  assert.equal(parseAddress('s3:bkt/ leading and trailing ').key, ' leading and trailing ');
});

test('PROFILE: alone names the account, with no bucket', () => {
  assert.deepEqual(parseAddress('local:'), { profile: 'local', key: '' });
});

test('a bucket alone or with a trailing slash is the bucket root', () => {
  assert.deepEqual(parseAddress('local:bucket'), { profile: 'local', bucket: 'bucket', key: '' });
  assert.deepEqual(parseAddress('local:bucket/'), { profile: 'local', bucket: 'bucket', key: '' });
  assert.equal(parseAddress('local:bucket/dir/').key, 'dir/');
});

test('refuses an address without a colon, a profile or a bucket', () => {
  assert.throws(() => parseAddress('photos/a.jpg'), UsageError);
  assert.throws(() => parseAddress(':bucket/key'), UsageError);
  assert.throws(() => parseAddress('local:/key'), /no bucket/);
  assert.throws(() => parseBucketAddress('local:'), /names no bucket/);
});

test('refuses bucket names the services do not allow', () => {
  assert.throws(() => parseAddress('local:Photos/a'), UsageError);
  assert.throws(() => parseAddress('local:ab/a'), UsageError);
});

test('refuses keys longer than 1,024 bytes of UTF-8', () => {
  assert.equal(parseAddress(`local:bkt/${'a'.repeat(1024)}`).key.length, 1024);
  assert.throws(() => parseAddress(`local:bkt/${'é'.repeat(513)}`), /1024 bytes/);
});
