/**
 * Leftover multipart uploads and read-only accounts, against Ceph RGW: uploads started straight
 * through the S3 provider (another program, as far as Ferry knows) show up in a pane's "Leftover
 * uploads…" dialog, are aborted after a confirmation that names them, and are gone on the server; a
 * read-only account's destructive controls are disabled and say why.
 *
 * Needs the RGW that `npm test` starts (FERRY_TEST_S3_ENDPOINT); without it these tests skip and say why.
 */
import type { Locator, Page } from '@playwright/test';
import { listAll } from '../../main/storage/provider';
import {
  addRgwAccount as addAccountInForm,
  openRgwBucket,
  rgwTimeout,
  useRgwForE2e,
} from '../support/rgw-e2e';
import { expect, expectEveryControlNamed, listing, openPath, pane, row, test } from './fixtures';

const rgwE2e = useRgwForE2e('orphans-rgw.spec.ts');
const rgw = rgwE2e.target;
const newBucket = rgwE2e.newBucket;
const timeout = rgwTimeout;

/** An upload started and left unfinished, with one small part stored (as a crashed program leaves it). */
async function startUpload(bucket: string, key: string): Promise<string> {
  const uploadId = await rgwE2e
    .store()
    .createMultipartUpload(bucket, key, { metadata: { userMeta: {} } }, timeout());
  const part = Buffer.from(`part of ${key}`);
  await rgwE2e.store().uploadPart(bucket, key, uploadId, 1, part, part.length, timeout());
  return uploadId;
}

async function uploadsOnServer(
  bucket: string,
): Promise<{ key: string; uploadId: string; initiated: string }[]> {
  const found = [];
  for await (const u of rgwE2e.store().listMultipartUploads(bucket, undefined, timeout())) found.push(u);
  return found.sort((a, b) => a.key.localeCompare(b.key));
}

async function addRgwAccount(page: Page, name: string, readOnly: boolean): Promise<void> {
  await addAccountInForm(page, rgw, name, { readOnly });
}

async function tabTo(page: Page, target: Locator): Promise<void> {
  for (let i = 0; i < 40; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error('Tab never reached the target');
}

test('leftover uploads: listed with key, start and origin; aborted after a confirmation naming them; gone on the server', async ({
  app: page,
}) => {
  const bucket = await newBucket('e2e-orphans');
  await startUpload(bucket, 'backups/db.dump');
  await startUpload(bucket, 'video.mov');
  await startUpload(bucket, 'keep-me.bin');
  const onServer = await uploadsOnServer(bucket);
  expect(onServer.map((u) => u.key)).toEqual(['backups/db.dump', 'keep-me.bin', 'video.mov']);

  await addRgwAccount(page, 'RGW', false);
  await openRgwBucket(page, 'left', 'RGW', bucket);
  const left = pane(page, 'left');
  await expect(listing(left).getByRole('status')).toHaveText('This folder is empty.');

  // Keyboard: Tab reaches the pane's "More actions" menu; Enter opens it, End goes to its last
  // item, "Leftover uploads…", and Enter opens the dialog.
  await listing(left).focus();
  const open = left.getByRole('button', { name: 'More actions' });
  await tabTo(page, open);
  await page.keyboard.press('Enter');
  const menu = page.getByRole('menu', { name: 'More actions' });
  await page.keyboard.press('End');
  await expect(menu.getByRole('menuitem', { name: 'Leftover uploads…' })).toBeFocused();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: `Leftover uploads in RGW: ${bucket}` });
  const table = dialog.getByRole('table', { name: 'Leftover uploads' });
  await expect(table.getByRole('columnheader')).toHaveText(['', 'Key', 'Started', 'Started by Ferry']);
  const bodyRows = table.getByRole('rowgroup').last().getByRole('row');
  await expect(bodyRows).toHaveCount(3);
  await expectEveryControlNamed(page);
  for (const u of onServer) {
    const r = bodyRows.filter({ hasText: u.key });
    await expect(r.locator('time')).toHaveAttribute('datetime', u.initiated);
    await expect(r.getByRole('cell').last()).toHaveText('No (another program)');
  }

  // Pick two; the confirmation names them and says their parts are deleted.
  const abortButton = dialog.getByRole('button', { name: /^Abort \d+ uploads?…$/ });
  await expect(abortButton).toBeDisabled();
  await dialog.getByRole('checkbox', { name: 'Select the upload of backups/db.dump' }).check();
  await dialog.getByRole('checkbox', { name: 'Select the upload of video.mov' }).check();
  await expect(abortButton).toHaveAccessibleName('Abort 2 uploads…');
  await abortButton.click();
  const confirm = page.getByRole('dialog', { name: 'Abort 2 uploads?' });
  await expect(confirm).toContainText(`These 2 unfinished uploads in RGW: ${bucket} will be aborted:`);
  await expect(confirm.getByRole('listitem')).toHaveText(['backups/db.dump', 'video.mov']);
  await expect(confirm).toContainText('Every part already uploaded for them is deleted.');
  // Cancel goes back to the list with the choice kept.
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog.getByRole('checkbox', { name: 'Select the upload of video.mov' })).toBeChecked();
  await abortButton.click();
  await confirm.getByRole('button', { name: 'Abort 2 uploads and delete their parts' }).click();
  await expect(dialog.getByText('Aborted 2 uploads.')).toBeVisible();
  await expect(bodyRows).toHaveCount(1);
  await expect(bodyRows).toContainText('keep-me.bin');
  expect((await uploadsOnServer(bucket)).map((u) => u.key)).toEqual(['keep-me.bin']);

  // Select all, abort: nothing left, here or on the server.
  await dialog.getByRole('checkbox', { name: 'Select all leftover uploads' }).check();
  await dialog.getByRole('button', { name: 'Abort 1 upload…' }).click();
  await page
    .getByRole('dialog', { name: 'Abort 1 upload?' })
    .getByRole('button', { name: 'Abort 1 upload and delete their parts' })
    .click();
  await expect(dialog.getByText('No leftover uploads in this bucket.')).toBeVisible();
  expect(await uploadsOnServer(bucket)).toEqual([]);
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(open).toBeFocused();
});

