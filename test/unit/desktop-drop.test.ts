/**
 * Desktop drops with folders (renderer/features/copy/desktop-drop.ts): a dropped folder is walked
 * through the entries API — readers that hand out entries in batches, as Chromium's do — and every
 * file keeps its path inside it; unreadable entries are named, not lost silently.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { collectDropped, type DropEntry } from '../../renderer/features/copy/desktop-drop';

type Tree = { [name: string]: string | Tree | Error };

/** A fake FileSystemEntry tree; folders hand out their children `batch` at a time, then an empty batch. */
function entry(name: string, node: string | Tree | Error, batch = 100): DropEntry {
  if (node instanceof Error)
    return {
      name,
      isFile: true,
      isDirectory: false,
      file: (_ok: (f: File) => void, fail: (e: unknown) => void) => fail(node),
    } as DropEntry;
  if (typeof node === 'string')
    return {
      name,
      isFile: true,
      isDirectory: false,
      file: (ok: (f: File) => void) => setImmediate(() => ok(new File([node], name))),
    } as DropEntry;
  const children = Object.entries(node).map(([n, v]) => entry(n, v, batch));
  return {
    name,
    isFile: false,
    isDirectory: true,
    createReader: () => {
      let at = 0;
      return {
        readEntries: (ok: (e: DropEntry[]) => void) =>
          setImmediate(() => {
            ok(children.slice(at, at + batch));
            at += batch;
          }),
      };
    },
  } as DropEntry;
}

describe('desktop drops', () => {
  it('keeps each file’s path inside the dropped folders, in name order, next to plain files', async () => {
    const { files, unreadable } = await collectDropped([
      entry('photos', { '2025': { 'b.jpg': 'bb', 'a.jpg': 'a' }, 'notes.txt': 'n', empty: {} }),
      entry('single.csv', 'x,y'),
    ]);
    assert.deepEqual(await Promise.all(files.map(async (f) => [f.path, await f.file.text()])), [
      ['photos/2025/a.jpg', 'a'],
      ['photos/2025/b.jpg', 'bb'],
      ['photos/notes.txt', 'n'],
      ['single.csv', 'x,y'],
    ]);
    assert.deepEqual(unreadable, []);
  });

  it('reads every batch of a large folder (Chromium hands out 100 entries at a time)', async () => {
    const big: Tree = {};
    for (let i = 0; i < 250; i++) big[`f${String(i).padStart(3, '0')}`] = String(i);
    const { files } = await collectDropped([entry('big', big, 100)]);
    assert.equal(files.length, 250);
    assert.equal(files[0]!.path, 'big/f000');
    assert.equal(files[249]!.path, 'big/f249');
  });

  it('names a file it cannot read and goes on with the others', async () => {
    const { files, unreadable } = await collectDropped([
      entry('dir', { 'gone.txt': new Error('NotFoundError'), 'ok.txt': 'ok' }),
    ]);
    assert.deepEqual(
      files.map((f) => f.path),
      ['dir/ok.txt'],
    );
    assert.deepEqual(unreadable, ['dir/gone.txt']);
  });
});
