/**
 * Keys that may not list buckets (an OSS RAM user's, say) reach their bucket through the account's
 * "start at bucket/path": the pane opens there and never asks for the bucket list. The server here
 * refuses ListBuckets and answers the one listing it allows.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Locator, Page } from '@playwright/test';
import { expect, listing, pane, row, test } from './fixtures';

const DENIED = `<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Access Denied</Message><RequestId>req-denied</RequestId></Error>`;
const LISTING = `<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>team-bucket</Name><Prefix>reports/</Prefix>
<KeyCount>1</KeyCount><MaxKeys>1000</MaxKeys><Delimiter>/</Delimiter><IsTruncated>false</IsTruncated>
<Contents><Key>reports/q3.csv</Key><LastModified>2025-01-01T00:00:00.000Z</LastModified><ETag>"0cc175b9c0f1b6a831c399e269772661"</ETag><Size>1</Size><StorageClass>STANDARD</StorageClass></Contents>
</ListBucketResult>`;

const ROOT_LISTING = `<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>team-bucket</Name><Prefix></Prefix>
<KeyCount>1</KeyCount><MaxKeys>1000</MaxKeys><Delimiter>/</Delimiter><IsTruncated>false</IsTruncated>
<CommonPrefixes><Prefix>reports/</Prefix></CommonPrefixes>
</ListBucketResult>`;
const BUCKETS = `<?xml version="1.0" encoding="UTF-8"?>
<ListAllMyBucketsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Owner><ID>admin</ID></Owner><Buckets>
<Bucket><Name>other-bucket</Name><CreationDate>2025-01-01T00:00:00.000Z</CreationDate></Bucket>
<Bucket><Name>team-bucket</Name><CreationDate>2025-01-01T00:00:00.000Z</CreationDate></Bucket>
</Buckets></ListAllMyBucketsResult>`;
/** This key may list buckets; every other one (the RAM user's) is refused ListBuckets. */
const ADMIN_KEY = 'AKIDADMIN';

let server: http.Server;
let endpoint = '';
const asked: string[] = [];