test('a read-only account: delete, copy, paste and drops into it, move from it and abort uploads are disabled or refused, saying why', async ({
  app: page,
}) => {
  const bucket = await newBucket('e2e-readonly');
  await rgwE2e
    .store()
    .putObject(bucket, 'archive.txt', Buffer.from('keep\n'), 5, { metadata: { userMeta: {} } }, timeout());
  const uploadId = await startUpload(bucket, 'half.bin');

  const ACCOUNT = 'RGW archive';
  await addRgwAccount(page, ACCOUNT, true);
  const sidebar = page.getByRole('complementary', { name: 'Accounts' });
  await expect(sidebar.getByText('Read-only')).toBeVisible();
  await openPath(page, 'left', ['sample-photos']);
  await openRgwBucket(page, 'right', ACCOUNT, bucket);
  const left = pane(page, 'left');
  const right = pane(page, 'right');
  const notice = page.locator('.notice[role="status"]');
  const dialog = page.getByRole('dialog');

  // Delete, by button (disabled, with the reason) and by key (refused, with the reason).
  await row(right, 'archive.txt').click();
  const del = right.getByRole('button', { name: 'Delete' });
  await expect(del).toBeDisabled();
  await expect(del).toHaveAccessibleDescription(
    `The account ${ACCOUNT} is read-only: deleting is not allowed.`,
  );
  await listing(right).press('Delete');
  await expect(notice).toContainText(`The account ${ACCOUNT} is read-only: deleting is not allowed.`);
  await expect(dialog).toHaveCount(0);
  await notice.getByRole('button', { name: 'Dismiss' }).click();

  // Copy into it: the button, F5 and a drop all refuse.
  const intoReason = `The account ${ACCOUNT} is read-only: nothing can be copied, moved or uploaded into it.`;
  await row(left, 'README.txt').click();
  const copyButton = left.getByRole('button', { name: 'Copy to other pane' });
  await expect(copyButton).toBeDisabled();
  await expect(copyButton).toHaveAccessibleDescription(intoReason);
  // A drop is refused without a dialog; F5 then says why. The notice showing up also means any
  // dialog the drop had opened would be on screen by now.
  await row(left, 'README.txt').dragTo(listing(right));
  await listing(left).press('F5');
  await expect(notice).toContainText(intoReason);
  await expect(dialog).toHaveCount(0);
  await notice.getByRole('button', { name: 'Dismiss' }).click();

  // Ctrl+C, Ctrl+V into it: refused, with the reason.
  await listing(left).press('Control+c');
  await listing(right).press('Control+v');
  await expect(notice).toContainText(intoReason);
  await expect(dialog).toHaveCount(0);
  await notice.getByRole('button', { name: 'Dismiss' }).click();

  // A file dropped from the desktop: not highlighted as a target, not uploaded, and why.
  const desktopFile = await page.evaluateHandle(() => {
    const dt = new DataTransfer();
    dt.items.add(new File(['from the desktop\n'], 'desktop.txt', { type: 'text/plain' }));
    return dt;
  });
  await listing(right).dispatchEvent('dragenter', { dataTransfer: desktopFile });
  await listing(right).dispatchEvent('dragover', { dataTransfer: desktopFile });
  await expect(listing(right)).not.toHaveClass(/drop-over/);
  await listing(right).dispatchEvent('drop', { dataTransfer: desktopFile });
  await expect(notice).toContainText(intoReason);
  await expect(dialog).toHaveCount(0);
  await notice.getByRole('button', { name: 'Dismiss' }).click();

  // Copying out of it is fine; moving out (which deletes the originals) is not.
  await row(right, 'archive.txt').click();
  await right.getByRole('button', { name: 'Copy to other pane' }).click();
  await expect(dialog).toHaveAccessibleName('Copy 1 item');
  const moveRadio = dialog.getByRole('radio', { name: 'Move (copy, then delete the originals)' });
  await expect(moveRadio).toBeDisabled();
  await expect(moveRadio).toHaveAccessibleDescription(
    `The account ${ACCOUNT} is read-only: moving deletes the originals, which is not allowed. Copy instead.`,
  );
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  // Leftover uploads are listed, but cannot be aborted.
  await right.getByRole('button', { name: 'More actions' }).click();
  await page
    .getByRole('menu', { name: 'More actions' })
    .getByRole('menuitem', { name: 'Leftover uploads…' })
    .click();
  const orphans = page.getByRole('dialog', { name: `Leftover uploads in ${ACCOUNT}: ${bucket}` });
  await orphans.getByRole('checkbox', { name: 'Select the upload of half.bin' }).check();
  const abort = orphans.getByRole('button', { name: 'Abort 1 upload…' });
  await expect(abort).toBeDisabled();
  await expect(abort).toHaveAccessibleDescription(
    `The account ${ACCOUNT} is read-only: aborting uploads is not allowed.`,
  );
  await orphans.getByRole('button', { name: 'Close' }).click();

  // Nothing changed on the server.
  expect((await uploadsOnServer(bucket)).map((u) => u.uploadId)).toEqual([uploadId]);
  const head = await rgwE2e.store().headObject({ bucket, key: 'archive.txt' }, timeout());
  expect(head.size).toBe(5);
  const keys: string[] = [];
  for await (const { page: listed } of listAll(rgwE2e.store(), bucket, {}, timeout()))
    keys.push(...listed.objects.map((o) => o.key));
  expect(keys).toEqual(['archive.txt']);
});

