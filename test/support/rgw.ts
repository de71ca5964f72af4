/**
 * The Ceph RGW that `npm test` starts (scripts/test.mjs) and integration tests talk to. Tests that
 * need it fail loudly when it is not there: a missing server is a broken setup, not a pass.
 */
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
