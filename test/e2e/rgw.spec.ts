/**
 * The same drag-to-copy flow against Ceph RGW through an S3 account added in the UI, and a copy that
 * survives SIGKILL of the host: Local → RGW streamed in small parts, the host killed mid-copy and
 * started again on the same data folder, the task resumed (and saying so) to a byte-identical object.
 *
 * Needs the RGW that `npm test` starts (FERRY_TEST_S3_ENDPOINT); without it these tests skip and say why.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { Page } from '@playwright/test';
import {
  addRgwAccount as addAccountInForm,
  openRgwBucket as openBucket,
  rgwTimeout,
  useRgwForE2e,
} from '../support/rgw-e2e';
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
  transfers,
  accountAction,
} from './fixtures';

const rgwE2e = useRgwForE2e('rgw.spec.ts');
const rgw = rgwE2e.target;
const newBucket = rgwE2e.newBucket;
const timeout = rgwTimeout;
const ACCOUNT = 'Test RGW';
const MiB = 1024 * 1024;

async function put(bucket: string, key: string, body: Buffer, userMeta: Record<string, string> = {}) {
  await rgwE2e
    .store()
    .putObject(
      bucket,
      key,
      body,
      body.length,
      { metadata: { contentType: 'text/plain', userMeta } },
      timeout(),
    );
}

async function sha256Of(stream: Readable): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of stream) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Adds the RGW account through the form, as a person would, and sees it in the sidebar. */
async function addRgwAccount(page: Page): Promise<void> {
  await addAccountInForm(page, rgw, ACCOUNT);
  const sidebar = page.getByRole('complementary', { name: 'Accounts' });
  await expect(sidebar.getByRole('button', { name: `${ACCOUNT} S3-compatible` })).toBeVisible();
}

async function openRgwBucket(page: Page, side: 'left' | 'right', bucket: string): Promise<void> {
  await openBucket(page, side, ACCOUNT, bucket);
}

