/**
 * Each pane's address bar: the breadcrumb turns into a combobox (a click beside the crumbs, its edit
 * button, Ctrl+L or F4) that completes accounts, buckets and folders from the keyboard, opens what
 * Enter names, and says inline why an address cannot be opened while the pane stays where it was.
 */
import type { Locator, Page } from '@playwright/test';
import { expect, listing, pane, row, test } from './fixtures';

const crumbs = (scope: Locator) => scope.getByRole('navigation', { name: 'Path' }).getByRole('button');
const address = (scope: Locator) => scope.getByRole('combobox', { name: 'Address' });
const suggestions = (scope: Locator) => scope.getByRole('listbox', { name: 'Address suggestions' });

async function activeSuggestion(field: Locator): Promise<string | null> {
  const id = await field.getAttribute('aria-activedescendant');
  return id ? field.page().locator(`[id="${id}"]`).textContent() : null;
}

async function focusList(page: Page, side: 'left' | 'right'): Promise<void> {
  await listing(pane(page, side)).focus();
}

test('typing a path completes accounts, buckets and folders and Enter opens it', async ({ app: page }) => {
  const left = pane(page, 'left');
  await focusList(page, 'left');
  await page.keyboard.press('Control+l');
  const field = address(left);
  await expect(field).toBeFocused();
  await expect(field).toHaveValue('Local:');
  await expect(crumbs(left)).toHaveCount(0);

  // The text starts selected, so typing replaces it.
  await page.keyboard.type('lo');
  await expect(suggestions(left).getByRole('option')).toHaveText(['Local']);
  await expect(field).toHaveAttribute('aria-expanded', 'true');
  await page.keyboard.press('Tab');
  await expect(field).toHaveValue('Local:');
  await expect(field).toBeFocused();

  await page.keyboard.type('sam');
  await expect(suggestions(left).getByRole('option')).toHaveText(['sample-backup', 'sample-photos']);
  await page.keyboard.type('ple-p');
  await expect(suggestions(left).getByRole('option')).toHaveText(['sample-photos']);
  await page.keyboard.press('ArrowDown');
  expect(await activeSuggestion(field)).toBe('sample-photos');
  await page.keyboard.press('Tab');
  await expect(field).toHaveValue('Local:sample-photos/');

  await page.keyboard.type('20');
  await expect(suggestions(left).getByRole('option')).toHaveText(['2024/', '2025/']);
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  expect(await activeSuggestion(field)).toBe('2025/');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowUp');
  expect(await activeSuggestion(field)).toBe('2025/'); // wraps round from the first
  await page.keyboard.press('Enter');

  await expect(row(left, 'ferry at dawn.txt')).toBeVisible();
  await expect(crumbs(left)).toHaveText(['Accounts', 'Local', 'sample-photos', '2025']);
  await expect(field).toBeHidden();
  // Back in the list, so the arrow keys go on as before.
  await expect(listing(left)).toBeFocused();
});

test('an address that cannot be opened says why inline and the pane stays', async ({ app: page }) => {
  const left = pane(page, 'left');
  await row(left, 'sample-photos').dblclick();
  await expect(row(left, 'README.txt')).toBeVisible();

  await focusList(page, 'left');
  await page.keyboard.press('F4');
  const field = address(left);
  await field.fill('Local:sample-photos/no-such-folder/');
  await field.press('Enter');
  const error = left.getByRole('alert');
  await expect(error).toHaveText(
    'Nothing is at Local:sample-photos/no-such-folder/: no folder or object has that name.',
  );
  await expect(field).toHaveAttribute('aria-invalid', 'true');
  await expect(field).toHaveValue('Local:sample-photos/no-such-folder/');
  // Still where it was, listing intact.
  await expect(row(left, 'README.txt')).toBeVisible();

  await field.fill('Nobody:sample-photos/');
  await field.press('Enter');
  await expect(error).toHaveText('There is no account named “Nobody”.');
  await field.fill('Local:No Such Bucket/');
  await field.press('Enter');
  await expect(error).toContainText('“No Such Bucket” is not a bucket name');
  await field.fill('Local:missing-bucket/');
  await field.press('Enter');
  await expect(error).toContainText('Local:missing-bucket/ cannot be opened:');

  // Escape puts the breadcrumb back, unchanged.
  await field.press('Escape');
  await expect(field).toBeHidden();
  await expect(crumbs(left)).toHaveText(['Accounts', 'Local', 'sample-photos']);
  await expect(row(left, 'README.txt')).toBeVisible();
});

test('the edit button and a click beside the crumbs open the field; an object’s path selects it', async ({
  app: page,
}) => {
  const right = pane(page, 'right');
  await right.getByRole('button', { name: 'Edit address' }).click();
  const field = address(right);
  await expect(field).toBeFocused();
  await field.fill('Local:sample-photos/2024/harbour.txt');
  await field.press('Enter');
  await expect(crumbs(right)).toHaveText(['Accounts', 'Local', 'sample-photos', '2024']);
  await expect(row(right, 'harbour.txt')).toHaveAttribute('aria-selected', 'true');
  await expect(row(right, 'lighthouse.txt')).toHaveAttribute('aria-selected', 'false');

  // A click on the bar's empty part (right of the crumbs) edits too; clicking a suggestion opens it.
  const bar = right.getByRole('navigation', { name: 'Path' });
  const box = (await bar.boundingBox())!;
  await page.mouse.click(box.x + box.width - 4, box.y + box.height / 2);
  await expect(field).toHaveValue('Local:sample-photos/2024/');
  await field.fill('Local:sample-photos/');
  await suggestions(right).getByRole('option', { name: 'videos/' }).click();
  await expect(row(right, 'crossing.bin')).toBeVisible();
  await expect(crumbs(right)).toHaveText(['Accounts', 'Local', 'sample-photos', 'videos']);

  // Leaving the field without Enter goes nowhere.
  await right.getByRole('button', { name: 'Edit address' }).click();
  await field.fill('Local:sample-photos/2025/');
  await right.getByRole('button', { name: 'Up one level' }).focus();
  await expect(field).toBeHidden();
  await expect(crumbs(right)).toHaveText(['Accounts', 'Local', 'sample-photos', 'videos']);
});
