/**
 * Everything with the keyboard alone: reach a pane with Tab, navigate, select, copy, paste into the
 * other pane, confirm — then a move with F5 and a delete, each confirmed from the keyboard.
 */
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { expect, listing, pane, row, test, transfer } from './fixtures';

/** Presses Tab until `target` has the focus, as a keyboard user would (bounded, so a trap fails). */
async function tabTo(page: Page, target: Locator): Promise<void> {
  for (let i = 0; i < 80; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error('Tab never reached the target');
}

test('keyboard only: navigate, select, copy, paste, confirm; move with F5; delete', async ({
  app: page,
  ferry,
}) => {
  const left = pane(page, 'left');
  const right = pane(page, 'right');
  const leftList = listing(left);
  const rightList = listing(right);
  const dialog = page.getByRole('dialog');
  const kb = page.keyboard;

  // Left: Accounts → Local is where the panes open; go to sample-photos/2024/.
  await tabTo(page, leftList);
  await kb.press('End'); // sample-photos is the last bucket
  await expect(row(left, 'sample-photos')).toHaveAttribute('aria-selected', 'true');
  await kb.press('Enter');
  await expect(row(left, '2024/')).toBeVisible();
  await kb.press('Home');
  await kb.press('Enter');
  await expect(row(left, 'harbour.txt')).toBeVisible();
  await kb.press('ArrowDown');
  await kb.press('Shift+ArrowDown');
  await expect(left.getByText('2 selected')).toBeVisible();
  await kb.press('Control+c');

  // Right: sample-backup, paste, confirm with Enter (the confirm button has the focus).
  await tabTo(page, rightList);
  await kb.press('Home');
  await expect(row(right, 'sample-backup')).toHaveAttribute('aria-selected', 'true');
  await kb.press('Enter');
  await expect(row(right, 'README.txt')).toBeVisible();
  await kb.press('Control+v');
  await expect(dialog).toHaveAccessibleName('Copy 2 items');
  await expect(dialog.getByRole('button', { name: 'Copy', exact: true })).toBeFocused();
  await kb.press('Enter');
  await expect(dialog).toBeHidden();
  await expect(transfer(page, 'harbour.txt').getByText('Done')).toBeVisible();
  await expect(transfer(page, 'lighthouse.txt').getByText('Done')).toBeVisible();
  await expect(row(right, 'harbour.txt')).toBeVisible();
  await expect(row(right, 'lighthouse.txt')).toBeVisible();
  // The focus came back to the pane it left.
  await expect(rightList).toBeFocused();

  // Move harbour.txt back with F5: choose "Move" in the dialog with the arrow keys, confirm.
  // Names sort naturally, case aside: harbour.txt, lighthouse.txt, README.txt.
  await kb.press('Home');
  await expect(row(right, 'harbour.txt')).toHaveAttribute('aria-selected', 'true');
  await left.getByRole('button', { name: 'Back' }).focus();
  await kb.press('Enter'); // left back to sample-photos/
  await expect(row(left, 'README.txt')).toBeVisible();
  await rightList.focus();
  await kb.press('F5');
  await expect(dialog).toHaveAccessibleName('Copy 1 item');
  await tabTo(page, dialog.getByRole('radio', { name: 'Copy', exact: true }));
  await kb.press('ArrowDown');
  await expect(dialog.getByRole('radio', { name: 'Move (copy, then delete the originals)' })).toBeChecked();
  await expect(dialog).toHaveAccessibleName('Move 1 item');
  await expect(dialog.getByRole('note')).toContainText('will be deleted from Local: sample-backup/');
  await tabTo(page, dialog.getByRole('button', { name: 'Move and delete originals' }));
  await kb.press('Enter');
  await expect(transfer(page, 'harbour.txt').first().getByText('Done')).toBeVisible();
  await expect(row(left, 'harbour.txt')).toBeVisible();
  await expect(row(right, 'harbour.txt')).toHaveCount(0);
  const local = path.join(ferry.dataDir, 'local');
  expect(existsSync(path.join(local, 'sample-backup', 'harbour.txt'))).toBe(false);
  expect(readFileSync(path.join(local, 'sample-photos', 'harbour.txt'), 'utf8')).toBe(
    'A picture of a harbour would be here.\n',
  );

  // Delete lighthouse.txt from the right pane: Delete, the dialog names it, Enter on its button.
  await rightList.focus();
  await kb.press('Home'); // lighthouse.txt, README.txt
  await expect(row(right, 'lighthouse.txt')).toHaveAttribute('aria-selected', 'true');
  await kb.press('Delete');
  await expect(dialog).toHaveAccessibleName('Delete 1 item?');
  await expect(dialog.getByRole('listitem')).toHaveText(['lighthouse.txt']);
  await tabTo(page, dialog.getByRole('button', { name: 'Delete 1 item' }));
  await kb.press('Enter');
  await expect(row(right, 'lighthouse.txt')).toHaveCount(0);
  expect(existsSync(path.join(local, 'sample-backup', 'lighthouse.txt'))).toBe(false);

  // Escape closes a dialog without doing anything.
  await rightList.focus();
  await kb.press('Home');
  await kb.press('Delete');
  await expect(dialog).toBeVisible();
  await kb.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(row(right, 'README.txt')).toBeVisible();

  // The log view says what happened (reached with Tab and Enter like everything else).
  await tabTo(page, page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Logs' }));
  await kb.press('Enter');
  await expect(page.getByRole('log', { name: 'Log' })).toContainText(
    'deleted 1 object(s) from local:sample-backup',
  );
});

test('keyboard only: select all, toggle one, open, back and forward, up', async ({ app: page }) => {
  const left = pane(page, 'left');
  const leftList = listing(left);
  const kb = page.keyboard;

  await tabTo(page, leftList);
  await kb.press('End'); // sample-photos
  await kb.press('Enter');
  await expect(row(left, '2024/')).toBeVisible();
  // sample-photos/ holds 2024/, 2025/, videos/ and README.txt.
  await kb.press('ArrowDown'); // the cursor on the first row, 2024/
  await expect(left.getByText('4 items · 1 selected')).toBeVisible();
  await kb.press('Control+a');
  await expect(left.getByText('4 items · 4 selected')).toBeVisible();
  for (const name of ['2024/', '2025/', 'videos/', 'README.txt'])
    await expect(row(left, name)).toHaveAttribute('aria-selected', 'true');
  await kb.press('Space'); // the row under the cursor leaves the selection
  await expect(left.getByText('4 items · 3 selected')).toBeVisible();
  await expect(row(left, '2024/')).toHaveAttribute('aria-selected', 'false');
  await kb.press('Space'); // and comes back
  await expect(left.getByText('4 items · 4 selected')).toBeVisible();
  await kb.press('End'); // moving the cursor selects the row it lands on, alone
  await expect(left.getByText('4 items · 1 selected')).toBeVisible();
  await expect(row(left, 'README.txt')).toHaveAttribute('aria-selected', 'true');
  await kb.press('Home');
  await expect(row(left, '2024/')).toHaveAttribute('aria-selected', 'true');

  await kb.press('Enter'); // opens 2024/, the row under the cursor
  await expect(row(left, 'harbour.txt')).toBeVisible();
  await kb.press('Alt+ArrowLeft');
  await expect(row(left, 'README.txt')).toBeVisible();
  await expect(row(left, 'harbour.txt')).toHaveCount(0);
  await kb.press('Alt+ArrowRight');
  await expect(row(left, 'harbour.txt')).toBeVisible();
  await kb.press('Backspace'); // up one level: sample-photos/ again
  await expect(row(left, '2024/')).toBeVisible();
  await kb.press('Backspace'); // and up to the bucket list
  await expect(row(left, 'sample-photos')).toBeVisible();
  await expect(leftList).toBeFocused();
});
