/**
 * Light and dark following the system (and the setting that overrides it), English and Simplified
 * Chinese, every control with an accessible name, and the screenshots of the main screens that
 * docs/screenshots/ keeps (main.png is the one README shows).
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, expectEveryControlNamed, listing, openPath, pane, row, test, transfer } from './fixtures';

const SHOTS = path.join(__dirname, '..', '..', 'docs', 'screenshots');
mkdirSync(SHOTS, { recursive: true });
const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, name) });

const background = (page: Page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);

async function settingsView(page: Page, label = 'Settings'): Promise<void> {
  await page.getByRole('navigation').first().getByRole('button', { name: label }).click();
}

test.describe('with a 96 MiB object in a Local bucket', () => {
  test.use({
    prepareDataDir: {
      run(dataDir: string) {
        mkdirSync(path.join(dataDir, 'local', 'big-source'), { recursive: true });
        writeFileSync(path.join(dataDir, 'local', 'big-source', 'large.bin'), randomBytes(96 * 1024 * 1024));
      },
    },
  });

  test('main screens: two panes with transfers, details, the copy dialog; every control named', async ({
    app: page,
  }) => {
    await page.emulateMedia({ colorScheme: 'light' });
    const left = pane(page, 'left');
    const right = pane(page, 'right');
    await openPath(page, 'left', ['sample-photos']);
    await openPath(page, 'right', ['sample-backup']);
    const dialog = page.getByRole('dialog');

    // A finished folder copy with replaced metadata.
    await row(left, '2025/').dragTo(listing(right));
    await dialog.getByRole('radio', { name: 'Replace metadata (REPLACE)' }).check();
    await dialog.getByRole('textbox', { name: 'Content-Type' }).fill('text/plain; charset=utf-8');
    await dialog.getByRole('button', { name: 'Add metadata' }).click();
    await dialog.getByRole('textbox', { name: 'Metadata name 1' }).fill('project');
    await dialog.getByRole('textbox', { name: 'Metadata value 1' }).fill('ferry');
    await dialog.getByRole('button', { name: 'Add metadata' }).click();
    await dialog.getByRole('textbox', { name: 'Metadata name 2' }).fill('camera');
    await dialog.getByRole('textbox', { name: 'Metadata value 2' }).fill('x100v');
    await expectEveryControlNamed(page);
    await shot(page, 'copy-dialog.png');
    await dialog.getByRole('button', { name: 'Copy', exact: true }).click();
    await expect(transfer(page, '2025/').getByText('Done')).toBeVisible();

    // A large copy in small parts, paused part-way (so the panel shows a bar in the middle), then resumed.
    await settingsView(page);
    await page.getByRole('spinbutton', { name: 'Parts in flight per object' }).fill('1');
    await page.getByRole('spinbutton', { name: 'Multipart threshold (MiB)' }).fill('1');
    await page.getByRole('spinbutton', { name: 'Part size (MiB)' }).fill('0.25');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByText('Settings saved.')).toBeVisible();
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Browser' }).click();
    await left.getByRole('navigation', { name: 'Path' }).getByRole('button', { name: 'Local' }).click();
    await openPath(page, 'left', ['big-source']);
    await row(left, 'large.bin').click();
    await row(left, 'large.bin').dragTo(listing(right));
    await dialog.getByRole('radio', { name: 'Keep the source metadata (COPY)' }).check();
    await dialog.getByRole('button', { name: 'Copy', exact: true }).click();
    const big = transfer(page, 'large.bin');
    const bar = big.getByRole('progressbar', { name: 'Progress of large.bin' });
    // Polled often: the pause must land while the copy (384 parts of 256 KiB, a few seconds) still runs.
    await expect
      .poll(async () => Number(await bar.getAttribute('aria-valuenow')), { timeout: 60_000, intervals: [25] })
      .toBeGreaterThanOrEqual(1);
    await big.getByRole('button', { name: 'Pause large.bin' }).click();
    await expect(big.getByText('Paused')).toBeVisible();
    const pausedAt = Number(await bar.getAttribute('aria-valuenow'));
    expect(pausedAt).toBeLessThan(100);
    await openPath(page, 'right', ['2025/']);
    await row(right, 'ferry at dawn.txt').click();
    const details = page.getByRole('complementary', { name: 'Details' });
    await expect(details.locator('.field').filter({ hasText: 'x-amz-meta-camera' })).toContainText('x100v');
    await expectEveryControlNamed(page);
    await shot(page, 'main.png');
    await details.screenshot({ path: path.join(SHOTS, 'details.png') });

    // Still paused (nothing moved while paused), then resumed to the end.
    await expect(big.getByText('Paused')).toBeVisible();
    expect(Number(await bar.getAttribute('aria-valuenow'))).toBe(pausedAt);
    await big.getByRole('button', { name: 'Resume large.bin' }).click();
    await expect(big.getByText('Done')).toBeVisible({ timeout: 60_000 });
    await expect(big.locator('.transfer-stats')).toContainText('96 MiB in');
  });

  test('the README set: 1024×700 and 1920×1080, light and dark, English and Chinese', async ({
    app: page,
  }) => {
    test.setTimeout(180_000);
    const left = pane(page, 'left');
    const right = pane(page, 'right');
    const dialog = page.getByRole('dialog');
    await page.emulateMedia({ colorScheme: 'light' });
    await openPath(page, 'left', ['sample-photos']);
    await openPath(page, 'right', ['sample-backup']);
    // A finished folder copy, then a large one paused part-way, so the panel shows both kinds of row.
    await row(left, '2025/').dragTo(listing(right));
    await dialog.getByRole('button', { name: 'Copy', exact: true }).click();
    await expect(transfer(page, '2025/').getByText('Done')).toBeVisible();
    await settingsView(page);
    await page.getByRole('spinbutton', { name: 'Parts in flight per object' }).fill('1');
    await page.getByRole('spinbutton', { name: 'Multipart threshold (MiB)' }).fill('1');
    await page.getByRole('spinbutton', { name: 'Part size (MiB)' }).fill('0.25');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByText('Settings saved.')).toBeVisible();
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Browser' }).click();
    await left.getByRole('navigation', { name: 'Path' }).getByRole('button', { name: 'Local' }).click();
    await openPath(page, 'left', ['big-source']);
    await row(left, 'large.bin').dragTo(listing(right));
    await dialog.getByRole('button', { name: 'Copy', exact: true }).click();
    const big = transfer(page, 'large.bin');
    const bar = big.getByRole('progressbar', { name: 'Progress of large.bin' });
    await expect
      .poll(async () => Number(await bar.getAttribute('aria-valuenow')), { timeout: 60_000, intervals: [25] })
      .toBeGreaterThanOrEqual(1);
    await big.getByRole('button', { name: 'Pause large.bin' }).click();
    await expect(big.getByText('Paused')).toBeVisible();
    await left.getByRole('navigation', { name: 'Path' }).getByRole('button', { name: 'Local' }).click();
    await openPath(page, 'left', ['sample-photos', '2024/']);
    await openPath(page, 'right', ['2025/']);
    await row(right, 'ferry at dawn.txt').click();

    for (const language of ['en', 'zh-CN'] as const) {
      if (language === 'zh-CN') {
        await settingsView(page);
        await page.getByRole('combobox', { name: 'Language' }).selectOption({ label: '简体中文' });
        await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
        await page.getByRole('navigation').first().getByRole('button', { name: '浏览' }).click();
      }
      for (const [width, height] of [
        [1024, 700],
        [1920, 1080],
      ] as const) {
        await page.setViewportSize({ width, height });
        for (const theme of ['light', 'dark'] as const) {
          await page.emulateMedia({ colorScheme: theme });
          await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
          await shot(page, `main-${width}x${height}-${theme}-${language}.png`);
        }
      }
    }
  });
});

test('follows the system theme unless told otherwise; switches to Simplified Chinese and back', async ({
  app: page,
}) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  const light = await background(page);
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  expect(await background(page)).not.toBe(light);
  await openPath(page, 'left', ['sample-photos']);
  await row(pane(page, 'left'), 'README.txt').click();
  await expect(page.getByRole('complementary', { name: 'Details' }).getByText('README.txt')).toBeVisible();
  await shot(page, 'dark.png');

  // The setting wins over the system.
  await settingsView(page);
  await page.getByRole('combobox', { name: 'Theme' }).selectOption({ label: 'Light' });
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await page.getByRole('combobox', { name: 'Theme' }).selectOption({ label: 'Follow the system' });
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expectEveryControlNamed(page);
  await page.emulateMedia({ colorScheme: 'light' });
  await shot(page, 'settings.png');

  // Simplified Chinese, everywhere, remembered across a reload.
  await page.getByRole('combobox', { name: 'Language' }).selectOption({ label: '简体中文' });
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await expect(page.getByRole('combobox', { name: '语言' })).toBeVisible();
  await page.reload();
  await page.getByRole('navigation').first().getByRole('button', { name: '浏览' }).click();
  await expect(page.getByRole('region', { name: '左窗格' })).toBeVisible();
  await expect(page.getByRole('region', { name: '传输' })).toBeVisible();
  // The left pane reopens where it was: in sample-photos.
  const zhLeft = page.getByRole('region', { name: '左窗格' });
  await zhLeft.getByRole('listbox').getByRole('option', { name: 'README.txt' }).click();
  const zhDetails = page.getByRole('complementary', { name: '详情' });
  await expect(zhDetails.getByText('README.txt')).toBeVisible();
  await expect(zhDetails.getByRole('term').first()).not.toHaveText('Size');
  await expectEveryControlNamed(page);
  await shot(page, 'zh-CN.png');
  await page.getByRole('navigation').first().getByRole('button', { name: '设置' }).click();
  await page.getByRole('combobox', { name: '语言' }).selectOption({ label: 'English' });
  await expect(page.getByRole('combobox', { name: 'Language' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
});