test('an S3 account added in the UI: test connection, keys never shown, drag an object and a folder between RGW buckets', async ({
  app: page,
}) => {
  const src = await newBucket('e2e-src');
  const dst = await newBucket('e2e-dst');
  await put(src, 'notes.txt', Buffer.from('hello from rgw\n'), { origin: 'rgw-e2e' });
  await put(src, 'docs/a.txt', Buffer.from('a'));
  await put(src, 'docs/deep/b.txt', Buffer.from('bb'));
  await put(src, 'big.bin', Buffer.alloc(48 * MiB, 7));

  await addRgwAccount(page);
  const sidebar = page.getByRole('complementary', { name: 'Accounts' });
  await accountAction(page, `${ACCOUNT}`, `Test connection of ${ACCOUNT}`);
  await expect(sidebar.getByRole('status')).toContainText('Connection OK');

  // Editing never shows the saved secret.
  await accountAction(page, `${ACCOUNT}`, `Edit ${ACCOUNT}`);
  const edit = page.getByRole('dialog', { name: `Edit account ${ACCOUNT}` });
  // The access key ID is not secret: it is shown, so a person can tell which key this is.
  await expect(edit.getByRole('textbox', { name: 'Access key ID' })).toHaveValue(rgw.accessKeyId);
  await expect(edit.getByLabel('Secret access key')).toHaveValue('');
  expect(await page.content()).not.toContain(rgw.secretAccessKey);
  await edit.getByRole('button', { name: 'Cancel' }).click();

  // Small parts (S3 raises them to its 5 MiB minimum) so the 48 MiB object is a multipart copy.
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Settings' }).click();
  await page.getByRole('spinbutton', { name: 'Parts in flight per object' }).fill('1');
  await page.getByRole('spinbutton', { name: 'Multipart threshold (MiB)' }).fill('1');
  await page.getByRole('spinbutton', { name: 'Part size (MiB)' }).fill('1');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('Settings saved.')).toBeVisible();
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Browser' }).click();

  await openRgwBucket(page, 'left', src);
  await openRgwBucket(page, 'right', dst);
  const left = pane(page, 'left');
  const right = pane(page, 'right');
  await expect(row(left, 'docs/')).toBeVisible();
  const dialog = page.getByRole('dialog');

  // One object and one folder in one drag (ctrl-click), keeping the source metadata.
  await row(left, 'notes.txt').click();
  await row(left, 'docs/').click({ modifiers: ['Control'] });
  await row(left, 'docs/').dragTo(listing(right));
  await expect(dialog).toHaveAccessibleName('Copy 2 items');
  await expect(dialog.getByText(`${ACCOUNT}: ${dst}/`)).toBeVisible();
  await dialog.getByRole('radio', { name: 'Keep the source metadata (COPY)' }).check();
  await dialog.getByRole('button', { name: 'Copy', exact: true }).click();
  await expect(transfer(page, 'docs/').getByText('Done')).toBeVisible();
  await expect(transfer(page, 'notes.txt').getByText('Done')).toBeVisible();
  await expect(row(right, 'docs/')).toBeVisible();
  await row(right, 'notes.txt').click();
  const details = page.getByRole('complementary', { name: 'Details' });
  await expect(details.locator('.field').filter({ hasText: 'x-amz-meta-origin' })).toContainText('rgw-e2e');
  // A presigned link that works without the app: fetch it from outside.
  await details.getByRole('combobox', { name: 'Link valid for' }).selectOption({ label: '15 minutes' });
  await details.getByRole('button', { name: 'Copy link' }).click();
  const link = details.getByRole('textbox', { name: 'Presigned link' });
  await expect(link).toHaveValue(new RegExp(`^${rgw.endpoint}/${dst}/notes\\.txt\\?`));
  await expect(details.getByRole('status')).toHaveText(
    /Link copied to the clipboard\.|Copy the link from the field\./,
  );
  const fetched = await fetch(await link.inputValue());
  expect(fetched.status).toBe(200);
  expect(await fetched.text()).toBe('hello from rgw\n');
  await openPath(page, 'right', ['docs/']);
  await expect(row(right, 'a.txt')).toBeVisible();
  await expect(row(right, 'deep/')).toBeVisible();

  // A 48 MiB object as a multipart copy in 10 parts: watch the bar move.
  await recordProgress(page);
  await row(left, 'big.bin').click();
  await row(left, 'big.bin').dragTo(
    right.getByRole('navigation', { name: 'Path' }).getByRole('button', { name: dst }),
  );
  await dialog.getByRole('button', { name: 'Copy', exact: true }).click();
  const task = transfer(page, 'big.bin');
  await expect(task.getByText('Done')).toBeVisible({ timeout: 60_000 });
  // A finished line says what was moved and how fast; that it went in ten parts, the server's ETag says.
  await expect(task.getByText(/48 MiB in /)).toBeVisible();
  const seen = await progressSeen(page, 'Progress of big.bin');
  expect(
    seen.some((v) => v > 0 && v < 100),
    `progress values seen: ${seen.join(', ')}`,
  ).toBe(true);
  const head = await rgwE2e.store().headObject({ bucket: dst, key: 'big.bin' }, timeout());
  expect(head.size).toBe(48 * MiB);
  expect(head.etag).toMatch(/-10"?$/);
  expect(
    await sha256Of(await rgwE2e.store().getObject({ bucket: dst, key: 'big.bin' }, undefined, timeout())),
  ).toBe(
    createHash('sha256')
      .update(Buffer.alloc(48 * MiB, 7))
      .digest('hex'),
  );
});

test('a copy into a bucket that vanished fails with the service message and its request id', async ({
  app: page,
}) => {
  const src = await newBucket('e2e-fail-src');
  const gone = await newBucket('e2e-gone');
  await put(src, 'notes.txt', Buffer.from('hello\n'));
  await addRgwAccount(page);
  await openRgwBucket(page, 'left', src);
  await openRgwBucket(page, 'right', gone);
  await rgwE2e.deleteBucket(gone);

  const left = pane(page, 'left');
  await row(left, 'notes.txt').dragTo(listing(pane(page, 'right')));
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('button', { name: 'Copy', exact: true }).click();
  // Refused up front (in the dialog) or failed as a task: either way the code and RGW's request id.
  const failure = page.getByRole('alert').filter({ hasText: 'NoSuchBucket' });
  await expect(failure).toBeVisible({ timeout: 30_000 });
  await expect(failure).toContainText(/Request ID: \S+/);
});

