/**
 * Versions against Ceph RGW, as a person uses them: Show versions lists every version and delete
 * marker of a folder's objects, newest first with "latest"; choosing an older one shows its version
 * id; Restore this version makes it the current object again (a new version; the others stay); and
 * a version copied to the other pane is that version, not the current one.
 *
 * Needs the RGW that `npm test` starts (FERRY_TEST_S3_ENDPOINT); without it these tests skip and say why.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { addRgwAccount, openRgwBucket, rgwTimeout, useRgwForE2e } from '../support/rgw-e2e';
import { expect, openPath, pane, row, test } from './fixtures';

const rgwE2e = useRgwForE2e('versions-rgw.spec.ts');

async function text(bucket: string, key: string): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of await rgwE2e.store().getObject({ bucket, key }, undefined, rgwTimeout()))
    chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString();
}

/** The versions a test made: the spec's cleanup removes current objects only. */
async function removeVersions(bucket: string): Promise<void> {
  const store = rgwE2e.store();
  for (;;) {
    const page = await store.listObjectVersions(bucket, {}, rgwTimeout());
    if (page.versions.length === 0) return;
    await store.deleteObjectVersions(bucket, page.versions, rgwTimeout());
  }
}

test('Show versions lists every version newest first; Restore this version makes an older one current; a copied version is that version', async ({
  app: page,
  ferry,
}) => {
  const bucket = await rgwE2e.newBucket('e2e-versions');
  const store = rgwE2e.store();
  await store.setBucketVersioning(bucket, 'Enabled', rgwTimeout());
  const first = await store.putObject(bucket, 'notes.txt', Buffer.from('draft one'), 9, {}, rgwTimeout());
  await store.putObject(bucket, 'notes.txt', Buffer.from('draft two!'), 10, {}, rgwTimeout());
  await store.putObject(bucket, 'old.txt', Buffer.from('x'), 1, {}, rgwTimeout());
  await store.deleteObject(bucket, 'old.txt', rgwTimeout());
  const firstId = first.versionId!;
  try {
    await showAndRestore();
  } finally {
    await removeVersions(bucket);
  }

  async function showAndRestore() {
    await addRgwAccount(page, rgwE2e.target, 'RGW');
    await openRgwBucket(page, 'left', 'RGW', bucket);
    await openPath(page, 'right', ['sample-backup']);
    const left = pane(page, 'left');
    const toggle = left.getByRole('button', { name: 'Show versions' });
    await toggle.click();
    await expect(toggle).toHaveAttribute('aria-pressed', 'true');
    const versions = left.getByRole('listbox', { name: 'Versions' });
    const options = versions.getByRole('option');
    await expect(options).toHaveCount(4);
    const names = await options.evaluateAll((rows) => rows.map((r) => r.getAttribute('aria-label') ?? ''));
    expect(names[0]).toMatch(/^notes\.txt \S+ \(latest\)$/);
    expect(names[1]).toBe(`notes.txt ${firstId}`);
    expect(names[2]).toMatch(/^old\.txt \S+ \(latest, delete marker\)$/);
    expect(names[3]).toMatch(/^old\.txt \S+$/);

    const restore = left.getByRole('button', { name: 'Restore this version' });
    await options.first().click();
    await expect(restore).toBeDisabled(); // the latest is already current
    const older = versions.getByRole('option', { name: `notes.txt ${firstId}`, exact: true });
    await older.click();
    await expect(left.getByRole('definition').filter({ hasText: firstId })).toBeVisible();

    // Copied to the other pane: that version's bytes, not the current ones.
    await page.keyboard.press('F5');
    const copyDialog = page.getByRole('dialog');
    await copyDialog.getByRole('button', { name: /^Copy/ }).last().click();
    await expect(copyDialog).toBeHidden();
    await expect(row(pane(page, 'right'), 'notes.txt')).toBeVisible({ timeout: 30_000 });
    expect(readFileSync(path.join(ferry.dataDir, 'local', 'sample-backup', 'notes.txt'), 'utf8')).toBe(
      'draft one',
    );

    await restore.click();
    await expect(left.getByRole('status').filter({ hasText: 'notes.txt is restored' })).toBeVisible({
      timeout: 30_000,
    });
    expect(await text(bucket, 'notes.txt')).toBe('draft one');
    await expect(options).toHaveCount(5);
    await expect(options.first()).toHaveAttribute('aria-label', /^notes\.txt \S+ \(latest\)$/);

    await toggle.click();
    await expect(row(left, 'notes.txt')).toBeVisible();
  }
});
