/**
 * On the Local provider: an overwrite names what it replaces (objects and folders, copy and move)
 * before anything is copied; the log view filters by level and text, shows task and request ids and
 * names its file; and the page carries its CSP in a <meta> tag that holds where no header applies.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ELECTRON_CSP } from '../../main/electron/window-security';
import { contentSecurityPolicy } from '../../main/web/server';
import { expect, expectEveryControlNamed, openPath, pane, row, test, transfer } from './fixtures';

test('the copy dialog names the objects and folders an overwrite would replace, for copy and move', async ({
  app: page,
}) => {
  const left = pane(page, 'left');
  await openPath(page, 'left', ['sample-photos']);
  await openPath(page, 'right', ['sample-backup']);

  // README.txt exists on both sides: "Overwrite" (the default) says it will be replaced.
  await row(left, 'README.txt').click();
  await left.getByRole('button', { name: 'Copy to other pane' }).click();
  // One dialog at a time; its name changes from "Copy" to "Move" with the operation.
  const dialog = page.getByRole('dialog');
  await expect(dialog).toHaveAccessibleName('Copy 1 item');
  await expect(dialog.getByRole('combobox', { name: 'If the destination exists' })).toHaveValue('overwrite');
  const replaced = dialog.getByRole('note', { name: 'What will be replaced' });
  await expect(replaced).toContainText('this existing object at the destination will be replaced');
  await expect(replaced.getByRole('listitem')).toHaveText(['README.txt']);
  // The button says what will happen, in the singular.
  await expect(dialog.getByRole('button', { name: 'Copy and replace 1 existing object' })).toBeVisible();
  await expectEveryControlNamed(page);
  // Moving overwrites just the same.
  await dialog.getByRole('radio', { name: 'Move (copy, then delete the originals)' }).check();
  await expect(dialog).toHaveAccessibleName('Move 1 item');
  await expect(replaced.getByRole('listitem')).toHaveText(['README.txt']);
  await expect(dialog.getByRole('button', { name: 'Move and replace 1 existing object' })).toBeVisible();
  // Another policy replaces nothing: the note says what happens instead, and the button is plain.
  await dialog.getByRole('combobox', { name: 'If the destination exists' }).selectOption('keep-both');
  await expect(replaced).toContainText('This object exists at the destination and will stay');
  await expect(replaced).not.toContainText('replaced');
  await expect(dialog.getByRole('button', { name: 'Move and delete originals' })).toBeVisible();
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  // A folder not yet at the destination: nothing alarming, said plainly once the check is done.
  await row(left, '2024/').click();
  await left.getByRole('button', { name: 'Copy to other pane' }).click();
  await expect(dialog.getByRole('status')).toHaveText(
    'Nothing at the destination has these names: nothing will be replaced.',
  );
  await expect(replaced).toBeHidden();
  await dialog.getByRole('button', { name: 'Copy', exact: true }).click();
  await expect(transfer(page, '2024/').getByText('Done')).toBeVisible();

  // Now it is there: the dialog says objects under it with the same names will be replaced.
  await left.getByRole('button', { name: 'Copy to other pane' }).click();
  await expect(replaced).toContainText(
    'The folder 2024/ already exists at the destination: objects in it with the same names as in the copied folder will be replaced.',
  );
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  // A folder and an object together, only the object clashing.
  await row(left, 'README.txt').click({ modifiers: ['Control'] });
  await row(left, '2025/').click({ modifiers: ['Control'] });
  await row(left, '2024/').click({ modifiers: ['Control'] });
  await left.getByRole('button', { name: 'Copy to other pane' }).click();
  await expect(dialog).toHaveAccessibleName('Copy 2 items');
  await expect(replaced.getByRole('listitem')).toHaveText(['README.txt']);
  await expect(replaced).not.toContainText('2025/');
  await expect(dialog.getByRole('button', { name: 'Copy and replace 1 existing object' })).toBeVisible();
});

test.describe('with a damaged checkpoint that the host logs as an error at start', () => {
  test.use({
    prepareDataDir: {
      run(dataDir: string) {
        mkdirSync(path.join(dataDir, 'checkpoints'), { recursive: true });
        writeFileSync(path.join(dataDir, 'checkpoints', 'task-broken.json'), 'not a checkpoint');
      },
    },
  });

  test('the log view filters by level and text, shows task ids, and names the log file', async ({
    app: page,
    ferry,
  }) => {
    await openPath(page, 'left', ['sample-photos']);
    await openPath(page, 'right', ['sample-backup']);
    const left = pane(page, 'left');
    await row(left, '2025/').click();
    await left.getByRole('button', { name: 'Copy to other pane' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Copy', exact: true }).click();
    await expect(transfer(page, '2025/').getByText('Done')).toBeVisible();

    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Logs' }).click();
    const view = page.getByRole('region', { name: 'Log' });
    await expect(view.getByLabel('Log file:')).toHaveText(path.join(ferry.dataDir, 'logs', 'ferry.log'));
    const table = view.getByRole('table', { name: 'Log lines' });
    await expect(table.getByRole('columnheader')).toHaveText([
      'Time',
      'Level',
      'Message',
      'Task ID',
      'Request ID',
    ]);
    const rows = table.getByRole('rowgroup').last().getByRole('row');

    // The finished copy's line carries its task id in its own column; searching for the id finds it.
    const doneRow = rows.filter({ hasText: /task \S+ done/ }).first();
    await expect(doneRow).toBeVisible();
    const taskId = (await doneRow.getByRole('cell').nth(3).textContent()) ?? '';
    expect(taskId).toMatch(/^[A-Za-z0-9_-]+$/);
    await expect(doneRow.getByRole('cell').nth(2)).toContainText(`task ${taskId} done`);
    const search = view.getByRole('searchbox', { name: 'Search the log' });
    await search.fill(taskId);
    await expect(rows.first()).toBeVisible();
    for (const cells of await rows.evaluateAll((trs) => trs.map((tr) => tr.textContent ?? '')))
      expect(cells).toContain(taskId);
    await search.fill('no line says this');
    await expect(rows).toHaveCount(0);
    await expect(view.getByText('No log lines match.')).toBeVisible();
    await search.fill('');

    // Errors only: the damaged checkpoint, and nothing of lower level.
    const level = view.getByRole('combobox', { name: 'Level' });
    await level.selectOption({ label: 'Errors only' });
    await expect(rows.filter({ hasText: 'task-broken.json' })).toHaveCount(1);
    expect(new Set(await rows.locator('td.level').allTextContents())).toEqual(new Set(['error']));
    await level.selectOption({ label: 'All levels' });
    await expect(rows.filter({ hasText: /task \S+ done/ }).first()).toBeVisible();
    await expectEveryControlNamed(page);
  });
});

/** Directive → sources, from a CSP string. */
function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...sources]) => [name!, sources]),
  );
}

