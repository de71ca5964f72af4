/**
 * A commander's keyboard: type-ahead, Space that keeps what the arrow keys selected, F5 that says
 * why it cannot copy, Ctrl+X then Ctrl+V as a confirmed move, Tab and F6 between the two lists, and
 * both panes reopening where they were after a restart.
 */
import { expect, listing, openPath, pane, row, test } from './fixtures';

test('type-ahead, Space after the arrows, F5 with nothing selected, cut and paste, Tab and F6', async ({
  app: page,
}) => {
  const left = pane(page, 'left');
  const right = pane(page, 'right');
  const leftList = listing(left);
  const rightList = listing(right);
  const kb = page.keyboard;
  await openPath(page, 'left', ['sample-photos']);
  await openPath(page, 'right', ['sample-backup']);

  // Type-ahead: letters jump to the first name starting with them; one letter again cycles.
  await leftList.focus();
  await kb.type('vi');
  await expect(row(left, 'videos/')).toHaveAttribute('aria-selected', 'true');
  await kb.type('r'); // soon after: "vir" matches nothing, the cursor stays
  await expect(row(left, 'videos/')).toHaveAttribute('aria-selected', 'true');
  await page.waitForTimeout(900); // a pause starts a new search
  await kb.type('r');
  await expect(row(left, 'README.txt')).toHaveAttribute('aria-selected', 'true');
  await page.waitForTimeout(900); // a pause starts a new search
  await kb.type('2');
  await expect(row(left, '2024/')).toHaveAttribute('aria-selected', 'true');
  await kb.type('2');
  await expect(row(left, '2025/')).toHaveAttribute('aria-selected', 'true');
  await expect(row(left, '2024/')).toHaveAttribute('aria-selected', 'false');

  // Space after an arrow key keeps the row the arrow selected; a second Space unmarks it.
  await kb.press('Home');
  await kb.press('ArrowDown');
  await expect(row(left, '2025/')).toHaveAttribute('aria-selected', 'true');
  await kb.press('Space');
  await expect(row(left, '2025/')).toHaveAttribute('aria-selected', 'true');
  await expect(left.getByText('1 selected')).toBeVisible();
  await kb.press('Space');
  await expect(row(left, '2025/')).toHaveAttribute('aria-selected', 'false');

  // F5 with nothing selected says why instead of doing nothing.
  await kb.press('F5');
  await expect(page.getByRole('status').filter({ hasText: 'Nothing is selected' })).toBeVisible();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await page.getByRole('button', { name: 'Dismiss' }).click();

  // Tab goes from the left list straight to the right one; Shift+Tab comes back; F6 switches too.
  await leftList.focus();
  await kb.press('Tab');
  await expect(rightList).toBeFocused();
  await kb.press('Shift+Tab');
  await expect(leftList).toBeFocused();
  await kb.press('F6');
  await expect(rightList).toBeFocused();
  await kb.press('F6');
  await expect(leftList).toBeFocused();

  // Ctrl+X then Ctrl+V in the other pane opens the dialog on "Move", which still asks first.
  await page.waitForTimeout(900); // a pause starts a new search (the "22" above may be under 0.9 s ago)
  await kb.type('READ');
  await expect(row(left, 'README.txt')).toHaveAttribute('aria-selected', 'true');
  await kb.press('Control+x');
  await kb.press('F6');
  await kb.press('Control+v');
  const dialog = page.getByRole('dialog');
  await expect(dialog).toHaveAccessibleName(/^Move 1 item/);
  await expect(dialog.getByRole('radio', { name: 'Move (copy, then delete the originals)' })).toBeChecked();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  await expect(row(left, 'README.txt')).toBeVisible();
});

test('both panes reopen where they were after a restart, with their sort order', async ({
  app: page,
  ferry,
}) => {
  const left = pane(page, 'left');
  const right = pane(page, 'right');
  await openPath(page, 'left', ['sample-photos', '2024/']);
  await openPath(page, 'right', ['sample-backup']);
  await right.getByRole('columnheader', { name: 'Size' }).getByRole('button').click();
  await expect(right.getByRole('columnheader', { name: 'Size' })).toHaveAttribute('aria-sort', 'ascending');
  // The settings file holds them once they have settled.
  await expect
    .poll(async () => {
      const { readFileSync } = await import('node:fs');
      try {
        return (JSON.parse(readFileSync(`${ferry.dataDir}/settings.json`, 'utf8')) as { panes?: unknown })
          .panes;
      } catch {
        return undefined;
      }
    })
    .toMatchObject({
      left: { profileId: 'local', bucket: 'sample-photos', prefix: '2024/' },
      right: { profileId: 'local', bucket: 'sample-backup', prefix: '', sortBy: 'size' },
    });

  await ferry.restart();
  await page.goto(ferry.host.url);
  await expect(row(left, 'harbour.txt')).toBeVisible();
  await expect(row(right, 'README.txt')).toBeVisible();
  await expect(right.getByRole('columnheader', { name: 'Size' })).toHaveAttribute('aria-sort', 'ascending');
});
