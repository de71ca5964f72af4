/**
 * "This computer" in Chromium, on a temporary HOME: the sidebar offers home and its Downloads; a pane
 * browses into a folder with sorting, details and a link shown as a link (and opened at its target);
 * a file dragged from it onto a bucket uploads, and an object dragged onto a folder of it downloads,
 * both byte for byte; a folder is pinned and unpinned. The web host, which cannot see the paths of
 * files dropped from the desktop, says its upload runs only while the page stays open.
 */
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, listing, openPath, pane, row, rowNames, test, transfer } from './fixtures';

const home = path.join(realpathSync(mkdtempSync(path.join(os.tmpdir(), 'ferry-e2e-home-'))), 'ana');
const photo = Buffer.alloc(300 * 1024);
for (let i = 0; i < photo.length; i++) photo[i] = (i * 7 + (i >> 9)) & 0xff;

test.beforeAll(() => {
  mkdirSync(path.join(home, 'Downloads'), { recursive: true });
  mkdirSync(path.join(home, 'photos 2024'), { recursive: true });
  writeFileSync(path.join(home, 'photos 2024', 'harbour at dawn.jpg'), photo);
  writeFileSync(path.join(home, 'photos 2024', '渡船.txt'), 'a small one');
  writeFileSync(path.join(home, 'notes.txt'), 'notes');
  symlinkSync('photos 2024', path.join(home, 'photos-link'));
});
test.afterAll(() => rmSync(path.dirname(home), { recursive: true, force: true }));

test.use({ hostEnv: { HOME: home, XDG_CONFIG_HOME: path.join(home, '.config') } });

test('browse This computer, upload a file to a bucket and download an object into a folder', async ({
  app: page,
  ferry,
}) => {
  const sidebar = page.getByRole('complementary', { name: 'Accounts' });
  const places = sidebar.getByRole('list', { name: 'Places on this computer' });
  await expect(places.getByRole('button', { name: 'Downloads' })).toBeVisible();
  await expect(places.getByRole('button', { name: '/' })).toBeVisible();
  await places.getByRole('button', { name: 'Home (ana)' }).click();

  const left = pane(page, 'left');
  await expect(row(left, 'photos 2024/')).toBeVisible();
  await expect(row(left, 'photos-link, link to photos 2024')).toBeVisible();
  await expect(row(left, 'notes.txt')).toBeVisible();
  // The link's details: its target, no HEAD of a link.
  await row(left, 'photos-link, link to photos 2024').click();
  const details = page.getByRole('complementary', { name: 'Details' });
  if (!(await details.isVisible())) await page.getByRole('button', { name: 'Details panel' }).click();
  await expect(
    details.locator('.field').filter({ hasText: 'Link target' }).getByRole('definition'),
  ).toHaveText('photos 2024');
  await expect(details.locator('.field').filter({ hasText: 'Target is' }).getByRole('definition')).toHaveText(
    'a folder',
  );
  // Opening the link goes to the folder itself.
  await row(left, 'photos-link, link to photos 2024').dblclick();
  await expect(
    left.getByRole('navigation', { name: 'Path' }).getByRole('button', { name: 'photos 2024', exact: true }),
  ).toBeVisible();
  await expect(row(left, 'harbour at dawn.jpg')).toBeVisible();

  // Sorting by size puts the small file first; details show the size and dates of a file.
  await left.getByRole('columnheader', { name: 'Size' }).getByRole('button').click();
  await expect.poll(() => rowNames(left)).toEqual(['渡船.txt', 'harbour at dawn.jpg']);
  await row(left, 'harbour at dawn.jpg').click();
  await expect(details.locator('.field').filter({ hasText: 'Size' }).getByRole('definition')).toHaveText(
    /300 KiB/,
  );
  await expect(details.locator('.field').filter({ hasText: 'Last modified' })).toBeVisible();

  // Upload: the file dragged onto a bucket in the sidebar.
  await row(left, 'harbour at dawn.jpg').dragTo(sidebar.getByRole('button', { name: 'sample-backup' }));
  const dialog = page.getByRole('dialog', { name: 'Copy 1 item' });
  await expect(dialog.getByText('Local: sample-backup/')).toBeVisible();
  await dialog.getByRole('button', { name: 'Copy', exact: true }).click();
  await expect(transfer(page, 'harbour at dawn.jpg').getByText('Done')).toBeVisible();
  expect(
    readFileSync(path.join(ferry.dataDir, 'local', 'sample-backup', 'harbour at dawn.jpg')).equals(photo),
  ).toBe(true);

  // Download: an object dragged from a bucket onto a folder of this computer.
  await places.getByRole('button', { name: 'Home (ana)' }).click();
  await expect(row(left, 'Downloads/')).toBeVisible();
  await openPath(page, 'right', ['sample-photos', 'videos/']);
  await row(pane(page, 'right'), 'crossing.bin').dragTo(row(left, 'Downloads/'));
  await expect(dialog.getByText(/Downloads\/$/)).toBeVisible();
  await dialog.getByRole('button', { name: 'Copy', exact: true }).click();
  await expect(transfer(page, 'crossing.bin').getByText('Done')).toBeVisible({ timeout: 60_000 });
  const source = readFileSync(path.join(ferry.dataDir, 'local', 'sample-photos', 'videos', 'crossing.bin'));
  expect(readFileSync(path.join(home, 'Downloads', 'crossing.bin')).equals(source)).toBe(true);
  await openPath(page, 'left', ['Downloads/']);
  await expect(row(left, 'crossing.bin')).toBeVisible();
});

test('a folder is pinned from the pane and unpinned from the sidebar', async ({ app: page }) => {
  const sidebar = page.getByRole('complementary', { name: 'Accounts' });
  const places = sidebar.getByRole('list', { name: 'Places on this computer' });
  await places.getByRole('button', { name: 'Home (ana)' }).click();
  const left = pane(page, 'left');
  await row(left, 'photos 2024/').click();
  await left.getByRole('button', { name: 'More actions' }).click();
  await page.getByRole('menuitem', { name: 'Pin photos 2024 to This computer' }).click();
  const pinned = places.getByRole('button', { name: 'photos 2024', exact: true });
  await expect(pinned).toBeVisible();
  // Settings keep it: a reload shows it again.
  await page.reload();
  await expect(pinned).toBeVisible();
  await pinned.click();
  await expect(row(left, 'harbour at dawn.jpg')).toBeVisible();
  await sidebar.getByRole('button', { name: 'Actions for photos 2024' }).click();
  await page.getByRole('menuitem', { name: 'Unpin photos 2024' }).click();
  await expect(pinned).toBeHidden();
});

test('the web host says a dropped file uploads only while the page stays open', async ({ app: page }) => {
  await openPath(page, 'right', ['sample-backup']);
  const dataTransfer = await page.evaluateHandle(() => {
    const dt = new DataTransfer();
    dt.items.add(new File(['dropped\n'], 'note.txt', { type: 'text/plain' }));
    return dt;
  });
  const target = listing(pane(page, 'right'));
  await target.dispatchEvent('dragenter', { dataTransfer });
  await target.dispatchEvent('dragover', { dataTransfer });
  await target.dispatchEvent('drop', { dataTransfer });
  const dialog = page.getByRole('dialog', { name: 'Upload 1 file' });
  await expect(dialog).toContainText('the upload runs only while the page stays open');
  await expect(dialog).toContainText('Files dragged from This computer');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
});
