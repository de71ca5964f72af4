/**
 * What the RGW end-to-end specs share: skipping (and saying why) without FERRY_TEST_S3_ENDPOINT, an
 * S3Store straight to the server for setting up and checking, buckets that are removed after the
 * spec (the RGW store lives in memory and hangs when full), and adding the account through the UI.
 * Call `useRgwForE2e` once at the top of a spec file: it registers the skip and the hooks there.
 */
import type { Page } from '@playwright/test';
import { S3Store } from '../../main/storage/s3/s3-store';
import { expect, openPath, pane, test } from '../e2e/fixtures';
import { removeBucket, uniqueBucket, type RgwTarget } from './rgw';

const SKIP_REASON =
  'FERRY_TEST_S3_ENDPOINT is not set: these tests need Ceph RGW (`npm test` starts one; or run ' +
  '`bash test/servers/ceph-rgw.sh up DIR PORT` and export FERRY_TEST_S3_ENDPOINT=http://127.0.0.1:PORT)';

/** Every request a spec sends straight to RGW ends within 30 s. */
export const rgwTimeout = () => ({ signal: AbortSignal.timeout(30_000) });

export interface RgwE2e {
  target: RgwTarget;
  /** The store to RGW, made in beforeAll. */
  store(): S3Store;
  /** A new bucket with a unique name, removed with everything in it after the spec. */
  newBucket(label: string): Promise<string>;
  /** Deletes an (empty) bucket made by newBucket now, under the app's feet; cleanup then skips it. */
  deleteBucket(bucket: string): Promise<void>;
}

export function useRgwForE2e(specFile: string): RgwE2e {
  const endpoint = process.env.FERRY_TEST_S3_ENDPOINT;
  if (!endpoint) console.log(`skipped ${specFile}: ${SKIP_REASON}`);
  test.skip(!endpoint, SKIP_REASON);
  const target: RgwTarget = {
    endpoint: endpoint ?? '',
    accessKeyId: process.env.FERRY_TEST_S3_ACCESS_KEY_ID ?? 'testkey',
    secretAccessKey: process.env.FERRY_TEST_S3_SECRET_ACCESS_KEY ?? 'testsecret',
    region: process.env.FERRY_TEST_S3_REGION ?? 'us-east-1',
  };
  let store: S3Store | undefined;
  const buckets: string[] = [];

  test.beforeAll(async () => {
    store = new S3Store({
      endpoint: target.endpoint,
      region: target.region,
      pathStyle: true,
      credentials: { accessKeyId: target.accessKeyId, secretAccessKey: target.secretAccessKey },
      requestTimeoutMs: 30_000,
    });
  });

  test.afterAll(async () => {
    for (const bucket of buckets) {
      try {
        await removeBucket(store!, bucket, 30_000);
      } catch (err) {
        console.log(`cleanup of ${bucket} failed: ${(err as Error).message}`);
      }
    }
    await store?.close();
  });

  const storeOrThrow = () => {
    if (!store) throw new Error('the RGW store is made in beforeAll');
    return store;
  };
  return {
    target,
    store: storeOrThrow,
    async newBucket(label) {
      const bucket = uniqueBucket(label);
      await storeOrThrow().createBucket(bucket, undefined, rgwTimeout());
      buckets.push(bucket);
      return bucket;
    },
    async deleteBucket(bucket) {
      await storeOrThrow().deleteBucket(bucket, rgwTimeout());
      buckets.splice(buckets.indexOf(bucket), 1);
    },
  };
}

/** Adds the RGW account through the form, as a person would: custom endpoint, path-style, keys. */
export async function addRgwAccount(
  page: Page,
  target: RgwTarget,
  name: string,
  options: { readOnly?: boolean } = {},
): Promise<void> {
  const sidebar = page.getByRole('complementary', { name: 'Accounts' });
  await sidebar.getByRole('button', { name: 'Add account' }).click();
  const form = page.getByRole('dialog', { name: 'Add account' });
  await form.getByRole('textbox', { name: 'Name' }).fill(name);
  await form.getByRole('combobox', { name: 'Provider' }).selectOption({ label: 'S3-compatible' });
  await form
    .getByRole('combobox', { name: 'Service' })
    .selectOption({ label: 'MinIO, Ceph or other (custom endpoint)' });
  await form.getByRole('textbox', { name: 'Region' }).fill(target.region);
  await expect(form.getByRole('checkbox', { name: 'Path-style addressing' })).toBeChecked();
  await form.getByRole('textbox', { name: 'Endpoint' }).fill(target.endpoint);
  await form.getByRole('textbox', { name: 'Access key ID' }).fill(target.accessKeyId);
  await form.getByLabel('Secret access key').fill(target.secretAccessKey);
  if (options.readOnly) await form.getByRole('checkbox', { name: 'Read-only' }).check();
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(form).toBeHidden();
}

/** Opens `bucket` of `account` in one pane, starting from the accounts list. */
export async function openRgwBucket(
  page: Page,
  side: 'left' | 'right',
  account: string,
  bucket: string,
): Promise<void> {
  const p = pane(page, side);
  await p.getByRole('navigation', { name: 'Path' }).getByRole('button', { name: 'Accounts' }).click();
  await openPath(page, side, [account, bucket]);
}
