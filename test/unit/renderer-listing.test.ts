/**
 * The browser pane's listing rules (renderer/stores/listing.ts): folders before objects, the filter,
 * the four sort orders both ways, and range selection over what is visible.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  folderEntry,
  lastSegment,
  mergeByName,
  objectEntry,
  rangeBetween,
  visibleOrder,
  type Entry,
} from '../../renderer/stores/listing';

const prefix = 'photos/';
const folders: Entry[] = mergeByName(
  [],
  ['photos/b-trip/', 'photos/a-home/'].map((p) => folderEntry(p, prefix)),
);
const objects: Entry[] = mergeByName(
  [],
  [
    { key: 'photos/z.jpg', size: 10, lastModified: '2024-03-01T00:00:00Z' },
    { key: 'photos/a.png', size: 300, lastModified: '2024-01-01T00:00:00Z' },
    { key: 'photos/m.jpg', size: 20, lastModified: '2025-01-01T00:00:00Z' },
    { key: 'photos/README', size: 5, lastModified: '2023-01-01T00:00:00Z' },
  ].map((o) => objectEntry({ ...o, etag: 'e' }, prefix)),
);
const names = (list: Entry[]) => list.map((e) => e.name);

test('entries show the last path segment; folders keep their full prefix as id', () => {
  assert.equal(lastSegment('photos/2024/', 'photos/'), '2024');
  assert.equal(lastSegment('photos/2024/x.jpg', 'photos/2024/'), 'x.jpg');
  assert.deepEqual(folders[1], { id: 'photos/b-trip/', kind: 'folder', name: 'b-trip' });
  assert.equal(objects[3]!.id, 'photos/z.jpg');
});

test('name order is natural and case-insensitive, folders first; descending reverses each group', () => {
  const sort = { by: 'name' as const, descending: false };
  assert.deepEqual(names(visibleOrder(folders, objects, '', sort)), [
    'a-home',
    'b-trip',
    'a.png',
    'm.jpg',
    'README',
    'z.jpg',
  ]);
  assert.deepEqual(names(visibleOrder(folders, objects, '', { ...sort, descending: true })), [
    'b-trip',
    'a-home',
    'z.jpg',
    'README',
    'm.jpg',
    'a.png',
  ]);
});

test('pages merged in key order come out in natural order: o1, o2, … o10, o11', () => {
  const entry = (n: string): Entry => ({ id: n, kind: 'object', name: n });
  // The service sends byte order: o1, o10, o11, o2 … o9; pages split anywhere in it.
  const keyOrder = ['o1', 'o10', 'o11', 'o2', 'o3', 'o4', 'o5', 'o6', 'o7', 'o8', 'o9'];
  let merged: Entry[] = [];
  for (const page of [keyOrder.slice(0, 3), keyOrder.slice(3, 7), keyOrder.slice(7)])
    merged = mergeByName(merged, page.map(entry));
  assert.deepEqual(names(merged), ['o1', 'o2', 'o3', 'o4', 'o5', 'o6', 'o7', 'o8', 'o9', 'o10', 'o11']);
  assert.deepEqual(names(mergeByName(merged, [])), names(merged));
});

test('size, date and type orders sort objects; folders stay first', () => {
  assert.deepEqual(names(visibleOrder([], objects, '', { by: 'size', descending: false })), [
    'README',
    'z.jpg',
    'm.jpg',
    'a.png',
  ]);
  assert.deepEqual(names(visibleOrder([], objects, '', { by: 'date', descending: true })), [
    'm.jpg',
    'z.jpg',
    'a.png',
    'README',
  ]);
  assert.deepEqual(names(visibleOrder(folders, objects, '', { by: 'type', descending: false })), [
    'a-home',
    'b-trip',
    'README',
    'm.jpg',
    'z.jpg',
    'a.png',
  ]);
});

test('the filter matches names case-insensitively and does not touch the inputs', () => {
  const before = names(objects);
  assert.deepEqual(names(visibleOrder(folders, objects, ' A', { by: 'size', descending: false })), [
    'a-home',
    'README',
    'a.png',
  ]);
  assert.deepEqual(names(objects), before);
});

test('range selection covers the visible rows between anchor and target, either direction', () => {
  const visible = visibleOrder(folders, objects, '', { by: 'name', descending: false });
  assert.deepEqual(rangeBetween(visible, 'photos/b-trip/', 'photos/m.jpg'), [
    'photos/b-trip/',
    'photos/a.png',
    'photos/m.jpg',
  ]);
  assert.deepEqual(rangeBetween(visible, 'photos/z.jpg', 'photos/m.jpg'), [
    'photos/m.jpg',
    'photos/README',
    'photos/z.jpg',
  ]);
  assert.deepEqual(rangeBetween(visible, undefined, 'photos/m.jpg'), ['photos/m.jpg']);
  assert.deepEqual(rangeBetween(visible, 'photos/a-home/', 'gone'), []);
});
