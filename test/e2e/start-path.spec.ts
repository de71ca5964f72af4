/**
 * Keys that may not list buckets (an OSS RAM user's, say) reach their bucket through the account's
 * "start at bucket/path": the pane opens there and never asks for the bucket list. The server here
 * refuses ListBuckets and answers the one listing it allows.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, pane, row, test } from './fixtures';

const DENIED = `<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Access Denied</Message><RequestId>req-denied</RequestId></Error>`;
const LISTING = `<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>team-bucket</Name><Prefix>reports/</Prefix>
<KeyCount>1</KeyCount><MaxKeys>1000</MaxKeys><Delimiter>/</Delimiter><IsTruncated>false</IsTruncated>
<Contents><Key>reports/q3.csv</Key><LastModified>2025-01-01T00:00:00.000Z</LastModified><ETag>"0cc175b9c0f1b6a831c399e269772661"</ETag><Size>1</Size><StorageClass>STANDARD</StorageClass></Contents>
</ListBucketResult>`;

let server: http.Server;
let endpoint = '';
const asked: string[] = [];

test.beforeAll(async () => {
  server = http.createServer((req, res) => {
    asked.push(`${req.method} ${req.url}`);
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/team-bucket' || url.pathname === '/team-bucket/') {
      // Where the bucket lives, should the client ask.
      if (req.method === 'HEAD') {
        res.writeHead(200, { 'x-amz-bucket-region': 'us-east-1' }).end();
        return;
      }
      if (url.searchParams.has('location')) {
        res
          .writeHead(200, { 'content-type': 'application/xml' })
          .end(
            '<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/">us-east-1</LocationConstraint>',
          );
        return;
      }
      if (url.searchParams.get('prefix') === 'reports/') {
        res.writeHead(200, { 'content-type': 'application/xml' }).end(LISTING);
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

test('an account that may not list buckets opens at its start path', async ({ app: page }) => {
  await page
    .getByRole('complementary', { name: 'Accounts' })
    .getByRole('button', { name: 'Add account' })
    .click();
  const form = page.getByRole('dialog', { name: 'Add account' });
  await form.getByRole('textbox', { name: 'Name' }).fill('RAM user');
  await form.getByRole('combobox', { name: 'Provider' }).selectOption({ label: 'S3-compatible' });
  await form
    .getByRole('combobox', { name: 'Service' })
    .selectOption({ label: 'MinIO, Ceph or other (custom endpoint)' });
  await form.getByRole('textbox', { name: 'Region' }).fill('us-east-1');
  await form.getByRole('textbox', { name: 'Endpoint' }).fill(endpoint);
  await form.getByRole('textbox', { name: 'Access key ID' }).fill('AKIDRAMUSER');
  await form.getByLabel('Secret access key').fill('ram-user-secret');
  await form.getByRole('textbox', { name: 'Start at bucket/path (optional)' }).fill('team-bucket/reports');
  // The connection test lists the start path, which this key may do: Save goes through.
  await form.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(form).toBeHidden();

  asked.length = 0;
  const left = pane(page, 'left');
  await left.getByRole('navigation', { name: 'Path' }).getByRole('button', { name: 'Accounts' }).click();
  await row(left, 'RAM user').dblclick();
  await expect(row(left, 'q3.csv')).toBeVisible();
  await expect(left.getByRole('navigation', { name: 'Path' }).getByRole('button')).toHaveText([
    'Accounts',
    'RAM user',
    'team-bucket',
    'reports',
  ]);
  expect(asked.filter((a) => a === 'GET /')).toEqual([]);
});
