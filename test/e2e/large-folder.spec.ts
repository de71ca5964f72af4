/**
 * A folder of 100,000 objects (Local provider, created in the data folder before the host starts)
 * opens on its first page at once, pages in lazily as the user scrolls, and never renders more than a
 * bounded number of rows.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, listing, openPath, pane, row, test } from './fixtures';

const COUNT = 100_000;
const name = (i: number) => `obj-${String(i).padStart(6, '0')}.txt`;
/** Rows in the DOM at most: what fits in the pane plus the virtualizer's overscan, never the folder. */
const MAX_DOM_ROWS = 80;

test.use({
  prepareDataDir: {
    run(dataDir: string) {
      const dir = path.join(dataDir, 'local', 'huge', 'many');
      mkdirSync(dir, { recursive: true });
      for (let i = 0; i < COUNT; i++) writeFileSync(path.join(dir, name(i)), 'x');
    },
  },
});

test('a folder of 100,000 objects opens at once and scrolls to the end with a bounded DOM', async ({
  app: page,
}) => {
  test.setTimeout(180_000);
  const left = pane(page, 'left');
  const list = listing(left);
  const footer = left.locator('.list-footer');
  await openPath(page, 'left', ['huge', 'many/']);
  await expect(row(left, name(0))).toBeVisible();
  await expect(footer).toHaveText(
    '1,000 items (more load as you scroll; the order covers the rows loaded so far)',
  );
  expect(await list.getByRole('option').count()).toBeLessThanOrEqual(MAX_DOM_ROWS);

  // Scroll to the bottom, again and again, until the whole folder is loaded; the page itself
  // records the most rows the listing ever had in the DOM on the way.
  const most = await list.evaluate(async (el, total) => {
    const footer = el.closest('section')!.querySelector('.list-footer')!;
    const count = () => Number(/^([\d,]+) items/.exec(footer.textContent ?? '')?.[1]?.replace(/,/g, ''));
    let rows = 0;
    const observer = new MutationObserver(() => {
      rows = Math.max(rows, el.querySelectorAll('[role="option"]').length);
    });
    observer.observe(el, { childList: true, subtree: true });
    const deadline = Date.now() + 150_000;
    while (count() < total && Date.now() < deadline) {
      const before = count();
      el.scrollTop = el.scrollHeight;
      while (count() === before && Date.now() < deadline) await new Promise(requestAnimationFrame);
    }
    observer.disconnect();
    return { rows, loaded: count() };
  }, COUNT);
  expect(most.loaded).toBe(COUNT);
  expect(most.rows).toBeGreaterThan(10);
  expect(most.rows).toBeLessThanOrEqual(MAX_DOM_ROWS);
  await expect(footer).toHaveText(`${COUNT.toLocaleString('en')} items`);

  // The keyboard reaches the last row too.
  await list.focus();
  await list.press('End');
  await expect(row(left, name(COUNT - 1))).toBeVisible();
  await expect(row(left, name(COUNT - 1))).toHaveAttribute('aria-selected', 'true');
  await expect(row(left, name(0))).toHaveCount(0);
  const rendered = await list.getByRole('option').count();
  expect(rendered).toBeGreaterThan(10);
  expect(rendered).toBeLessThanOrEqual(MAX_DOM_ROWS);

  // Filtering 100,000 names stays responsive and exact.
  await left.getByRole('searchbox', { name: 'Filter by name' }).fill('obj-09999');
  await expect(list.getByRole('option')).toHaveCount(10);
  await expect(footer).toHaveText('10 items · 1 selected');
});
