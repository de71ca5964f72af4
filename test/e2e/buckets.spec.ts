/**
 * Buckets and folders on the Local account, driven as a person would: New folder by its shortcut,
 * New bucket… from the account's menu (a name the rules refuse says why and makes nothing), Delete
 * bucket… that asks for the name of a bucket that is not empty, Bucket info, and a folder delete
 * that runs as a task with progress in the transfers panel.
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { accountAction, expect, listing, openPath, pane, row, test, transfer } from './fixtures';

const FOLDER_OBJECTS = 1_500;

test.use({
  prepareDataDir: {
    run(dataDir: string) {
      const dir = path.join(dataDir, 'local', 'spring-clean', 'logs', '2024');
      mkdirSync(dir, { recursive: true });
      for (let i = 0; i < FOLDER_OBJECTS; i++) writeFileSync(path.join(dir, `l${i}.log`), 'line\n');
      writeFileSync(path.join(dataDir, 'local', 'spring-clean', 'keep.txt'), 'keep');
      mkdirSync(path.join(dataDir, 'local', 'full-bucket'), { recursive: true });
      writeFileSync(path.join(dataDir, 'local', 'full-bucket', 'a.txt'), 'a');
    },
  },
});

const shortcut = process.platform === 'darwin' ? 'Meta+Shift+N' : 'Control+Shift+N';

test('New folder (Ctrl/⌘+Shift+N) makes the folder marker; the empty folder shows and opens', async ({
  app: page,
  ferry,
}) => {
  const left = pane(page, 'left');
  await openPath(page, 'left', ['spring-clean']);
  await listing(left).focus();
  await page.keyboard.press(shortcut);
  const dialog = page.getByRole('dialog', { name: 'New folder' });
  const name = dialog.getByRole('textbox', { name: 'Folder name' });
  await expect(name).toBeFocused();
  await name.fill('..');
  await dialog.getByRole('button', { name: 'Create folder' }).click();
  await expect(dialog.getByText('"." and ".." cannot be folder names.')).toBeVisible();
  await name.fill('reports');
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
  await expect(row(left, 'reports/')).toHaveAttribute('aria-selected', 'true');
  expect(readdirSync(path.join(ferry.dataDir, 'local', 'spring-clean', 'reports'))).toEqual([]);
  await row(left, 'reports/').dblclick();
  await expect(listing(left).getByRole('status')).toHaveText('This folder is empty.');
});

test('New bucket… refuses a name its rules do not allow, then creates and opens the bucket', async ({
  app: page,
  ferry,
}) => {
  await accountAction(page, 'Local', 'New bucket in Local…');
  const dialog = page.getByRole('dialog', { name: 'New bucket in Local' });
  const name = dialog.getByRole('textbox', { name: 'Bucket name' });
  await name.fill('Holiday_Photos');
  await expect(dialog.getByText(/may not contain capital letters/)).toBeVisible();
  await dialog.getByRole('button', { name: 'Create bucket' }).click();
  await expect(dialog).toBeVisible();
  expect(existsSync(path.join(ferry.dataDir, 'local', 'Holiday_Photos'))).toBe(false);
  await name.fill('holiday-photos');
  await expect(
    dialog.getByText("The bucket is private: only this account's keys can read it."),
  ).toBeVisible();
  await dialog.getByRole('button', { name: 'Create bucket' }).click();
  await expect(dialog).toBeHidden();
  const sidebar = page.getByRole('complementary', { name: 'Accounts' });
  await expect(sidebar.getByRole('button', { name: 'holiday-photos', exact: true })).toBeVisible();
  await expect(
    pane(page, 'left')
      .getByRole('navigation', { name: 'Path' })
      .getByRole('button', { name: 'holiday-photos' }),
  ).toBeVisible();
  expect(existsSync(path.join(ferry.dataDir, 'local', 'holiday-photos'))).toBe(true);

  // A name that is taken: said plainly, nothing changes.
  await accountAction(page, 'Local', 'New bucket in Local…');
  await name.fill('holiday-photos');
  await dialog.getByRole('button', { name: 'Create bucket' }).click();
  await expect(dialog.getByRole('alert')).toContainText('you already have a bucket named "holiday-photos"');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
});

test('Bucket info and Delete bucket…: a bucket that is not empty goes only once its name is typed', async ({
  app: page,
  ferry,
}) => {
  const left = pane(page, 'left');
  await openPath(page, 'left', ['full-bucket']);
  const more = left.getByRole('button', { name: 'More actions' });
  await more.click();
  await page
    .getByRole('menu', { name: 'More actions' })
    .getByRole('menuitem', { name: 'Bucket info' })
    .click();
  const info = page.getByRole('dialog', { name: 'Bucket full-bucket' });
  await expect(info.getByText('Versioning')).toBeVisible();
  await expect(info.getByText('Off', { exact: true })).toBeVisible();
  await expect(info.getByText('local', { exact: true })).toBeVisible();
  await info.getByRole('button', { name: 'Close' }).click();

  await more.click();
  await page
    .getByRole('menu', { name: 'More actions' })
    .getByRole('menuitem', { name: 'Delete bucket…' })
    .click();
  const dialog = page.getByRole('dialog', { name: 'Delete the bucket full-bucket?' });
  await expect(dialog.getByText(/is not empty\. Everything in it/)).toBeVisible();
  const confirm = dialog.getByRole('button', { name: 'Delete bucket' });
  await expect(confirm).toBeDisabled();
  const typed = dialog.getByRole('textbox', { name: 'Type full-bucket to confirm' });
  await typed.fill('full-bucke');
  await expect(confirm).toBeDisabled();
  await typed.fill('full-bucket');
  await confirm.click();
  await expect(dialog).toBeHidden();
  await expect(transfer(page, 'full-bucket')).toContainText('Delete bucket');
  await expect
    .poll(() => existsSync(path.join(ferry.dataDir, 'local', 'full-bucket')), { timeout: 30_000 })
    .toBe(false);
});

test('deleting a folder runs as a task with progress in the transfers panel; what is outside stays', async ({
  app: page,
  ferry,
}) => {
  const left = pane(page, 'left');
  await openPath(page, 'left', ['spring-clean']);
  await row(left, 'logs/').click();
  await page.keyboard.press('Delete');
  const dialog = page.getByRole('dialog', { name: 'Delete 1 item?' });
  await expect(dialog.getByRole('status')).toHaveText('1,500 objects, 7.3 KiB will be deleted.', {
    timeout: 30_000,
  });
  await dialog.getByRole('button', { name: 'Delete 1 item' }).click();
  await expect(dialog).toBeHidden();
  const task = transfer(page, 'logs/');
  await expect(task).toContainText('Delete 1 item');
  await expect(task).toContainText('1,500', { timeout: 60_000 });
  await expect(task).toHaveClass(/state-done/, { timeout: 60_000 });
  await expect(row(left, 'logs/')).toBeHidden();
  expect(readdirSync(path.join(ferry.dataDir, 'local', 'spring-clean'))).toEqual(['keep.txt']);
});