test('the page carries a CSP <meta> at least as strict as both hosts send, and it holds without the header', async ({
  app: page,
}) => {
  const meta = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  expect(meta, 'a CSP <meta> in index.html').toBeTruthy();
  const ours = directives(meta!);
  // Every directive either host sends is in the meta with the same sources, except what a meta
  // cannot carry (frame-ancestors) and the one the two hosts must differ on: the web host's page
  // talks to its own origin over a WebSocket; Electron's header forbids all connections on top.
  for (const [host, csp] of [
    ['web', contentSecurityPolicy()],
    ['electron', ELECTRON_CSP],
  ] as const) {
    for (const [name, sources] of directives(csp)) {
      if (name === 'frame-ancestors') continue;
      if (host === 'electron' && name === 'connect-src') continue;
      expect(ours.get(name), `${name} of the ${host} host's CSP`).toEqual(sources);
    }
  }
  expect(ours.get('connect-src')).toEqual(["'self'"]);
  expect(ours.get('default-src')).toEqual(["'none'"]);

  // The built page opened from a file, as Electron does, where no header applies: the meta alone
  // refuses an inline script and a connection elsewhere.
  const file = await page.context().newPage();
  await file.goto(`file://${path.join(__dirname, '..', '..', 'dist', 'renderer', 'index.html')}`);
  const refused = await file.evaluate(async () => {
    const seen = new Set<string>();
    // Resolves once both refusals have been reported (the test's timeout bounds the wait).
    const both = new Promise<void>((resolve) =>
      document.addEventListener('securitypolicyviolation', (e) => {
        seen.add(e.effectiveDirective);
        if (seen.has('script-src-elem') && seen.has('connect-src')) resolve();
      }),
    );
    const script = document.createElement('script');
    script.textContent = 'window.__inlineRan = true;';
    document.head.append(script);
    await fetch('http://127.0.0.1:9/').catch(() => undefined);
    await both;
    return {
      seen: [...seen],
      inlineRan: Boolean((window as unknown as { __inlineRan?: boolean }).__inlineRan),
    };
  });
  expect(refused.inlineRan).toBe(false);
  expect(refused.seen).toEqual(expect.arrayContaining(['script-src-elem', 'connect-src']));
  await file.close();
});
