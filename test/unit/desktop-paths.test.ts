/**
 * What a drop from the desktop becomes (renderer/features/copy/desktop-paths.ts): in the Electron
 * app every dropped file has a path, and the drop is a copy task from This computer; the web host
 * has no paths (no `pathForFile`), and a drop with any file lacking one streams through the page.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { copyItemsFromPaths, droppedPaths } from '../../renderer/features/copy/desktop-paths';

const file = (name: string) => ({ name });
const electron = (paths: Record<string, string>) => ({
  pathForFile: (f: unknown) => paths[(f as { name: string }).name] ?? '',
});

test('Electron: every dropped file has a path, so the drop is a copy from This computer', () => {
  const api = electron({ 'a b.jpg': '/home/ana/Desktop/a b.jpg', photos: '/home/ana/photos' });
  assert.deepEqual(droppedPaths([file('a b.jpg'), file('photos')], api), [
    '/home/ana/Desktop/a b.jpg',
    '/home/ana/photos',
  ]);
});

test('the web host has no paths: the drop is streamed through the page', () => {
  assert.equal(droppedPaths([file('a.txt')], undefined), null);
  assert.equal(droppedPaths([file('a.txt')], {}), null);
  assert.equal(droppedPaths([], electron({})), null, 'nothing dropped: nothing to copy');
});

test('a file without a path (dragged from a web page) sends the whole drop through the page', () => {
  const api = electron({ 'a.txt': '/home/ana/a.txt' });
  assert.equal(droppedPaths([file('a.txt'), file('from-the-web.png')], api), null);
  const throwing = {
    pathForFile: () => {
      throw new Error('not a File');
    },
  };
  assert.equal(droppedPaths([file('x')], throwing), null);
});

test('resolved paths become computer sources named as dropped; unusable ones are reported', () => {
  const { items, failed } = copyItemsFromPaths(
    [
      { path: '/home/ana/a b.jpg', bucket: 'root', key: 'home/ana/a b.jpg', isFolder: false },
      { path: '/home/ana/photos', bucket: 'root', key: 'home/ana/photos/', isFolder: true },
      { path: '/home/ana/gone.txt', error: 'it is no longer there' },
    ],
    'left',
  );
  assert.deepEqual(items, {
    from: 'left',
    sources: [
      { profileId: 'computer', bucket: 'root', key: 'home/ana/a b.jpg', isFolder: false },
      { profileId: 'computer', bucket: 'root', key: 'home/ana/photos/', isFolder: true },
    ],
    names: ['a b.jpg', 'photos/'],
  });
  assert.deepEqual(failed, ['/home/ana/gone.txt (it is no longer there)']);
  assert.equal(copyItemsFromPaths([{ path: 'x', error: 'gone' }], 'right').items, null);
});
