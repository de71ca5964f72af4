/**
 * The Ceph RGW that `npm test` starts (scripts/test.mjs) and integration tests talk to. Tests that
 * need it fail loudly when it is not there: a missing server is a broken setup, not a pass.
 */
import { listAll } from '../../main/storage/provider';
import type { S3Store } from '../../main/storage/s3/s3-store';

export interface RgwTarget {
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
}

export function requireRgw(): RgwTarget {
  const endpoint = process.env.FERRY_TEST_S3_ENDPOINT;
  if (!endpoint) {
    throw new Error(
      'FERRY_TEST_S3_ENDPOINT is not set: run integration tests through `npm test`, which starts Ceph RGW ' +
        '(or start it with `bash test/servers/ceph-rgw.sh up DIR` and export FERRY_TEST_S3_ENDPOINT)',
    );
  }
  return {
    endpoint,
    accessKeyId: process.env.FERRY_TEST_S3_ACCESS_KEY_ID ?? 'testkey',
    secretAccessKey: process.env.FERRY_TEST_S3_SECRET_ACCESS_KEY ?? 'testsecret',
    region: process.env.FERRY_TEST_S3_REGION ?? 'us-east-1',
  };
}

/** A bucket name unique to one test run, so parallel and repeated runs never collide. */
export function uniqueBucket(label: string): string {
  const suffix = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  return `ferry-${label}-${suffix}`
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '-')
    .slice(0, 63);
}

/** `ferry profile add NAME …` for this server: S3, path style, its test keys (optionally through a proxy). */
export function profileAddArgs(target: RgwTarget, name: string, endpoint = target.endpoint): string[] {
  return [
    'profile',
    'add',
    name,
    '--provider',
    's3',
    '--endpoint',
    endpoint,
    '--region',
    target.region,
    '--path-style',
    '--access-key-id',
    target.accessKeyId,
    '--secret-access-key',
    target.secretAccessKey,
  ];
}

/**
 * Deletes what a test left in a bucket — multipart uploads, then objects — and the bucket: the
 * in-memory RGW hangs instead of failing once it is full. Every request is bounded by `timeoutMs`.
 */
export async function removeBucket(store: S3Store, bucket: string, timeoutMs = 60_000): Promise<void> {
  const opts = () => ({ signal: AbortSignal.timeout(timeoutMs) });
  const uploads: { key: string; uploadId: string }[] = [];
  for await (const u of store.listMultipartUploads(bucket, '', opts())) uploads.push(u);
  for (const u of uploads) await store.abortMultipartUpload(bucket, u.key, u.uploadId, opts());
  for await (const { page } of listAll(store, bucket, {}, opts())) {
    if (page.objects.length)
      await store.deleteObjects(
        bucket,
        page.objects.map((o) => o.key),
        opts(),
      );
  }
  await store.deleteBucket(bucket, opts());
}
