/**
 * Deleting a big folder: the confirmation counts, in the background and live, how many objects and
 * bytes will go before the person decides.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, openPath, pane, row, test } from './fixtures';

const COUNT = 2_500;

test.use({
  prepareDataDir: {
    run(dataDir: string) {
      const dir = path.join(dataDir, 'local', 'to-clean', 'old', 'deep');
      mkdirSync(dir, { recursive: true });
      for (let i = 0; i < COUNT; i++) writeFileSync(path.join(dir, `f${i}.bin`), Buffer.alloc(1024));
      writeFileSync(path.join(dataDir, 'local', 'to-clean', 'keep.txt'), 'four');
    },
  },
});

test('the delete confirmation states how many objects and bytes a folder holds, counted in the background', async ({
  app: page,
}) => {
  const left = pane(page, 'left');
  await openPath(page, 'left', ['to-clean']);
  await row(left, 'old/').click();
  await row(left, 'keep.txt').click({ modifiers: ['Control'] });
  await left.getByRole('button', { name: 'Delete', exact: true }).click();
  const dialog = page.getByRole('dialog');
  const status = dialog.getByRole('status');
  // 2,500 objects of 1 KiB under old/, and keep.txt (4 B): the count arrives page by page.
  await expect(status).toHaveText('2,501 objects, 2.4 MiB will be deleted.', { timeout: 30_000 });
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(row(left, 'old/')).toBeVisible();
});
