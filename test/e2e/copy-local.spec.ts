/**
 * Drag to copy on the Local provider: a folder and a large object dragged onto the other pane, the
 * copy dialog's metadata editor and its remembered choice, the progress bar moving, the copies in the
 * destination with their metadata, and the other drop targets (a folder row, a sidebar bucket, a
 * breadcrumb segment).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import {
  expect,
  listing,
  openPath,
  pane,
  progressSeen,
  recordProgress,
  row,
  test,
  transfer,
} from './fixtures';

/** Small parts, one at a time: the 48 MiB sample takes long enough for the bar to move visibly. */
async function useSmallParts(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Settings' }).click();
  await page.getByRole('spinbutton', { name: 'Parts in flight per object' }).fill('1');
  await page.getByRole('spinbutton', { name: 'Multipart threshold (MiB)' }).fill('1');
  await page.getByRole('spinbutton', { name: 'Part size (MiB)' }).fill('1');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('Settings saved.')).toBeVisible();
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Browser' }).click();
}

test('drags a folder and a large object onto the other pane; metadata, progress and the copies', async ({
  app: page,
  ferry,
}) => {
  await useSmallParts(page);
  const left = pane(page, 'left');
  const right = pane(page, 'right');
  await openPath(page, 'left', ['sample-photos']);
  await openPath(page, 'right', ['sample-backup']);

  // A folder, with its metadata replaced.
  await row(left, '2024/').dragTo(listing(right));
  const dialog = page.getByRole('dialog', { name: 'Copy 1 item' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByText('Local: sample-backup/')).toBeVisible();
  await dialog.getByRole('radio', { name: 'Replace metadata (REPLACE)' }).check();
  await dialog.getByRole('textbox', { name: 'Content-Type' }).fill('text/x-harbour');
  await dialog.getByRole('button', { name: 'Add metadata' }).click();
  await dialog.getByRole('textbox', { name: 'Metadata name 1' }).fill('origin');
  await dialog.getByRole('textbox', { name: 'Metadata value 1' }).fill('ferry e2e');
  await dialog.getByRole('button', { name: 'Copy', exact: true }).click();
  await expect(dialog).toBeHidden();

  const folderTask = transfer(page, '2024/');
  await expect(folderTask.getByText('Done')).toBeVisible();
  await expect(folderTask.locator('.transfer-stats')).toContainText('2 / 2 objects');
  await expect(row(right, '2024/')).toBeVisible();
  await openPath(page, 'right', ['2024/']);
  await row(right, 'harbour.txt').click();
  const details = page.getByRole('complementary', { name: 'Details' });
  await expect(details.getByText('2024/harbour.txt')).toBeVisible();
  await expect(details.getByRole('definition').filter({ hasText: 'text/x-harbour' })).toBeVisible();
  const meta = details.locator('.field').filter({ hasText: 'x-amz-meta-origin' });
  await expect(meta.getByRole('definition')).toHaveText('ferry e2e');

  // A large object: the next dialog opens on the safe choice again, never on the last REPLACE.
  await right.getByRole('button', { name: 'Up one level' }).click();
  await openPath(page, 'left', ['videos/']);
  await recordProgress(page);
  await row(left, 'crossing.bin').dragTo(listing(right));
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('radio', { name: 'Keep the source metadata (COPY)' })).toBeChecked();
  await expect(dialog.getByRole('textbox', { name: 'Metadata value 1' })).toBeHidden();
  await dialog.getByRole('button', { name: 'Copy', exact: true }).click();

  const task = transfer(page, 'crossing.bin');
  await expect(task.getByText('Done')).toBeVisible({ timeout: 60_000 });
  // The finished line: size, duration, average speed and finish time (parts are for while it runs).
  await expect(task.locator('.transfer-stats')).toContainText(/^48 MiB in \d.* · finished \d/);
  await expect(task.getByRole('progressbar', { name: 'Progress of crossing.bin' })).toHaveAttribute(
    'aria-valuenow',
    '100',
  );
  const seen = await progressSeen(page, 'Progress of crossing.bin');
  expect(
    seen.some((v) => v > 0 && v < 100),
    `progress values seen: ${seen.join(', ')}`,
  ).toBe(true);
  await expect(row(right, 'crossing.bin')).toBeVisible();
  const local = path.join(ferry.dataDir, 'local');
  expect(
    readFileSync(path.join(local, 'sample-backup', 'crossing.bin')).equals(
      readFileSync(path.join(local, 'sample-photos', 'videos', 'crossing.bin')),
    ),
  ).toBe(true);

  // "Show in browser" opens the destination with the copy selected.
  await task.getByRole('button', { name: 'Reveal crossing.bin' }).click();
  await expect(row(left, 'crossing.bin')).toHaveAttribute('aria-selected', 'true');
  await expect(left.getByRole('navigation', { name: 'Path' }).getByRole('button')).toHaveText([
    'Accounts',
    'Local',
    'sample-backup',
  ]);
});

