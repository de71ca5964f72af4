import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseAddress } from '../../main/cli/address';
import { planDestination, planOptions, planSource } from '../../main/cli/copy-request';
import { UsageError } from '../../main/cli/errors';
import { DEFAULT_SETTINGS } from '../../main/core/settings';

test('a single object source must name an object, not a folder or a bucket', () => {
  assert.deepEqual(planSource(parseAddress('local:b-1/a b/x.txt'), false), {
    bucket: 'b-1',
    key: 'a b/x.txt',
    isFolder: false,
  });
  assert.throws(() => planSource(parseAddress('local:b-1/dir/'), false), /--recursive/);
  assert.throws(() => planSource(parseAddress('local:b-1'), false), UsageError);
});

test('--recursive turns the source into a folder prefix ending in /', () => {
  assert.deepEqual(planSource(parseAddress('local:b-1/photos'), true), {
    bucket: 'b-1',
    key: 'photos/',
    isFolder: true,
  });
  assert.deepEqual(planSource(parseAddress('local:b-1/photos/'), true), {
    bucket: 'b-1',
    key: 'photos/',
    isFolder: true,
  });
  assert.throws(() => planSource(parseAddress('local:b-1'), true), UsageError);
});

test('a destination ending in / or a bucket alone is a folder the source is copied into', () => {
  const src = planSource(parseAddress('local:b-1/a/x.txt'), false);
  assert.deepEqual(planDestination(parseAddress('s3:dst/backup/'), src), {
    bucket: 'dst',
    prefix: 'backup/',
  });
  assert.deepEqual(planDestination(parseAddress('s3:dst'), src), { bucket: 'dst', prefix: '' });
});

test('a destination naming the object itself keeps its folder when the name is the same', () => {
  const src = planSource(parseAddress('local:b-1/a/x:1.txt'), false);
  assert.deepEqual(planDestination(parseAddress('s3:dst/backup/x:1.txt'), src), {
    bucket: 'dst',
    prefix: 'backup/',
  });
  assert.throws(() => planDestination(parseAddress('s3:dst/backup/y.txt'), src), /another name/);
  const folder = planSource(parseAddress('local:b-1/photos'), true);
  assert.deepEqual(planDestination(parseAddress('s3:dst/photos'), folder), { bucket: 'dst', prefix: '' });
});

test('options default to the app settings and keep the metadata', () => {
  const settings = { ...DEFAULT_SETTINGS, multipartThreshold: 3 * 1024 * 1024, partSize: 2 * 1024 * 1024 };
  assert.deepEqual(planOptions({}, settings), {
    metadataDirective: 'COPY',
    conflict: 'overwrite',
    multipartThreshold: 3 * 1024 * 1024,
    partSize: 2 * 1024 * 1024,
  });
});

test('sizes, conflict and storage class come from the flags', () => {
  const o = planOptions(
    { multipartThreshold: '8MiB', partSize: '5MiB', conflict: 'keep-both', storageClass: 'IA' },
    DEFAULT_SETTINGS,
  );
  assert.equal(o.multipartThreshold, 8 * 1024 * 1024);
  assert.equal(o.partSize, 5 * 1024 * 1024);
  assert.equal(o.conflict, 'keep-both');
  assert.equal(o.storageClass, 'IA');
  assert.throws(() => planOptions({ partSize: 'huge' }, DEFAULT_SETTINGS), UsageError);
});

test('new metadata implies REPLACE and is refused with COPY', () => {
  const o = planOptions({ meta: ['Owner=ann', 'k=a=b'], contentType: 'text/plain' }, DEFAULT_SETTINGS);
  assert.equal(o.metadataDirective, 'REPLACE');
  assert.deepEqual(o.metadata, { contentType: 'text/plain', userMeta: { owner: 'ann', k: 'a=b' } });
  assert.throws(() => planOptions({ metadataDirective: 'COPY', meta: ['a=b'] }, DEFAULT_SETTINGS), /REPLACE/);
  assert.throws(() => planOptions({ meta: ['novalue'] }, DEFAULT_SETTINGS), UsageError);
  assert.throws(() => planOptions({ meta: ['bad name=x'] }, DEFAULT_SETTINGS), UsageError);
});
