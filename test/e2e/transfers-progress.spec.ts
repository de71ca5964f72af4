/**
 * What the transfers panel says while a big folder copies and after: a count and an indeterminate
 * bar until the folder's total is known, never a percentage ahead of the objects done; finished
 * rows with duration, speed, finish time and the name a keep-both copy got; tabs; removing one row.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, listing, openPath, pane, row, test, transfer, transfers } from './fixtures';

const COUNT = 10_000;

test.use({
  prepareDataDir: {
    run(dataDir: string) {
      const dir = path.join(dataDir, 'local', 'many-source', 'photos');
      mkdirSync(dir, { recursive: true });
      for (let i = 0; i < COUNT; i++) writeFileSync(path.join(dir, `p${i}.txt`), 'x'.repeat(100));
      mkdirSync(path.join(dataDir, 'local', 'many-target'), { recursive: true });
    },
  },
});

interface Sample {
  value: string | null;
  stats: string;
}

test('a 10,000-object folder: counting first, then by objects, never ahead of the objects done', async ({
  app: page,
}) => {
  test.setTimeout(240_000);
  const left = pane(page, 'left');
  const right = pane(page, 'right');
  await openPath(page, 'left', ['many-source']);
  await openPath(page, 'right', ['many-target']);

  // Every render of the folder's row is sampled in the page: the bar's value and the facts beside it.
  await page.evaluate(() => {
    const w = window as unknown as { __samples: { value: string | null; stats: string }[] };
    w.__samples = [];
    const sample = () => {
      const item = document.querySelector('[aria-label="photos/"].transfer');
      if (!item) return;
      const bar = item.querySelector('[role="progressbar"]')!;
      const stats = item.querySelector('.transfer-stats')?.textContent ?? '';
      const value = bar.getAttribute('aria-valuenow');
      const last = w.__samples.at(-1);
      if (!last || last.value !== value || last.stats !== stats) w.__samples.push({ value, stats });
    };
    new MutationObserver(sample).observe(document.body, {
      subtree: true,
      childList: true,
      characterData: true,
      attributes: true,
    });
  });

  await row(left, 'photos/').dragTo(listing(right));
  await page.getByRole('dialog').getByRole('button', { name: 'Copy', exact: true }).click();
  const task = transfer(page, 'photos/');
  await expect(task.getByText('Done')).toBeVisible({ timeout: 200_000 });

  const samples = await page.evaluate(() => (window as unknown as { __samples: Sample[] }).__samples);
  expect(samples.length).toBeGreaterThan(3);
  const number = (s: string) => Number(s.replace(/[^\d]/g, ''));
  let sawProgress = false;
  for (const s of samples) {
    if (/counting/.test(s.stats)) {
      // Until the total is known: a count, and no value on the bar.
      expect(s.value, `a percentage while counting: ${s.stats}`).toBeNull();
      continue;
    }
    const m = /([\d,]+) \/ ([\d,]+) objects/.exec(s.stats);
    if (!m) continue; // the finished line
    const done = number(m[1]!);
    expect(number(m[2]!)).toBe(COUNT);
    expect(Number(s.value), `${s.value}% with ${m[1]} of ${m[2]} objects done`).toBeLessThanOrEqual(
      Math.floor((done / COUNT) * 100),
    );
    sawProgress = true;
  }
  expect(sawProgress, JSON.stringify(samples.slice(0, 5))).toBe(true);
  expect(samples.some((s) => /Parts/.test(s.stats))).toBe(false);
  // Thousands separators, and a finished line with duration, speed and time.
  await expect(task.locator('.transfer-stats')).toContainText('10,000 / 10,000 objects');
  await expect(task.locator('.transfer-stats')).toContainText(/ in \d/);
  await expect(task.locator('.transfer-stats')).toContainText(/finished \d/);
});

test('finished rows: the keep-both name, Active / Failed / Done tabs, a row removed from the keyboard', async ({
  app: page,
}) => {
  const left = pane(page, 'left');
  const right = pane(page, 'right');
  const panel = transfers(page);
  const dialog = page.getByRole('dialog');
  await openPath(page, 'left', ['sample-photos']);
  await openPath(page, 'right', ['sample-backup']);

  // sample-backup already has README.txt: keep both names the copy "README (1).txt".
  await row(left, 'README.txt').dragTo(listing(right));
  await dialog
    .getByRole('combobox', { name: 'If the destination exists' })
    .selectOption({ label: 'Keep both' });
  await dialog.getByRole('button', { name: 'Copy', exact: true }).click();
  const task = transfer(page, 'README.txt');
  await expect(task.getByText('Done')).toBeVisible();
  await expect(task).toContainText('saved as README (1).txt');
  await expect(row(right, 'README (1).txt')).toBeVisible();

  // Tabs: a real tablist; the done task is under Done, not under Active or Failed.
  const tabs = panel.getByRole('tablist', { name: 'Show transfers' });
  await tabs.getByRole('tab', { name: /^Active/ }).click();
  await expect(tabs.getByRole('tab', { name: /^Active/ })).toHaveAttribute('aria-selected', 'true');
  await expect(panel.getByRole('tabpanel').getByRole('listitem')).toHaveCount(0);
  await page.keyboard.press('ArrowRight'); // Failed
  await expect(tabs.getByRole('tab', { name: /^Failed/ })).toBeFocused();
  await expect(panel.getByRole('tabpanel').getByRole('listitem')).toHaveCount(0);
  await page.keyboard.press('ArrowRight'); // Done
  await expect(panel.getByRole('tabpanel').getByRole('listitem')).toHaveCount(1);

  // Removing one row, by keyboard: Tab reaches its (hover) actions.
  const remove = task.getByRole('button', { name: 'Remove README.txt from the list' });
  await remove.focus();
  await expect(remove).toHaveCSS('opacity', '1');
  await page.keyboard.press('Enter');
  await expect(task).toHaveCount(0);
  await tabs.getByRole('tab', { name: /^All/ }).click();
  await expect(panel.getByText('No transfers yet.', { exact: false })).toBeVisible();
});