test('drops onto a folder row, a sidebar bucket and a breadcrumb segment', async ({ app: page, ferry }) => {
  const left = pane(page, 'left');
  const right = pane(page, 'right');
  const sidebar = page.getByRole('complementary', { name: 'Accounts' });
  const dialog = page.getByRole('dialog');
  await openPath(page, 'left', ['sample-photos', '2025/']);
  await openPath(page, 'right', ['sample-backup']);

  // Two objects (ctrl-click) onto the sidebar's bucket.
  await row(left, 'ferry at dawn.txt').click();
  await row(left, '渡船.txt').click({ modifiers: ['Control'] });
  await row(left, '渡船.txt').dragTo(sidebar.getByRole('button', { name: 'sample-backup' }));
  await expect(dialog).toHaveAccessibleName('Copy 2 items');
  await expect(dialog.getByText('Local: sample-backup/')).toBeVisible();
  await dialog.getByRole('button', { name: 'Copy', exact: true }).click();
  await expect(transfer(page, '渡船.txt').getByText('Done')).toBeVisible();
  await expect(transfer(page, 'ferry at dawn.txt').getByText('Done')).toBeVisible();
  await expect(row(right, '渡船.txt')).toBeVisible();

  // An object onto a folder row of the other pane: first make a folder there.
  await row(left, 'ferry at dawn.txt').click();
  await left.getByRole('button', { name: 'Up one level' }).click();
  await row(left, '2024/').dragTo(listing(right));
  await dialog.getByRole('button', { name: 'Copy', exact: true }).click();
  await expect(transfer(page, '2024/').getByText('Done')).toBeVisible();
  await openPath(page, 'left', ['2025/']);
  await row(left, 'ferry at dawn.txt').dragTo(row(right, '2024/'));
  await expect(dialog.getByText('Local: sample-backup/2024/')).toBeVisible();
  await dialog.getByRole('button', { name: 'Copy', exact: true }).click();
  await expect(transfer(page, 'ferry at dawn.txt').first().getByText('Done')).toBeVisible();
  await expect
    .poll(() =>
      readFileSync(path.join(ferry.dataDir, 'local', 'sample-backup', '2024', 'ferry at dawn.txt'), 'utf8'),
    )
    .toBe('Keys with spaces work too.\n');

  // Onto a breadcrumb segment: the right pane is in 2024/, drop on its bucket segment.
  await openPath(page, 'right', ['2024/']);
  await row(left, '渡船.txt').click();
  // Step by step with the mouse, to see the target light up while the drag is over it.
  const crumb = right
    .getByRole('navigation', { name: 'Path' })
    .getByRole('button', { name: 'sample-backup' });
  await row(left, '渡船.txt').hover();
  await page.mouse.down();
  await crumb.hover();
  await crumb.hover({ position: { x: 5, y: 5 } });
  await expect(crumb).toHaveClass(/drop-over/);
  await page.mouse.up();
  await expect(crumb).not.toHaveClass(/drop-over/);
  await expect(dialog.getByText('Local: sample-backup/')).toBeVisible();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();

  // Not a drop target: the folder the objects are already in shows no dialog.
  await row(left, '渡船.txt').dragTo(row(left, 'ferry at dawn.txt'));
  await expect(dialog).toBeHidden();
});

