/**
 * The look, measured: at 1024×700, 1400×900 and 1920×1080, in English and Chinese, nothing in the
 * sidebar, the pane toolbars or the address bars leaves its container, and each account is one line
 * (connection dot, name, "…" menu side by side, no mark left on a line of its own).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { expect, openPath, test } from './fixtures';

const SIZES = [
  [1024, 700],
  [1400, 900],
  [1920, 1080],
] as const;

/** Every visible element of `container` that sticks out of it sideways, and whether it scrolls sideways. */
function overflowing(container: Locator): Promise<string[]> {
  return container.evaluate((root) => {
    const box = root.getBoundingClientRect();
    const out: string[] = [];
    for (const el of root.querySelectorAll<HTMLElement>('*')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      if (r.right > box.right + 0.5 || r.left < box.left - 0.5)
        out.push(
          `${el.tagName.toLowerCase()}.${el.className} "${(el.textContent ?? '').trim().slice(0, 30)}" ` +
            `${Math.round(r.left)}–${Math.round(r.right)} outside ${Math.round(box.left)}–${Math.round(box.right)}`,
        );
    }
    if (root.scrollWidth > root.clientWidth + 1)
      out.push(`scrolls sideways (${root.scrollWidth} > ${root.clientWidth})`);
    return out;
  });
}

const middle = async (l: Locator) => {
  const b = (await l.boundingBox())!;
  return b.y + b.height / 2;
};

async function checkLook(page: Page, label: string): Promise<void> {
  const sidebar = page.getByRole('complementary', { name: /Accounts|账号/ });
  expect(await overflowing(sidebar), `${label}: the sidebar`).toEqual([]);
  const add = sidebar.getByRole('button', { name: /Add account|添加账号/ });
  await expect(add).toBeInViewport({ ratio: 1 });

  // The account's row: dot, name and "…" on one line.
  const head = sidebar.locator('.account-head').first();
  const name = head.locator('.disclosure');
  const actions = head.locator('button[aria-haspopup="menu"]');
  const dot = head.getByRole('img');
  const line = await middle(name);
  expect(Math.abs((await middle(actions)) - line), `${label}: "…" beside the name`).toBeLessThan(4);
  expect(Math.abs((await middle(dot)) - line), `${label}: the dot beside the name`).toBeLessThan(4);
  expect((await dot.boundingBox())!.width, `${label}: the dot is a dot`).toBeGreaterThanOrEqual(6);
  const headBox = (await head.boundingBox())!;
  expect(headBox.height, `${label}: one line per account`).toBeLessThanOrEqual(30);

  for (const side of ['left', 'right'] as const) {
    const p = page.getByRole('region', { name: side === 'left' ? /Left pane|左窗格/ : /Right pane|右窗格/ });
    expect(
      await overflowing(p.getByRole('toolbar', { name: /Pane actions|窗格操作/ })),
      `${label}: ${side} toolbar`,
    ).toEqual([]);
    const bar = p.locator('.address-bar');
    const edit = bar.getByRole('button', { name: /Edit address|编辑地址/ });
    const paneBox = (await p.boundingBox())!;
    const editBox = (await edit.boundingBox())!;
    expect(
      editBox.x + editBox.width,
      `${label}: ${side} address edit button inside the pane`,
    ).toBeLessThanOrEqual(paneBox.x + paneBox.width);
  }
}

test('nothing leaves its container at 1024, 1400 and 1920 px, in English and Chinese', async ({
  app: page,
}) => {
  await openPath(page, 'left', ['sample-photos', '2024/']);
  await openPath(page, 'right', ['sample-backup']);
  for (const language of ['en', 'zh-CN'] as const) {
    if (language === 'zh-CN') {
      await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Settings' }).click();
      await page.getByRole('combobox', { name: 'Language' }).selectOption({ label: '简体中文' });
      await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
      await page.getByRole('navigation').first().getByRole('button', { name: '浏览' }).click();
    }
    for (const [width, height] of SIZES) {
      await page.setViewportSize({ width, height });
      await checkLook(page, `${width}×${height} ${language}`);
    }
  }
});

test.describe('with forty buckets', () => {
  test.use({
    prepareDataDir: {
      run(dataDir: string) {
        for (let i = 10; i < 50; i++)
          mkdirSync(path.join(dataDir, 'local', `zz-bucket-${i}`), { recursive: true });
      },
    },
  });

  test('a sidebar too long for the window scrolls down, never sideways', async ({ app: page }) => {
    // Its scroll bar takes width from the sidebar: "Add account" and the rows give way, never stick out.
    await page.setViewportSize({ width: 1024, height: 700 });
    const sidebar = page.getByRole('complementary', { name: 'Accounts' });
    await expect(sidebar.getByRole('button', { name: 'zz-bucket-49' })).toBeAttached();
    expect(await sidebar.evaluate((el) => el.scrollHeight > el.clientHeight)).toBe(true);
    expect(await overflowing(sidebar)).toEqual([]);
    await checkLook(page, 'scrolling sidebar');
  });
});
