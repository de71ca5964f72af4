/**
 * The accounts sidebar: the add form's OSS regions and S3 presets, keys typed once and never shown
 * again, test connection (success, and a failure with the service's request id), edit and remove.
 * The OSS account talks to the signature-checking fake OSS from test/support.
 */
import { errorXml, FakeOss, xml } from '../support/oss-fake-server';
import type { Received } from '../support/oss-fake-server';
import { expect, expectEveryControlNamed, openPath, pane, row, test, accountAction } from './fixtures';

const fake = new FakeOss();
test.beforeAll(async () => {
  await fake.start();
});
test.afterAll(async () => {
  await fake.stop();
});

const oneBucket = () =>
  xml(
    '<ListAllMyBucketsResult><IsTruncated>false</IsTruncated><Buckets><Bucket><Name>fake-photos</Name>' +
      '<Location>oss-cn-shanghai</Location><Region>cn-shanghai</Region>' +
      '<CreationDate>2024-01-01T00:00:00.000Z</CreationDate><StorageClass>Standard</StorageClass>' +
      '</Bucket></Buckets></ListAllMyBucketsResult>',
  );

/** A tiny OSS bucket: one folder and one object with CRC64 and user metadata. */
function fakeBucket(r: Received) {
  if (!r.bucket) return oneBucket();
  if (r.method === 'GET' && r.query['list-type'] === '2')
    return xml(
      '<ListBucketResult><Name>fake-photos</Name><Prefix></Prefix><EncodingType>url</EncodingType>' +
        '<KeyCount>2</KeyCount><IsTruncated>false</IsTruncated>' +
        '<Contents><Key>harbour.jpg</Key><LastModified>2024-05-01T00:00:00.000Z</LastModified>' +
        '<ETag>"5EB63BBBE01EEED093CB22BB8F5ACDC3"</ETag><Size>2048</Size><StorageClass>IA</StorageClass></Contents>' +
        '<CommonPrefixes><Prefix>2024%2F</Prefix></CommonPrefixes></ListBucketResult>',
    );
  if (r.method === 'HEAD' && r.key === 'harbour.jpg')
    return {
      status: 200,
      headers: {
        'content-length': '2048',
        etag: '"5EB63BBBE01EEED093CB22BB8F5ACDC3"',
        'last-modified': 'Wed, 01 May 2024 00:00:00 GMT',
        'x-oss-hash-crc64ecma': '5981764153023615706',
        'x-oss-storage-class': 'IA',
        'content-type': 'image/jpeg',
        'x-oss-meta-camera': 'x100v',
        'x-oss-request-id': 'req-head',
      },
    };
  return { status: 404, body: errorXml('NoSuchKey', 'The specified key does not exist.') };
}

