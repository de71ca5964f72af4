/**
 * What a copy or upload does with metadata and existing names, decided by a person in dialogs that
 * always open on the safe choices: REPLACE never carried into the next dialog, a folder copy with
 * COPY keeping every object's own content type and user metadata (checked on the server, the Local
 * provider's files), REPLACE that changes only the fields filled in, uploads that ask about existing
 * names, and copies that ask nothing once "Don't ask again" is chosen — except when a name exists.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { LocalStore } from '../../main/storage/local/local-store';
import { expect, listing, openPath, pane, row, test, transfer } from './fixtures';

const SOURCE = 'meta-src';

/** Three objects, each with its own content type and metadata, put through the Local provider itself. */
async function seedObjectsWithMetadata(dataDir: string): Promise<void> {
  const root = path.join(dataDir, 'local');
  mkdirSync(path.join(root, SOURCE), { recursive: true });
  const store = new LocalStore(root);
  const put = (key: string, body: string, metadata: Parameters<LocalStore['putObject']>[4]) =>
    store.putObject(SOURCE, key, Buffer.from(body), Buffer.byteLength(body), metadata);
  await put('photos/a.jpg', 'not really a jpeg', {
    metadata: { contentType: 'image/jpeg', userMeta: { camera: 'x100v' } },
  });
  await put('photos/b.pdf', 'not really a pdf', {
    metadata: { contentType: 'application/pdf', cacheControl: 'no-cache', userMeta: { owner: 'ann' } },
  });
  await put('photos/c.txt', 'plain text', { metadata: { contentType: 'text/plain', userMeta: {} } });
}

function serverHead(dataDir: string, bucket: string, key: string) {
  return new LocalStore(path.join(dataDir, 'local')).headObject({ bucket, key }).then((h) => h.metadata);
}

async function openSettings(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Settings' }).click();
}

async function openBrowser(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Browser' }).click();
}

test.describe('metadata and conflict choices', () => {
  test.use({ prepareDataDir: { run: seedObjectsWithMetadata } });

  test('REPLACE is never carried into the next dialog, and a folder copy with COPY keeps every content type', async ({
    app: page,
    ferry,
  }) => {
    const left = pane(page, 'left');
    const right = pane(page, 'right');
    const dialog = page.getByRole('dialog');
    await openPath(page, 'left', [SOURCE]);
    await openPath(page, 'right', ['sample-backup']);

    // A folder copy that changes one header: the others stay each object's own.
    await row(left, 'photos/').dragTo(listing(right));
    await expect(dialog).toHaveAccessibleName('Copy 1 item');
    await dialog.getByRole('radio', { name: 'Replace metadata (REPLACE)' }).check();
    await expect(
      dialog.getByRole('radio', {
        name: 'Change only the fields I fill in (each object keeps its other values)',
      }),
    ).toBeChecked();
    await dialog.getByRole('textbox', { name: 'Cache-Control' }).fill('max-age=60');
    await expect(
      dialog.getByText('Metadata: 1 field changes; each object keeps its other values.'),
    ).toBeVisible();
    await dialog.getByRole('combobox', { name: 'If the destination exists' }).selectOption('keep-both');
    await dialog.getByRole('button', { name: 'Copy', exact: true }).click();
    await expect(transfer(page, 'photos/').getByText('Done')).toBeVisible();
    expect(await serverHead(ferry.dataDir, 'sample-backup', 'photos/a.jpg')).toEqual({
      contentType: 'image/jpeg',
      cacheControl: 'max-age=60',
      userMeta: { camera: 'x100v' },
    });
    expect(await serverHead(ferry.dataDir, 'sample-backup', 'photos/b.pdf')).toEqual({
      contentType: 'application/pdf',
      cacheControl: 'max-age=60',
      userMeta: { owner: 'ann' },
    });

    // The next drag opens on COPY and on the conflict policy from Settings, not on the last choices.
    await row(left, 'photos/').dragTo(listing(right));
    await expect(dialog.getByRole('radio', { name: 'Keep the source metadata (COPY)' })).toBeChecked();
    await expect(dialog.getByRole('combobox', { name: 'If the destination exists' })).toHaveValue(
      'overwrite',
    );
    await expect(dialog.getByText('Metadata: each object keeps its own.')).toBeVisible();
    await dialog.getByRole('button', { name: 'Copy', exact: true }).click();
    await expect(transfer(page, 'photos/').first().getByText('Done')).toBeVisible();
    await expect
      .poll(() => serverHead(ferry.dataDir, 'sample-backup', 'photos/b.pdf'))
      .toEqual({ contentType: 'application/pdf', cacheControl: 'no-cache', userMeta: { owner: 'ann' } });
    expect(await serverHead(ferry.dataDir, 'sample-backup', 'photos/a.jpg')).toEqual({
      contentType: 'image/jpeg',
      userMeta: { camera: 'x100v' },
    });
    expect(await serverHead(ferry.dataDir, 'sample-backup', 'photos/c.txt')).toEqual({
      contentType: 'text/plain',
      userMeta: {},
    });

    // The policy Settings names is the one every dialog starts with.
    await openSettings(page);
    await page.getByRole('combobox', { name: 'When a name already exists' }).selectOption('skip');
    await openBrowser(page);
    await row(left, 'photos/').dragTo(listing(right));
    await expect(dialog.getByRole('combobox', { name: 'If the destination exists' })).toHaveValue('skip');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });

  test('REPLACE shows one object its own values, and for several says every object gets exactly these', async ({
    app: page,
    ferry,
  }) => {
    const left = pane(page, 'left');
    const dialog = page.getByRole('dialog');
    await openPath(page, 'left', [SOURCE, 'photos/']);
    await openPath(page, 'right', ['sample-backup']);

    await row(left, 'a.jpg').click();
    await left.getByRole('button', { name: 'Copy to other pane' }).click();
    await dialog.getByRole('radio', { name: 'Replace metadata (REPLACE)' }).check();
    await expect(dialog.getByRole('textbox', { name: 'Content-Type' })).toHaveValue('image/jpeg');
    await expect(dialog.getByRole('textbox', { name: 'Metadata name 1' })).toHaveValue('camera');
    await expect(dialog.getByRole('textbox', { name: 'Metadata value 1' })).toHaveValue('x100v');
    await expect(dialog.getByText('x-amz-meta-')).toBeVisible();
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    await row(left, 'b.pdf').click({ modifiers: ['Control'] });
    await left.getByRole('button', { name: 'Copy to other pane' }).click();
    await expect(dialog).toHaveAccessibleName('Copy 2 items');
    await dialog.getByRole('radio', { name: 'Replace metadata (REPLACE)' }).check();
    await dialog
      .getByRole('radio', { name: 'Give every object exactly these values (fields left empty are removed)' })
      .check();
    await dialog.getByRole('textbox', { name: 'Content-Type' }).fill('text/plain');
    await expect(
      dialog.getByText('Metadata: every object gets exactly the values above; anything else is removed.'),
    ).toBeVisible();
    await dialog.getByRole('button', { name: 'Copy', exact: true }).click();
    await expect(transfer(page, 'b.pdf').getByText('Done')).toBeVisible();
    await expect(transfer(page, 'a.jpg').getByText('Done')).toBeVisible();
    expect(await serverHead(ferry.dataDir, 'sample-backup', 'b.pdf')).toEqual({
      contentType: 'text/plain',
      userMeta: {},
    });
  });
});