test("the log view shows a failed task's request id in its own column, and searching the id finds it", async ({
  app: page,
}) => {
  const bucket = await newBucket('e2e-log-reqid');
  await addRgwAccount(page, 'RGW', false);
  await openPath(page, 'left', ['sample-photos']);
  await openRgwBucket(page, 'right', 'RGW', bucket);
  // The bucket goes away under the pane: a copy into it fails with RGW's code and request id.
  await rgwE2e.deleteBucket(bucket);
  await row(pane(page, 'left'), 'README.txt').dragTo(listing(pane(page, 'right')));
  await page.getByRole('dialog').getByRole('button', { name: 'Copy', exact: true }).click();
  const failure = page
    .getByRole('alert')
    .filter({ hasText: 'NoSuchBucket' })
    .filter({ hasText: 'Request ID' });
  await expect(failure).toBeVisible({ timeout: 30_000 });
  const requestId = /Request ID: (\S+)/.exec((await failure.textContent()) ?? '')?.[1];
  expect(requestId, 'RGW answered with a request id').toBeTruthy();

  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Logs' }).click();
  const view = page.getByRole('region', { name: 'Log' });
  await view.getByRole('searchbox', { name: 'Search the log' }).fill(requestId!);
  const rows = view.getByRole('table', { name: 'Log lines' }).getByRole('rowgroup').last().getByRole('row');
  await expect(rows.first()).toBeVisible();
  await expect(rows.first().getByRole('cell').nth(4)).toHaveText(requestId!);
  await expect(rows.first().getByRole('cell').nth(2)).toContainText('NoSuchBucket');
  await view.getByRole('combobox', { name: 'Level' }).selectOption({ label: 'Errors only' });
  await expect(rows.first().getByRole('cell').nth(4)).toHaveText(requestId!);
});
