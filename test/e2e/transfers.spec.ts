/**
 * The transfers panel's controls on a copy that takes a while (96 MiB in 1 MiB parts, one at a time):
 * pause all / resume all, cancel, retry, clear finished (failed tasks stay), remove, and the failure of a copy whose source
 * vanished while it was paused.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { expect, listing, openPath, pane, row, test, transfer, transfers } from './fixtures';

const MiB = 1024 * 1024;
test.use({
  prepareDataDir: {
    run(dataDir: string) {
      mkdirSync(path.join(dataDir, 'local', 'big-source'), { recursive: true });
      writeFileSync(path.join(dataDir, 'local', 'big-source', 'large.bin'), randomBytes(96 * MiB));
      writeFileSync(path.join(dataDir, 'local', 'big-source', 'doomed.bin'), randomBytes(96 * MiB));
    },
  },
});

async function smallParts(page: Page): Promise<void> {
  const views = page.getByRole('navigation', { name: 'Views' });
  await views.getByRole('button', { name: 'Settings' }).click();
  await page.getByRole('spinbutton', { name: 'Parts in flight per object' }).fill('1');
  await page.getByRole('spinbutton', { name: 'Multipart threshold (MiB)' }).fill('1');
  await page.getByRole('spinbutton', { name: 'Part size (MiB)' }).fill('0.25');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('Settings saved.')).toBeVisible();
  await views.getByRole('button', { name: 'Browser' }).click();
}

const percent = async (bar: Locator) => Number(await bar.getAttribute('aria-valuenow'));
/**
 * Polled often: the pause must land while the 96 MiB copy still runs (384 parts of 256 KiB, one at
 * a time: a few seconds), so it is sent at the first sign of progress.
 */
const MOVING = { timeout: 60_000, intervals: [25] };

test('pause all, resume all, cancel, retry, clear finished; a vanished source fails with its error', async ({
  app: page,
  ferry,
}) => {
  await smallParts(page);
  const left = pane(page, 'left');
  const right = pane(page, 'right');
  const panel = transfers(page);
  const dialog = page.getByRole('dialog');
  await openPath(page, 'left', ['big-source']);
  await openPath(page, 'right', ['sample-backup']);

  await row(left, 'large.bin').dragTo(listing(right));
  await dialog.getByRole('button', { name: 'Copy', exact: true }).click();
  const task = transfer(page, 'large.bin');
  const bar = task.getByRole('progressbar', { name: 'Progress of large.bin' });
  await expect.poll(() => percent(bar), MOVING).toBeGreaterThanOrEqual(1);

  // Pause all: the task stops where it is.
  await panel.getByRole('button', { name: 'Pause all' }).click();
  await expect(task.getByText('Paused')).toBeVisible();
  const paused = await percent(bar);
  expect(paused).toBeLessThan(100);
  await expect(panel.getByText('1 active, 0 finished')).toBeVisible();

  // Cancel, then retry from the cancelled state.
  await task.getByRole('button', { name: 'Cancel large.bin' }).click();
  await expect(task.getByText('Cancelled')).toBeVisible();
  await expect(panel.getByText('0 active, 1 finished')).toBeVisible();
  await task.getByRole('button', { name: 'Retry large.bin' }).click();
  await expect(task.getByText(/Running|Queued|Done/)).toBeVisible();
  await panel.getByRole('button', { name: 'Pause all' }).click();
  await expect(task.getByText('Paused')).toBeVisible();
  await panel.getByRole('button', { name: 'Resume all' }).click();
  await expect(task.getByText('Done')).toBeVisible({ timeout: 60_000 });
  const local = path.join(ferry.dataDir, 'local');
  expect(
    readFileSync(path.join(local, 'sample-backup', 'large.bin')).equals(
      readFileSync(path.join(local, 'big-source', 'large.bin')),
    ),
  ).toBe(true);

  // A copy whose source is deleted while it is paused fails, and says why.
  await row(left, 'doomed.bin').dragTo(listing(right));
  await dialog.getByRole('button', { name: 'Copy', exact: true }).click();
  const doomed = transfer(page, 'doomed.bin');
  const doomedBar = doomed.getByRole('progressbar', { name: 'Progress of doomed.bin' });
  await expect.poll(() => percent(doomedBar), MOVING).toBeGreaterThanOrEqual(1);
  await doomed.getByRole('button', { name: 'Pause doomed.bin' }).click();
  await expect(doomed.getByText('Paused')).toBeVisible();
  rmSync(path.join(local, 'big-source', 'doomed.bin'));
  await doomed.getByRole('button', { name: 'Resume doomed.bin' }).click();
  await expect(doomed.getByText('Failed')).toBeVisible({ timeout: 60_000 });
  const alert = doomed.getByRole('alert');
  await expect(alert).toContainText('doomed.bin');
  await expect(alert).toContainText('Code: NoSuchKey');
  await expect(doomed.getByRole('button', { name: 'Retry doomed.bin' })).toBeVisible();

  // Clear finished clears the done copy; the failed one is not finished and stays (under Failed).
  await panel.getByRole('button', { name: 'Clear finished' }).click();
  await expect(task).toHaveCount(0);
  await expect(doomed.getByText('Failed')).toBeVisible();
  await panel.getByRole('tab', { name: /^Failed/ }).click();
  await expect(panel.getByRole('tabpanel').getByRole('listitem')).toHaveCount(1);
  // It leaves the list when removed.
  await doomed.getByRole('button', { name: 'Remove doomed.bin from the list' }).click();
  await expect(panel.getByRole('listitem')).toHaveCount(0);
  await expect(panel.getByText('No transfers yet.', { exact: false })).toBeVisible();
});