test('adds, tests, browses, edits and removes an OSS account; the form knows regions and presets', async ({
  app: page,
}) => {
  const sidebar = page.getByRole('complementary', { name: 'Accounts' });
  await sidebar.getByRole('button', { name: 'Add account' }).click();
  const form = page.getByRole('dialog', { name: 'Add account' });
  const endpoint = form.getByRole('status').or(form.locator('output'));

  // OSS: the endpoint follows the region and the endpoint type.
  await expect(form.getByRole('combobox', { name: 'Provider' })).toHaveValue('oss');
  await form.getByRole('combobox', { name: 'Region' }).selectOption('cn-shanghai');
  await expect(endpoint).toHaveText('https://oss-cn-shanghai.aliyuncs.com');
  await form
    .getByRole('combobox', { name: 'Endpoint type' })
    .selectOption({ label: 'Internal (same region)' });
  await expect(endpoint).toHaveText('https://oss-cn-shanghai-internal.aliyuncs.com');
  await form
    .getByRole('combobox', { name: 'Endpoint type' })
    .selectOption({ label: 'Transfer acceleration' });
  await expect(endpoint).toHaveText('https://oss-accelerate.aliyuncs.com');

  // S3: AWS regions and Cloudflare R2.
  await form.getByRole('combobox', { name: 'Provider' }).selectOption({ label: 'S3-compatible' });
  await form.getByRole('combobox', { name: 'Region' }).selectOption('eu-west-1');
  await expect(endpoint).toHaveText('https://s3.eu-west-1.amazonaws.com');
  await form.getByRole('combobox', { name: 'Service' }).selectOption({ label: 'Cloudflare R2' });
  await form.getByRole('textbox', { name: 'Cloudflare account ID' }).fill('abc123');
  await expect(endpoint).toHaveText('https://abc123.r2.cloudflarestorage.com');

  // The OSS account we keep: a custom endpoint (the fake OSS).
  await form.getByRole('combobox', { name: 'Provider' }).selectOption({ label: 'Alibaba Cloud OSS' });
  await form.getByRole('combobox', { name: 'Endpoint type' }).selectOption({ label: 'Custom' });
  await form.getByRole('textbox', { name: 'Endpoint' }).fill(fake.origin);
  await form.getByRole('textbox', { name: 'Name' }).fill('Fake OSS');
  await form.getByRole('textbox', { name: 'Access key ID' }).fill(fake.accessKeyId);
  await form.getByLabel('Secret access key').fill(fake.secret);
  await expect(form.getByLabel('Secret access key')).toHaveAttribute('type', 'password');
  await expectEveryControlNamed(page);
  // Save tries the connection first.
  fake.handler = () => oneBucket();
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(form).toBeHidden();
  await expect(sidebar.getByRole('button', { name: 'Fake OSS Alibaba Cloud OSS' })).toBeVisible();

  await accountAction(page, 'Fake OSS', 'Test connection of Fake OSS');
  await expect(sidebar.getByRole('status')).toHaveText('Connection OK: connected: 1 bucket visible');
  await expect(sidebar.getByRole('img', { name: 'Connected' })).toHaveCount(2);
  // The sidebar tried the bucket list before the fake answered; closing and opening retries it.
  const disclosure = sidebar.getByRole('button', { name: 'Fake OSS Alibaba Cloud OSS' });
  if ((await disclosure.getAttribute('aria-expanded')) === 'true') await disclosure.click();
  await disclosure.click();
  await expect(
    sidebar.getByRole('list', { name: 'Buckets of Fake OSS' }).getByRole('button', { name: 'fake-photos' }),
  ).toBeVisible();

  // Browse the bucket: a folder and an object whose details carry CRC64, class and metadata.
  fake.handler = fakeBucket;
  const left = pane(page, 'left');
  await left.getByRole('navigation', { name: 'Path' }).getByRole('button', { name: 'Accounts' }).click();
  await openPath(page, 'left', ['Fake OSS', 'fake-photos']);
  await expect(row(left, '2024/')).toBeVisible();
  await row(left, 'harbour.jpg').click();
  const details = page.getByRole('complementary', { name: 'Details' });
  const field = (name: string) => details.locator('.field').filter({ hasText: name }).getByRole('definition');
  await expect(field('CRC64')).toHaveText('5981764153023615706');
  await expect(field('Storage class')).toHaveText('IA');
  await expect(field('Content type')).toHaveText('image/jpeg');
  await expect(field('x-oss-meta-camera')).toHaveText('x100v');
  await details.getByRole('button', { name: 'Copy link' }).click();
  await expect(details.getByRole('textbox', { name: 'Presigned link' })).toHaveValue(
    new RegExp(`^${fake.origin}/fake-photos/harbour\\.jpg\\?.*(x-oss-signature|Signature)=`, 'i'),
  );

  // A refused key: the message and the service's request id.
  fake.handler = () => ({
    status: 403,
    headers: { 'content-type': 'application/xml', 'x-oss-request-id': 'req-InvalidAccessKeyId' },
    body: errorXml(
      'InvalidAccessKeyId',
      'The OSS Access Key Id you provided does not exist in our records.',
      {
        RequestId: 'rid-e2e-403',
      },
    ),
  });
  await accountAction(page, 'Fake OSS', 'Test connection of Fake OSS');
  // One line that expands to the whole message and the full request id; the dot says it failed.
  const failure = sidebar.getByRole('alert');
  await expect(failure.locator('summary')).toHaveText(
    /^Connection failed: The OSS Access Key Id you provided does not exist/,
  );
  await expect(failure.getByText('Request ID: req-InvalidAccessKeyId')).toBeHidden();
  await failure.locator('summary').click();
  await expect(failure.getByText('Request ID: req-InvalidAccessKeyId')).toBeVisible();
  await expect(sidebar.getByRole('img', { name: 'Connection failed' })).toBeVisible();

  // Editing: the secret is never shown, the key ID is; a new name is saved, the keys are kept.
  fake.handler = () => oneBucket();
  await accountAction(page, 'Fake OSS', 'Edit Fake OSS');
  const edit = page.getByRole('dialog', { name: 'Edit account Fake OSS' });
  await expect(edit.getByRole('textbox', { name: 'Access key ID' })).toHaveValue(fake.accessKeyId);
  await expect(edit.getByLabel('Secret access key')).toHaveValue('');
  await expect(edit.getByRole('textbox', { name: 'Endpoint' })).toHaveValue(fake.origin);
  expect(await page.content()).not.toContain(fake.secret);
  await edit.getByRole('textbox', { name: 'Name' }).fill('Fake OSS 2');
  await edit.getByRole('button', { name: 'Save' }).click();
  await expect(edit).toBeHidden();
  await accountAction(page, 'Fake OSS 2', 'Test connection of Fake OSS 2');
  await expect(sidebar.getByRole('status')).toHaveText('Connection OK: connected: 1 bucket visible');

  // Remove asks first and names the account.
  await accountAction(page, 'Fake OSS 2', 'Remove Fake OSS 2');
  const confirm = page.getByRole('dialog', { name: 'Remove account Fake OSS 2?' });
  await expect(confirm).toContainText('Nothing in its buckets is deleted.');
  await confirm.getByRole('button', { name: 'Remove' }).click();
  await expect(sidebar.getByRole('button', { name: 'Fake OSS 2 Alibaba Cloud OSS' })).toHaveCount(0);
  // The Local account has no edit or remove.
  await sidebar.getByRole('button', { name: 'Actions for Local', exact: true }).click();
  await expect(sidebar.getByRole('menuitem', { name: 'Edit Local' })).toHaveCount(0);
  await expect(sidebar.getByRole('menuitem', { name: 'Remove Local' })).toHaveCount(0);
  await page.keyboard.press('Escape');
  await expect(sidebar.getByRole('menu')).toBeHidden();
});