test('files dropped from the desktop onto existing names: the list, the choice, and Skip kept the original', async ({
  app: page,
  ferry,
}) => {
  const right = pane(page, 'right');
  await openPath(page, 'right', ['sample-backup']);
  const dataTransfer = await page.evaluateHandle(() => {
    const dt = new DataTransfer();
    dt.items.add(new File(['dropped over the readme\n'], 'README.txt', { type: 'text/plain' }));
    dt.items.add(new File(['a new file\n'], 'new.txt', { type: 'text/plain' }));
    return dt;
  });
  const target = listing(right);
  await target.dispatchEvent('dragenter', { dataTransfer });
  await target.dispatchEvent('dragover', { dataTransfer });
  await target.dispatchEvent('drop', { dataTransfer });
  const dialog = page.getByRole('dialog', { name: 'Upload 2 files' });
  const existing = dialog.getByRole('note', { name: 'What will be replaced' });
  await expect(existing).toContainText('this existing object at the destination will be replaced');
  await expect(existing.getByRole('listitem')).toHaveText(['README.txt']);
  await expect(dialog.getByRole('button', { name: 'Upload and replace 1 existing object' })).toBeVisible();
  await dialog.getByRole('combobox', { name: 'If the destination exists' }).selectOption('skip');
  await expect(existing).toContainText('This object exists at the destination and will be left as they are');
  await dialog.getByRole('button', { name: 'Upload', exact: true }).click();

  await expect(transfer(page, 'new.txt').getByText('Done')).toBeVisible();
  await expect(transfer(page, 'README.txt').getByText('Skipped (kept the existing one)')).toBeVisible();
  const local = path.join(ferry.dataDir, 'local', 'sample-backup');
  expect(readFileSync(path.join(local, 'README.txt'), 'utf8')).toBe('An empty-ish bucket to copy into.\n');
  expect(readFileSync(path.join(local, 'new.txt'), 'utf8')).toBe('a new file\n');
});

test("Don't ask again: a drop that meets no name starts at once, one that does asks only about the names", async ({
  app: page,
  ferry,
}) => {
  const left = pane(page, 'left');
  const right = pane(page, 'right');
  const dialog = page.getByRole('dialog');
  await openPath(page, 'left', ['sample-photos', '2025/']);
  await openPath(page, 'right', ['sample-backup']);

  await row(left, 'ferry at dawn.txt').dragTo(listing(right));
  await dialog
    .getByRole('checkbox', { name: "Don't ask again for simple copies (Settings brings it back)" })
    .check();
  await dialog.getByRole('button', { name: 'Copy', exact: true }).click();
  await expect(transfer(page, 'ferry at dawn.txt').getByText('Done')).toBeVisible();

  // No name in the way: no dialog at all, the copy just runs.
  await row(left, '渡船.txt').dragTo(listing(right));
  await expect(transfer(page, '渡船.txt').getByText('Done')).toBeVisible();
  await expect(dialog).toBeHidden();
  await expect(row(right, '渡船.txt')).toBeVisible();

  // A name in the way: one question, for all of them.
  await row(left, 'ferry at dawn.txt').dragTo(listing(right));
  await expect(dialog).toHaveAccessibleName('1 name already exists at the destination');
  await expect(dialog.getByRole('listitem')).toHaveText(['ferry at dawn.txt']);
  await dialog.getByRole('button', { name: 'Keep both' }).click();
  await expect(dialog).toBeHidden();
  await expect(row(right, 'ferry at dawn (1).txt')).toBeVisible();
  expect(
    readFileSync(path.join(ferry.dataDir, 'local', 'sample-backup', 'ferry at dawn (1).txt'), 'utf8'),
  ).toBe('Keys with spaces work too.\n');

  // Settings brings the dialog back.
  await openSettings(page);
  const ask = page.getByRole('checkbox', { name: /Ask before every copy/ });
  await expect(ask).not.toBeChecked();
  await ask.check();
  await openBrowser(page);
  await row(left, '渡船.txt').dragTo(listing(right));
  await expect(dialog).toHaveAccessibleName('Copy 1 item');
});
