/**
 * A server that refuses the connection is reported at once (no back-off for a failure a retry cannot
 * fix), and a listing that takes long shows a spinner and a Cancel that takes the pane back.
 * The "slow" server is a local HTTP server that answers ListBuckets and never answers a listing.
 */
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Page } from '@playwright/test';
import { expect, openPath, pane, test } from './fixtures';

const BUCKETS = `<?xml version="1.0" encoding="UTF-8"?>
<ListAllMyBucketsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Owner><ID>o</ID></Owner>
<Buckets><Bucket><Name>slow-bucket</Name><CreationDate>2025-01-01T00:00:00.000Z</CreationDate></Bucket></Buckets>
</ListAllMyBucketsResult>`;

let server: http.Server;
let stalled: http.ServerResponse[] = [];
let slowEndpoint = '';
let refusedEndpoint = '';

test.beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (req.url === '/' || req.url?.startsWith('/?')) {
      res.writeHead(200, { 'content-type': 'application/xml' }).end(BUCKETS);
      return;
    }
    stalled.push(res); // never answered: the listing of the bucket hangs
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  slowEndpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // A port that was free a moment ago: nothing listens there, so connections are refused.
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  refusedEndpoint = `http://127.0.0.1:${(probe.address() as AddressInfo).port}`;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
});

test.afterAll(async () => {
  for (const res of stalled) res.destroy();
  stalled = [];
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function fillAccount(page: Page, name: string, endpoint: string) {
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
  await form.getByRole('textbox', { name: 'Access key ID' }).fill('AKIDEXAMPLE');
  await form.getByLabel('Secret access key').fill('not-a-real-secret');
  return form;
}

test('a refused connection is reported at once, not after a round of retries', async ({ app: page }) => {
  const form = await fillAccount(page, 'Nobody home', refusedEndpoint);
  const started = Date.now();
  await form.getByRole('button', { name: 'Test' }).click();
  await expect(form.getByRole('alert')).toContainText('refused the connection', { timeout: 5000 });
  expect(Date.now() - started).toBeLessThan(5000);
  expect(await form.getByRole('alert').textContent()).not.toContain('gave up after');
});

test('a listing that does not come shows a spinner and a Cancel that takes the pane back', async ({
  app: page,
}) => {
  const form = await fillAccount(page, 'Slow server', slowEndpoint);
  await form.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(form).toBeHidden();

  const left = pane(page, 'left');
  await left.getByRole('navigation', { name: 'Path' }).getByRole('button', { name: 'Accounts' }).click();
  await openPath(page, 'left', ['Slow server']);
  await left.getByRole('option', { name: 'slow-bucket', exact: true }).dblclick();
  const loading = left.getByRole('status').filter({ hasText: 'Loading…' });
  await expect(loading).toBeVisible();
  await expect(loading.locator('svg.spinner')).toBeVisible();
  await loading.getByRole('button', { name: 'Cancel' }).click();
  await expect(loading).toBeHidden();
  // Back in the account's bucket list, where the pane was before.
  await expect(left.getByRole('option', { name: 'slow-bucket', exact: true })).toBeVisible();
  await expect(
    left.getByRole('navigation', { name: 'Path' }).getByRole('button', { name: 'Slow server' }),
  ).toBeVisible();
});