test('the account menu works from the keyboard, and the bucket filter narrows the list', async ({
  app: page,
}) => {
  const sidebar = page.getByRole('complementary', { name: 'Accounts' });
  const trigger = sidebar.getByRole('button', { name: 'Actions for Local', exact: true });
  await trigger.focus();
  await page.keyboard.press('ArrowDown');
  const menu = sidebar.getByRole('menu', { name: 'Actions for Local' });
  await expect(menu).toBeVisible();
  await expect(trigger).toHaveAttribute('aria-expanded', 'true');
  await expect(menu.getByRole('menuitem')).toHaveText(['Test', 'Refresh', 'New bucket…']);
  await expect(menu.getByRole('menuitem', { name: 'Test connection of Local' })).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(menu.getByRole('menuitem', { name: 'Refresh buckets of Local' })).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await expect(menu.getByRole('menuitem', { name: 'Test connection of Local' })).toBeFocused();
  await page.keyboard.press('End');
  await expect(menu.getByRole('menuitem', { name: 'New bucket in Local…' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(menu).toBeHidden();
  await expect(trigger).toBeFocused();
  // Enter on an item runs it.
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter');
  await expect(sidebar.getByRole('status')).toHaveText('Connection OK: connected: 2 buckets visible');

  const buckets = sidebar.getByRole('list', { name: 'Buckets of Local' }).getByRole('button');
  await expect(buckets).toHaveText(['sample-backup', 'sample-photos']);
  await sidebar.getByRole('searchbox', { name: 'Filter buckets of Local' }).fill('photo');
  await expect(buckets).toHaveText(['sample-photos']);
});
