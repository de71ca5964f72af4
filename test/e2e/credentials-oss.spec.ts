/**
 * Temporary OSS credentials expiring in the middle of a copy, as a person meets it: an OSS account
 * with STS keys added in the form, a multipart copy dragged between folders, the keys expired by the
 * OSS gateway after two parts; the transfers panel shows the task paused with "Credentials expired"
 * and an "Edit account" button; new keys saved in that form resume the copy to a byte-identical
 * object.
 *
 * Needs the RGW that `npm test` starts (FERRY_TEST_S3_ENDPOINT); without it this test skips and says why.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Locator } from '@playwright/test';
import type { Readable } from 'node:stream';
import { startOssGateway, type OssGateway } from '../servers/oss-gateway/server';
import type { IssuedCredentials } from '../servers/oss-gateway/sts';
import { rgwTimeout, useRgwForE2e } from '../support/rgw-e2e';
import { expect, listing, openPath, pane, row, test, transfer } from './fixtures';

const rgwE2e = useRgwForE2e('credentials-oss.spec.ts');
const ACCOUNT = 'OSS with STS keys';
const MiB = 1024 * 1024;
let gateway: OssGateway | undefined;

test.beforeAll(async () => {
  if (rgwE2e.target.endpoint) gateway = await startOssGateway({ s3: rgwE2e.target.endpoint });
});
test.afterAll(async () => {
  await gateway?.close();
});

async function fillKeys(form: Locator, keys: IssuedCredentials) {
  await form.getByRole('textbox', { name: 'Access key ID' }).fill(keys.accessKeyId);
  await form.getByLabel('Secret access key').fill(keys.secretAccessKey);
  await form.getByLabel('Session token (optional)').fill(keys.securityToken);
}

test('expired STS keys pause a copy with "Credentials expired"; saving new keys from its button resumes it', async ({
  app: page,
}) => {
  const bucket = await rgwE2e.newBucket('e2e-sts');
  const body = randomBytes(20 * MiB);
  await rgwE2e.store().putObject(bucket, 'big.bin', body, body.length, {}, rgwTimeout());
  await rgwE2e.store().putObject(bucket, 'copies/readme.txt', Buffer.from('x'), 1, {}, rgwTimeout());
  const first = gateway!.sts.issue();

  const sidebar = page.getByRole('complementary', { name: 'Accounts' });
  await sidebar.getByRole('button', { name: 'Add account' }).click();
  const form = page.getByRole('dialog', { name: 'Add account' });
  await form.getByRole('textbox', { name: 'Name' }).fill(ACCOUNT);
  await form.getByRole('combobox', { name: 'Provider' }).selectOption({ label: 'Alibaba Cloud OSS' });
  await form.getByRole('combobox', { name: 'Region' }).selectOption({ value: 'cn-hangzhou' });
  await form.getByRole('combobox', { name: 'Endpoint type' }).selectOption({ label: 'Custom' });
  await form.getByRole('textbox', { name: 'Endpoint' }).fill(gateway!.endpoint);
  await fillKeys(form, first);
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(form).toBeHidden();

  // Parts of 5 MiB (RGW's minimum under the gateway), one at a time: four parts.
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Settings' }).click();
  await page.getByRole('spinbutton', { name: 'Parts in flight per object' }).fill('1');
  await page.getByRole('spinbutton', { name: 'Multipart threshold (MiB)' }).fill('8');
  await page.getByRole('spinbutton', { name: 'Part size (MiB)' }).fill('5');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('Settings saved.')).toBeVisible();
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Browser' }).click();

  for (const side of ['left', 'right'] as const) {
    await pane(page, side)
      .getByRole('navigation', { name: 'Path' })
      .getByRole('button', { name: 'Accounts' })
      .click();
    await openPath(page, side, [ACCOUNT, bucket]);
  }
  await openPath(page, 'right', ['copies/']);
  await expect(row(pane(page, 'right'), 'readme.txt')).toBeVisible();

  gateway!.sts.expireWhen(first.accessKeyId, (req) => req.query.partNumber === '3');
  await row(pane(page, 'left'), 'big.bin').dragTo(listing(pane(page, 'right')));
  await page.getByRole('dialog').getByRole('button', { name: 'Copy', exact: true }).click();

  const task = transfer(page, 'big.bin');
  await expect(task.getByText('Credentials expired')).toBeVisible({ timeout: 60_000 });
  await expect(task.getByText('Failed')).toHaveCount(0);
  await task.getByRole('button', { name: `Edit account ${ACCOUNT} to resume` }).click();

  const edit = page.getByRole('dialog', { name: `Edit account ${ACCOUNT}` });
  await fillKeys(edit, gateway!.sts.issue());
  await edit.getByRole('button', { name: 'Save' }).click();
  await expect(edit).toBeHidden();
  await expect(task.getByText('Done')).toBeVisible({ timeout: 60_000 });

  const copied = createHash('md5');
  for await (const c of (await rgwE2e
    .store()
    .getObject({ bucket, key: 'copies/big.bin' }, undefined, rgwTimeout())) as Readable)
    copied.update(c as Buffer);
  expect(copied.digest('hex')).toBe(createHash('md5').update(body).digest('hex'));
});
