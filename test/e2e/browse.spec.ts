import { expect, listing, openPath, pane, row, rowNames, test } from './fixtures';

test('browses the seeded Local buckets: folders before objects, breadcrumb, back and up', async ({
  app: page,
}) => {
  const left = pane(page, 'left');
  const sidebar = page.getByRole('complementary', { name: 'Accounts' });
  await expect(sidebar.getByRole('button', { name: 'sample-photos' })).toBeVisible();
  await expect(sidebar.getByRole('button', { name: 'sample-backup' })).toBeVisible();

  await openPath(page, 'left', ['sample-photos']);
  await expect(row(left, 'README.txt')).toBeVisible();
  expect(await rowNames(left)).toEqual(['2024/', '2025/', 'videos/', 'README.txt']);

  await openPath(page, 'left', ['2025/']);
  await expect(row(left, 'ferry at dawn.txt')).toBeVisible();
  await expect(row(left, '渡船.txt')).toBeVisible();
  await expect(left.getByRole('navigation', { name: 'Path' }).getByRole('button')).toHaveText([
    'Accounts',
    'Local',
    'sample-photos',
    '2025',
  ]);

  await left.getByRole('button', { name: 'Back' }).click();
  await expect(row(left, 'README.txt')).toBeVisible();
  await left.getByRole('button', { name: 'Forward' }).click();
  await expect(row(left, '渡船.txt')).toBeVisible();
  await left.getByRole('button', { name: 'Up one level' }).click();
  await expect(row(left, '2025/')).toHaveAttribute('aria-selected', 'true');

  // Details of one object.
  await row(left, 'README.txt').click();
  const details = page.getByRole('complementary', { name: 'Details' });
  await expect(details.getByText('sample-photos', { exact: false })).toHaveCount(0);
  await expect(details.getByText('README.txt')).toBeVisible();
  await expect(details.getByRole('definition').first()).toContainText('B');
  // Local has no presigned links.
  await expect(details.getByRole('button', { name: 'Copy link' })).toHaveCount(0);
});

test('filters by name, sorts by name and size, and selects with click, shift and ctrl', async ({
  app: page,
}) => {
  const left = pane(page, 'left');
  await openPath(page, 'left', ['sample-photos', 'videos/']);
  await expect(row(left, 'crossing.bin')).toBeVisible();
  await left.getByRole('button', { name: 'Back' }).click();
  await expect(row(left, 'README.txt')).toBeVisible();
  await left.getByRole('searchbox', { name: 'Filter by name' }).fill('20');
  await expect(listing(left).getByRole('option')).toHaveCount(2);
  await expect(left.getByText('2 items')).toBeVisible();
  await left.getByRole('searchbox', { name: 'Filter by name' }).fill('');
  await expect(listing(left).getByRole('option')).toHaveCount(4);
  // Column headers sort: the name header again reverses the order; folders stay before objects.
  const nameHeader = left.getByRole('columnheader', { name: 'Name' });
  const sizeHeader = left.getByRole('columnheader', { name: 'Size' });
  await expect(nameHeader).toHaveAttribute('aria-sort', 'ascending');
  await nameHeader.getByRole('button').click();
  await expect(nameHeader).toHaveAttribute('aria-sort', 'descending');
  await expect.poll(() => rowNames(left)).toEqual(['videos/', '2025/', '2024/', 'README.txt']);

  // Sizes: crossing.bin (48 MiB) is the largest in the whole bucket, README the smallest here.
  await nameHeader.getByRole('button').click();
  await openPath(page, 'left', ['2024/']);
  await sizeHeader.getByRole('button').click();
  await expect(sizeHeader).toHaveAttribute('aria-sort', 'ascending');
  await expect(nameHeader).toHaveAttribute('aria-sort', 'none');
  await expect.poll(() => rowNames(left)).toEqual(['harbour.txt', 'lighthouse.txt']);
  await sizeHeader.getByRole('button').click();
  await expect(sizeHeader).toHaveAttribute('aria-sort', 'descending');
  await expect.poll(() => rowNames(left)).toEqual(['lighthouse.txt', 'harbour.txt']);
  // The same orders from the pane's menu, by keyboard or mouse.
  await left.getByRole('button', { name: 'More actions' }).click();
  await page
    .getByRole('menu', { name: 'More actions' })
    .getByRole('menuitemradio', { name: 'Sort by Name' })
    .click();
  await expect(nameHeader).toHaveAttribute('aria-sort', 'descending');
  await expect.poll(() => rowNames(left)).toEqual(['lighthouse.txt', 'harbour.txt']);
  await left.getByRole('button', { name: 'More actions' }).press('ArrowDown');
  const menu = page.getByRole('menu', { name: 'More actions' });
  await expect(menu.getByRole('menuitemradio', { name: 'Sort by Name' })).toBeFocused();
  await page.keyboard.press('a'); // type-ahead in the menu: "Ascending order"
  await expect(menu.getByRole('menuitemradio', { name: 'Ascending order' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(menu).toBeHidden();
  await expect(left.getByRole('button', { name: 'More actions' })).toBeFocused();
  await expect.poll(() => rowNames(left)).toEqual(['harbour.txt', 'lighthouse.txt']);
  await sizeHeader.getByRole('button').click();

  // Click, shift-click and ctrl-click select; the footer counts the selection.
  await row(left, 'lighthouse.txt').click();
  await expect(row(left, 'lighthouse.txt')).toHaveAttribute('aria-selected', 'true');
  await row(left, 'harbour.txt').click({ modifiers: ['Shift'] });
  await expect(left.getByText('2 selected')).toBeVisible();
  await row(left, 'lighthouse.txt').click({ modifiers: ['Control'] });
  await expect(row(left, 'lighthouse.txt')).toHaveAttribute('aria-selected', 'false');
  await expect(row(left, 'harbour.txt')).toHaveAttribute('aria-selected', 'true');
  await expect(left.getByText('1 selected')).toBeVisible();
});

test('an error listing shows the service message and code', async ({ app: page, ferry }) => {
  const left = pane(page, 'left');
  await openPath(page, 'left', ['sample-backup']);
  // The bucket disappears under the app: the refresh must say so, not show an empty folder.
  const { rmSync } = await import('node:fs');
  rmSync(`${ferry.dataDir}/local/sample-backup`, { recursive: true, force: true });
  await left.getByRole('button', { name: 'Refresh' }).click();
  const alert = left.getByRole('alert');
  await expect(alert).toContainText('NoSuchBucket');
  await expect(alert.getByRole('button', { name: 'Retry' })).toBeVisible();
});
