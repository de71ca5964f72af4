/**
 * An S3 account against Ceph RGW as a new user meets it: a wrong secret is caught when saving (and
 * can still be saved for an account that is offline), the form's Test button, and fixing only the
 * secret — the access key ID stays, shown, and nothing reads like a developer error.
 *
 * Needs the RGW that `npm test` starts (FERRY_TEST_S3_ENDPOINT); without it these tests skip and say why.
 */
import { expect, test, accountAction } from './fixtures';

const endpoint = process.env.FERRY_TEST_S3_ENDPOINT;
const SKIP_REASON = 'FERRY_TEST_S3_ENDPOINT is not set: these tests need Ceph RGW (`npm test` starts one)';
if (!endpoint) console.log(`skipped accounts-rgw.spec.ts: ${SKIP_REASON}`);
test.skip(!endpoint, SKIP_REASON);

const rgw = {
  endpoint: endpoint ?? '',
  accessKeyId: process.env.FERRY_TEST_S3_ACCESS_KEY_ID ?? 'testkey',
  secretAccessKey: process.env.FERRY_TEST_S3_SECRET_ACCESS_KEY ?? 'testsecret',
  region: process.env.FERRY_TEST_S3_REGION ?? 'us-east-1',
};
const ACCOUNT = 'Typo RGW';

test('a wrong secret is caught at Save, saved anyway on request, and fixed by entering only the secret', async ({
  app: page,
}) => {
  const sidebar = page.getByRole('complementary', { name: 'Accounts' });
  await sidebar.getByRole('button', { name: 'Add account' }).click();
  const form = page.getByRole('dialog', { name: 'Add account' });
  await form.getByRole('textbox', { name: 'Name' }).fill(ACCOUNT);
  await form.getByRole('combobox', { name: 'Provider' }).selectOption({ label: 'S3-compatible' });
  await form
    .getByRole('combobox', { name: 'Service' })
    .selectOption({ label: 'MinIO, Ceph or other (custom endpoint)' });
  await form.getByRole('textbox', { name: 'Region' }).fill(rgw.region);
  await form.getByRole('textbox', { name: 'Endpoint' }).fill(rgw.endpoint);
  await form.getByRole('textbox', { name: 'Access key ID' }).fill(rgw.accessKeyId);
  await form.getByLabel('Secret access key').fill('not-the-secret');

  // Test says it fails; Save tries the same and keeps the form open instead of saving in silence.
  await form.getByRole('button', { name: 'Test' }).click();
  await expect(form.getByRole('alert')).toContainText('Connection failed');
  await form.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(form.getByRole('alert')).toContainText('Connection failed');
  await expect(form).toBeVisible();
  await expect(sidebar.getByRole('button', { name: `${ACCOUNT} S3-compatible` })).toBeHidden();
  await form.getByRole('button', { name: 'Save anyway' }).click();
  await expect(form).toBeHidden();
  await expect(sidebar.getByRole('button', { name: `${ACCOUNT} S3-compatible` })).toBeVisible();

  // Fix only the secret: the key ID is shown and kept; the secret alone is accepted.
  await accountAction(page, `${ACCOUNT}`, `Edit ${ACCOUNT}`);
  const edit = page.getByRole('dialog', { name: `Edit account ${ACCOUNT}` });
  await expect(edit.getByRole('textbox', { name: 'Access key ID' })).toHaveValue(rgw.accessKeyId);
  await expect(edit.getByLabel('Secret access key')).toHaveValue('');
  await edit.getByLabel('Secret access key').fill(rgw.secretAccessKey);
  await edit.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(edit).toBeHidden();
  await accountAction(page, `${ACCOUNT}`, `Test connection of ${ACCOUNT}`);
  await expect(sidebar.getByRole('status').filter({ hasText: 'Connection' })).toContainText('Connection OK');
  expect(await page.content()).not.toMatch(/invalid argument|Too small|expected string/);
});