test('files dropped from the desktop upload into the folder they are dropped on', async ({
  app: page,
  ferry,
}) => {
  const right = pane(page, 'right');
  await openPath(page, 'right', ['sample-backup']);
  // What the browser hands a page for files dragged from the file manager: a DataTransfer of Files.
  // 1.5 MiB of patterned bytes, so the upload takes several chunks, and a small text file.
  const dataTransfer = await page.evaluateHandle(() => {
    const big = new Uint8Array(1.5 * 1024 * 1024);
    for (let i = 0; i < big.length; i++) big[i] = (i * 31 + (i >> 10)) & 0xff;
    const dt = new DataTransfer();
    dt.items.add(new File([big], 'from desktop.bin', { type: 'application/octet-stream' }));
    dt.items.add(new File(['dropped text\n'], 'note.txt', { type: 'text/plain' }));
    return dt;
  });
  const target = listing(right);
  await target.dispatchEvent('dragenter', { dataTransfer });
  await target.dispatchEvent('dragover', { dataTransfer });
  await expect(target).toHaveClass(/drop-over/);
  await target.dispatchEvent('drop', { dataTransfer });
  const dialog = page.getByRole('dialog', { name: 'Upload 2 files' });
  await expect(dialog).toContainText('Local: sample-backup/');
  await expect(dialog.getByRole('listitem')).toHaveText(['from desktop.bin', 'note.txt']);
  await dialog.getByRole('button', { name: 'Upload' }).click();

  await expect(transfer(page, 'from desktop.bin').getByText('Done')).toBeVisible();
  await expect(transfer(page, 'note.txt').getByText('Done')).toBeVisible();
  await expect(row(right, 'from desktop.bin')).toBeVisible();
  await expect(row(right, 'note.txt')).toBeVisible();
  const expected = Buffer.alloc(1.5 * 1024 * 1024);
  for (let i = 0; i < expected.length; i++) expected[i] = (i * 31 + (i >> 10)) & 0xff;
  const local = path.join(ferry.dataDir, 'local', 'sample-backup');
  expect(readFileSync(path.join(local, 'from desktop.bin')).equals(expected)).toBe(true);
  expect(readFileSync(path.join(local, 'note.txt'), 'utf8')).toBe('dropped text\n');
  await row(right, 'note.txt').click();
  await expect(
    page
      .getByRole('complementary', { name: 'Details' })
      .getByRole('definition')
      .filter({ hasText: 'text/plain' }),
  ).toBeVisible();
});