test.describe('with a 96 MiB object in a Local bucket', () => {
  // Random bytes, so a part written twice or out of place would change the hash.
  test.use({
    prepareDataDir: {
      run(dataDir: string) {
        mkdirSync(path.join(dataDir, 'local', 'big-source'), { recursive: true });
        writeFileSync(path.join(dataDir, 'local', 'big-source', 'large.bin'), randomBytes(96 * MiB));
      },
    },
  });

  test('a Local → RGW copy resumes after the host is killed, says so, and ends byte-identical', async ({
    app: page,
    ferry,
  }) => {
    const dst = await newBucket('e2e-resume');
    await addRgwAccount(page);
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('spinbutton', { name: 'Parts in flight per object' }).fill('1');
    await page.getByRole('spinbutton', { name: 'Multipart threshold (MiB)' }).fill('1');
    await page.getByRole('spinbutton', { name: 'Part size (MiB)' }).fill('1');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByText('Settings saved.')).toBeVisible();
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Browser' }).click();

    const left = pane(page, 'left');
    const right = pane(page, 'right');
    await openPath(page, 'left', ['sample-photos']);
    await openRgwBucket(page, 'right', dst);
    const dialog = page.getByRole('dialog');

    // A small copy first: finished tasks must still be listed after the restart.
    await row(left, 'README.txt').dragTo(listing(right));
    await dialog.getByRole('button', { name: 'Copy', exact: true }).click();
    await expect(transfer(page, 'README.txt').getByText('Done')).toBeVisible();

    await left.getByRole('navigation', { name: 'Path' }).getByRole('button', { name: 'Local' }).click();
    await openPath(page, 'left', ['big-source']);
    await row(left, 'large.bin').dragTo(listing(right));
    await dialog.getByRole('button', { name: 'Copy', exact: true }).click();
    const task = transfer(page, 'large.bin');
    const bar = task.getByRole('progressbar', { name: 'Progress of large.bin' });
    // Kill once a few parts are in, well before the end.
    await expect
      .poll(async () => Number(await bar.getAttribute('aria-valuenow')), { timeout: 60_000 })
      .toBeGreaterThanOrEqual(5);
    const before = Number(await bar.getAttribute('aria-valuenow'));
    expect(before, 'the copy finished before the kill; it must take longer').toBeLessThan(100);
    await ferry.restart('SIGKILL');
    // The page still open on the dead host says so.
    await expect(page.getByRole('alert').filter({ hasText: 'Connection to Ferry lost' })).toBeVisible();

    await page.goto(ferry.host.url);
    await expect(transfers(page)).toBeVisible();
    await recordProgress(page);
    await expect(task.getByText('Resumed after restart')).toBeVisible();
    await expect(transfer(page, 'README.txt').getByText('Done')).toBeVisible();
    await expect(task.getByText('Done')).toBeVisible({ timeout: 90_000 });
    await expect(task.getByText('Resumed after restart')).toBeVisible();
    // The resumed task started from its checkpoint, not from zero.
    const seen = await progressSeen(page, 'Progress of large.bin');
    expect(seen[0], `progress values seen after the restart: ${seen.join(', ')}`).toBeGreaterThan(0);

    const original = readFileSync(path.join(ferry.dataDir, 'local', 'big-source', 'large.bin'));
    const head = await rgwE2e.store().headObject({ bucket: dst, key: 'large.bin' }, timeout());
    expect(head.size).toBe(original.length);
    expect(
      await sha256Of(await rgwE2e.store().getObject({ bucket: dst, key: 'large.bin' }, undefined, timeout())),
    ).toBe(createHash('sha256').update(original).digest('hex'));
    await openRgwBucket(page, 'right', dst);
    await expect(row(right, 'large.bin')).toBeVisible();
  });
});
