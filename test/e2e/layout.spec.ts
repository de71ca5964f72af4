/**
 * A small window (1024×700): names stay readable (size and date give way first), columns resize,
 * the Details panel starts hidden and a toggle brings it back, the pane toolbar is one row, and a
 * dialog keeps its buttons in view.
 */
import type { Locator } from '@playwright/test';
import { expect, listing, openPath, pane, row, test } from './fixtures';

test.use({ viewport: { width: 1024, height: 700 } });

/** The rendered width of every visible row's name cell. */
function nameWidths(scope: Locator): Promise<number[]> {
  return listing(scope)
    .getByRole('option')
    .evaluateAll((rows) =>
      rows
        .filter((r) => r.getBoundingClientRect().height > 0)
        .map((r) => r.querySelector('.name')!.getBoundingClientRect().width),
    );
}

test('at 1024×700 names stay readable, the toolbar is one row, Details toggles, dialogs keep their buttons', async ({
  app: page,
}) => {
  const left = pane(page, 'left');
  const right = pane(page, 'right');
  await openPath(page, 'left', ['sample-photos', '2024/']);
  await openPath(page, 'right', ['sample-backup']);
  await page.screenshot({ path: '/tmp/fb/layout-1024.png' });

  const details = page.getByRole('complementary', { name: 'Details' });
  await expect(details).toHaveCount(0);
  for (const side of [left, right]) {
    const widths = await nameWidths(side);
    expect(widths.length).toBeGreaterThan(0);
    for (const w of widths) expect(w).toBeGreaterThanOrEqual(120);
    // One row: the toolbar is no taller than its tallest control plus its padding.
    const toolbar = side.getByRole('toolbar', { name: 'Pane actions' });
    const box = (await toolbar.boundingBox())!;
    expect(box.height).toBeLessThanOrEqual(40);
  }

  // The Details panel comes back with its toggle, and names still keep their width.
  const toggle = page.getByRole('button', { name: 'Details panel' });
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  await row(left, 'harbour.txt').click();
  await expect(details.getByText('harbour.txt')).toBeVisible();
  for (const side of [left, right]) {
    for (const w of await nameWidths(side)) expect(w).toBeGreaterThanOrEqual(120);
    // The toolbar still fits: its last button ends inside the pane.
    const paneBox = (await side.boundingBox())!;
    const more = (await side.getByRole('button', { name: 'More actions' }).boundingBox())!;
    expect(more.x + more.width).toBeLessThanOrEqual(paneBox.x + paneBox.width);
    expect(
      (await side.getByRole('toolbar', { name: 'Pane actions' }).boundingBox())!.height,
    ).toBeLessThanOrEqual(40);
  }
  await page.screenshot({ path: '/tmp/fb/layout-1024-details.png' });
  await toggle.click();
  await expect(details).toHaveCount(0);

  // Columns resize by dragging their edge: the size column grows, the name gives up the room.
  const sizeEdge = left.getByRole('separator', { name: 'Resize the Size column' });
  const before = Number(await sizeEdge.getAttribute('aria-valuenow'));
  const edge = (await sizeEdge.boundingBox())!;
  await page.mouse.move(edge.x + edge.width / 2, edge.y + edge.height / 2);
  await page.mouse.down();
  await page.mouse.move(edge.x + edge.width / 2 - 40, edge.y + edge.height / 2, { steps: 4 });
  await page.mouse.up();
  await expect.poll(async () => Number(await sizeEdge.getAttribute('aria-valuenow'))).toBe(before + 40);
  const sizeCell = await row(left, 'harbour.txt').locator('.size').boundingBox();
  expect(sizeCell!.width).toBeGreaterThan(before);
  // And from the keyboard.
  await sizeEdge.focus();
  await page.keyboard.press('ArrowRight');
  await expect(sizeEdge).toHaveAttribute('aria-valuenow', String(before + 24));

  // The transfers panel is resized from its top edge, by mouse and by keyboard.
  const panel = page.getByRole('region', { name: 'Transfers' });
  const handle = page.getByRole('separator', { name: 'Resize the transfers panel' });
  const tall = (await panel.boundingBox())!.height;
  const top = (await handle.boundingBox())!;
  await page.mouse.move(top.x + 200, top.y + top.height / 2);
  await page.mouse.down();
  await page.mouse.move(top.x + 200, top.y + top.height / 2 - 100, { steps: 4 });
  await page.mouse.up();
  await expect.poll(async () => (await panel.boundingBox())!.height).toBeGreaterThan(tall + 80);
  const taller = (await panel.boundingBox())!.height;
  await handle.focus();
  await page.keyboard.press('ArrowDown');
  await expect.poll(async () => (await panel.boundingBox())!.height).toBeLessThan(taller - 10);

  // The copy dialog's buttons are in view, whatever its body holds.
  await row(left, 'harbour.txt').click();
  await row(left, 'lighthouse.txt').click({ modifiers: ['Shift'] });
  await listing(left).press('F5');
  const dialog = page.getByRole('dialog');
  await expect(dialog).toBeVisible();
  await dialog.getByRole('radio', { name: 'Replace metadata (REPLACE)' }).check();
  for (let i = 0; i < 4; i++) await dialog.getByRole('button', { name: 'Add metadata' }).click();
  await page.screenshot({ path: '/tmp/fb/layout-1024-dialog.png' });
  await expect(dialog.getByRole('button', { name: 'Copy', exact: true })).toBeInViewport({ ratio: 1 });
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeInViewport({ ratio: 1 });
});