test('a folder dropped from the desktop uploads with its layout under the drop target', async ({
  app: page,
  ferry,
}) => {
  const right = pane(page, 'right');
  await openPath(page, 'right', ['sample-backup']);
  // A folder dragged from the file manager reaches the page as an item whose entry is a directory.
  // A script cannot build such a DataTransfer, so the items' entries are stood in for here by
  // objects with the same API (a reader handing out children in batches, file() per file); the drop
  // handler, the walk, the dialog and the uploads are the app's own.
  const dataTransfer = await page.evaluateHandle(() => {
    type Node = string | { [name: string]: Node };
    const tree: Record<string, Node> = {
      'trip photos': { 'day 1': { 'a.txt': 'first\n', 'b.txt': 'second\n' }, 'readme.md': '# trip\n' },
    };
    const entryOf = (name: string, node: Node): object =>
      typeof node === 'string'
        ? {
            name,
            isFile: true,
            isDirectory: false,
            file: (ok: (f: File) => void) => ok(new File([node], name)),
          }
        : {
            name,
            isFile: false,
            isDirectory: true,
            createReader: () => {
              let given = false;
              return {
                readEntries: (ok: (entries: object[]) => void) => {
                  ok(given ? [] : Object.entries(node).map(([n, v]) => entryOf(n, v)));
                  given = true;
                },
              };
            },
          };
    const dt = new DataTransfer();
    dt.items.add(new File([''], 'trip photos'));
    const entry = entryOf('trip photos', tree['trip photos']!);
    Object.defineProperty(DataTransferItem.prototype, 'webkitGetAsEntry', {
      configurable: true,
      value: () => entry,
    });
    return dt;
  });
  const target = listing(right);
  await target.dispatchEvent('dragenter', { dataTransfer });
  await target.dispatchEvent('dragover', { dataTransfer });
  await target.dispatchEvent('drop', { dataTransfer });
  const dialog = page.getByRole('dialog', { name: 'Upload 3 files' });
  await expect(dialog.getByRole('listitem')).toHaveText([
    'trip photos/day 1/a.txt',
    'trip photos/day 1/b.txt',
    'trip photos/readme.md',
  ]);
  await dialog.getByRole('button', { name: 'Upload' }).click();
  await expect(transfer(page, 'trip photos/readme.md').getByText('Done')).toBeVisible();
  await expect(transfer(page, 'trip photos/day 1/a.txt').getByText('Done')).toBeVisible();
  await expect(transfer(page, 'trip photos/day 1/b.txt').getByText('Done')).toBeVisible();
  await expect(row(right, 'trip photos/')).toBeVisible();
  const local = path.join(ferry.dataDir, 'local', 'sample-backup', 'trip photos');
  expect(readFileSync(path.join(local, 'day 1', 'a.txt'), 'utf8')).toBe('first\n');
  expect(readFileSync(path.join(local, 'day 1', 'b.txt'), 'utf8')).toBe('second\n');
  expect(readFileSync(path.join(local, 'readme.md'), 'utf8')).toBe('# trip\n');
});

test('the conflict policy: keep both names the copy "name (1).ext"; the next dialog opens on the Settings policy again', async ({
  app: page,
  ferry,
}) => {
  const left = pane(page, 'left');
  const right = pane(page, 'right');
  const dialog = page.getByRole('dialog');
  await openPath(page, 'left', ['sample-photos']);
  await openPath(page, 'right', ['sample-backup']);

  // sample-backup has its own README.txt: keep both.
  await row(left, 'README.txt').dragTo(listing(right));
  await dialog
    .getByRole('combobox', { name: 'If the destination exists' })
    .selectOption({ label: 'Keep both' });
  await dialog.getByRole('button', { name: 'Copy', exact: true }).click();
  await expect(transfer(page, 'README.txt').getByText('Done')).toBeVisible();
  await expect(row(right, 'README (1).txt')).toBeVisible();
  const backup = path.join(ferry.dataDir, 'local', 'sample-backup');
  expect(readFileSync(path.join(backup, 'README.txt'), 'utf8')).toBe('An empty-ish bucket to copy into.\n');
  expect(readFileSync(path.join(backup, 'README (1).txt'), 'utf8')).toContain(
    'Sample bucket created by Ferry',
  );

  // The next dialog does not carry "Keep both" over: it opens on the policy from Settings (overwrite).
  await openPath(page, 'left', ['2024/']);
  await row(left, 'harbour.txt').dragTo(listing(right));
  await expect(dialog.getByRole('combobox', { name: 'If the destination exists' })).toHaveValue('overwrite');
  await dialog.getByRole('button', { name: 'Copy', exact: true }).click();
  await expect(transfer(page, 'harbour.txt').getByText('Done')).toBeVisible();
  expect(readFileSync(path.join(backup, 'harbour.txt'), 'utf8')).toBe(
    'A picture of a harbour would be here.\n',
  );
  await expect(row(right, 'harbour (1).txt')).toHaveCount(0);
});