test.beforeAll(async () => {
  server = http.createServer((req, res) => {
    asked.push(`${req.method} ${req.url}`);
    const url = new URL(req.url ?? '/', 'http://x');
    const xml = (body: string) => res.writeHead(200, { 'content-type': 'application/xml' }).end(body);
    if (url.pathname === '/' && req.headers.authorization?.includes(`Credential=${ADMIN_KEY}/`)) {
      xml(BUCKETS);
      return;
    }
    if (url.pathname === '/team-bucket' || url.pathname === '/team-bucket/') {
      // Where the bucket lives, should the client ask.
      if (req.method === 'HEAD') {
        res.writeHead(200, { 'x-amz-bucket-region': 'us-east-1' }).end();
        return;
      }
      if (url.searchParams.has('location')) {
        xml(
          '<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/">us-east-1</LocationConstraint>',
        );
        return;
      }
      const prefix = url.searchParams.get('prefix') ?? '';
      if (prefix === 'reports/') {
        xml(LISTING);
        return;
      }
      if (prefix === '') {
        xml(ROOT_LISTING);
        return;
      }
    }
    res.writeHead(403, { 'content-type': 'application/xml' }).end(DENIED);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

test.afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function addAccount(page: Page, name: string, accessKeyId: string, startPath: string): Promise<void> {
  await page
    .getByRole('complementary', { name: 'Accounts' })
    .getByRole('button', { name: 'Add account' })
    .click();
  const form = page.getByRole('dialog', { name: 'Add account' });
  await form.getByRole('textbox', { name: 'Name' }).fill(name);
  await form.getByRole('combobox', { name: 'Provider' }).selectOption({ label: 'S3-compatible' });
  await form
    .getByRole('combobox', { name: 'Service' })
    .selectOption({ label: 'MinIO, Ceph or other (custom endpoint)' });
  await form.getByRole('textbox', { name: 'Region' }).fill('us-east-1');
  await form.getByRole('textbox', { name: 'Endpoint' }).fill(endpoint);
  await form.getByRole('textbox', { name: 'Access key ID' }).fill(accessKeyId);
  await form.getByLabel('Secret access key').fill('ram-user-secret');
  await form.getByRole('textbox', { name: 'Start at bucket/path (optional)' }).fill(startPath);
  if (!startPath) {
    // Without a start path the connection test lists buckets, which this key may not: save anyway.
    await form.getByRole('button', { name: 'Save', exact: true }).click();
    await form.getByRole('button', { name: 'Save anyway' }).click();
  } else {
    // The connection test lists the start path, which this key may do: Save goes through.
    await form.getByRole('button', { name: 'Save', exact: true }).click();
  }
  await expect(form).toBeHidden();
}

const sidebar = (page: Page) => page.getByRole('complementary', { name: 'Accounts' });
const crumbs = (scope: Locator) => scope.getByRole('navigation', { name: 'Path' }).getByRole('button');
const listedBuckets = () => asked.filter((a) => a === 'GET /');

test.beforeEach(() => {
  asked.length = 0;
});

test('an account that may not list buckets opens at its start path', async ({ app: page }) => {
  await addAccount(page, 'RAM user', 'AKIDRAMUSER', 'team-bucket/reports');

  const left = pane(page, 'left');
  await left.getByRole('navigation', { name: 'Path' }).getByRole('button', { name: 'Accounts' }).click();
  await row(left, 'RAM user').dblclick();
  await expect(row(left, 'q3.csv')).toBeVisible();
  await expect(crumbs(left)).toHaveText(['Accounts', 'RAM user', 'team-bucket', 'reports']);

  // The sidebar shows the start bucket without asking for the bucket list, and no error.
  const account = sidebar(page).getByRole('listitem').filter({ hasText: 'RAM user' });
  await account.getByRole('button', { name: 'RAM user S3-compatible' }).click();
  await expect(account.getByRole('list', { name: 'Buckets of RAM user' }).getByRole('button')).toHaveText([
    'team-bucket',
  ]);
  await expect(account.getByRole('alert')).toHaveCount(0);
  expect(listedBuckets(), 'ListBuckets asked before "Up"').toEqual([]);

  // Up from the start folder reaches the bucket; Up from the bucket stays, with a word why.
  await left.getByRole('button', { name: 'Up one level' }).click();
  await expect(row(left, 'reports/')).toBeVisible();
  await expect(crumbs(left)).toHaveText(['Accounts', 'RAM user', 'team-bucket']);
  await left.getByRole('button', { name: 'Up one level' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'may not list its buckets' })).toHaveText(
    'RAM user may not list its buckets, so the pane stays here. Type an address (Ctrl+L) to open another bucket.',
  );
  await expect(crumbs(left)).toHaveText(['Accounts', 'RAM user', 'team-bucket']);
  await expect(row(left, 'reports/')).toBeVisible();
  expect(listedBuckets(), 'asked once, for "Up"').toHaveLength(1);
});

test('"Up" from the start bucket goes to the bucket list when the keys may list buckets', async ({
  app: page,
}) => {
  await addAccount(page, 'Admin', ADMIN_KEY, 'team-bucket');
  const left = pane(page, 'left');
  await left.getByRole('navigation', { name: 'Path' }).getByRole('button', { name: 'Accounts' }).click();
  await row(left, 'Admin').dblclick();
  await expect(row(left, 'reports/')).toBeVisible();
  expect(listedBuckets()).toEqual([]);

  await left.getByRole('button', { name: 'Up one level' }).click();
  await expect(crumbs(left)).toHaveText(['Accounts', 'Admin']);
  await expect(row(left, 'other-bucket')).toBeVisible();
  await expect(row(left, 'team-bucket')).toHaveAttribute('aria-selected', 'true');
  // Known to work now: the sidebar shows the whole list.
  const account = sidebar(page).getByRole('listitem').filter({ hasText: 'Admin' });
  await account.getByRole('button', { name: 'Admin S3-compatible' }).click();
  await expect(account.getByRole('list', { name: 'Buckets of Admin' }).getByRole('button')).toHaveText([
    'other-bucket',
    'team-bucket',
  ]);
});

test('keys that may not list buckets reach a folder by typing its address', async ({ app: page }) => {
  await addAccount(page, 'RAM user', 'AKIDRAMUSER', '');
  const left = pane(page, 'left');
  await listing(left).focus();
  await page.keyboard.press('Control+l');
  const field = left.getByRole('combobox', { name: 'Address' });

  // The account alone cannot be opened (its bucket list is refused): said inline, with the way out.
  await field.fill('RAM user:');
  await field.press('Enter');
  await expect(left.getByRole('alert')).toContainText('RAM user may not list its buckets');
  await expect(left.getByRole('alert')).toContainText('Type a bucket too: RAM user:bucket/');
  await expect(row(left, 'sample-photos')).toBeVisible();

  // Folders complete from the bucket's own listing, which this key may read.
  await field.fill('RAM user:team-bucket/rep');
  await expect(left.getByRole('listbox', { name: 'Address suggestions' }).getByRole('option')).toHaveText([
    'reports/',
  ]);
  await field.press('Tab');
  await expect(field).toHaveValue('RAM user:team-bucket/reports/');
  await field.press('Enter');
  await expect(row(left, 'q3.csv')).toBeVisible();
  await expect(crumbs(left)).toHaveText(['Accounts', 'RAM user', 'team-bucket', 'reports']);

  // The bucket opened by address is now in the sidebar.
  const account = sidebar(page).getByRole('listitem').filter({ hasText: 'RAM user' });
  await account.getByRole('button', { name: 'RAM user S3-compatible' }).click();
  await expect(account.getByRole('list', { name: 'Buckets of RAM user' }).getByRole('button')).toHaveText([
    'team-bucket',
  ]);
});
