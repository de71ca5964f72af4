/**
 * The dialect an engine suite runs in: S3 straight to Ceph RGW, or OSS through the OSS gateway
 * (test/servers/oss-gateway) in front of the same RGW. The copy-engine, crash and fault suites are
 * written once and run twice: `npm test` runs them as they are (S3) and again with
 * `FERRY_TEST_DIALECT=oss` and `FERRY_TEST_OSS_ENDPOINT` naming the gateway it started.
 *
 * Set-up and clean-up (buckets, leftover uploads) always go straight to RGW with an S3Store: they
 * are not what is being tested, and OSS has no CreateBucket in Ferry's store.
 */
import { OssStore } from '../../main/storage/oss/oss-store';
import type { ObjectStore } from '../../main/storage/provider';
import { S3Store } from '../../main/storage/s3/s3-store';
import { requireRgw, type RgwTarget } from './rgw';

export type Dialect = 's3' | 'oss';

export interface DialectTarget {
  dialect: Dialect;
  /** For test names: `Ceph RGW` or `OSS (gateway over Ceph RGW)`. */
  label: string;
  provider: 's3' | 'oss';
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Ferry's store for this dialect, talking to `endpoint` (or another address, e.g. a proxy). */
  store(options?: { endpoint?: string; requestTimeoutMs?: number }): ObjectStore & { close(): Promise<void> };
  /** `ferry profile add NAME …` for this dialect. */
  profileAddArgs(name: string, endpoint?: string): string[];
  /** The fields of `services.profiles.save` for this dialect. */
  profile(
    name: string,
    endpoint?: string,
  ): {
    name: string;
    provider: 's3' | 'oss';
    endpoint: string;
    region: string;
    pathStyle: boolean;
    accessKeyId: string;
    secretAccessKey: string;
  };
}

export function testDialect(): Dialect {
  const d = process.env.FERRY_TEST_DIALECT ?? 's3';
  if (d !== 's3' && d !== 'oss') throw new Error(`FERRY_TEST_DIALECT must be s3 or oss, not ${d}`);
  return d;
}

/** An S3Store straight to RGW, for set-up, clean-up and checks that are not under test. */
export function rgwAdmin(
  rgw: RgwTarget = requireRgw(),
  extra: { maxConnections?: number; requestTimeoutMs?: number } = {},
): S3Store {
  return new S3Store({
    endpoint: rgw.endpoint,
    region: rgw.region,
    pathStyle: true,
    credentials: { accessKeyId: rgw.accessKeyId, secretAccessKey: rgw.secretAccessKey },
    requestTimeoutMs: 30_000,
    copyTimeoutMs: 60_000,
    ...extra,
  });
}

export function requireDialect(
  dialect: Dialect = testDialect(),
  rgw: RgwTarget = requireRgw(),
): DialectTarget {
  const keys = { accessKeyId: rgw.accessKeyId, secretAccessKey: rgw.secretAccessKey };
  if (dialect === 's3') {
    return {
      dialect,
      label: 'Ceph RGW',
      provider: 's3',
      endpoint: rgw.endpoint,
      region: rgw.region,
      ...keys,
      store: (o = {}) =>
        new S3Store({
          endpoint: o.endpoint ?? rgw.endpoint,
          region: rgw.region,
          pathStyle: true,
          credentials: keys,
          requestTimeoutMs: o.requestTimeoutMs ?? 30_000,
          copyTimeoutMs: 60_000,
        }),
      profileAddArgs: (name, endpoint = rgw.endpoint) => [
        'profile',
        'add',
        name,
        '--provider',
        's3',
        '--endpoint',
        endpoint,
        '--region',
        rgw.region,
        '--path-style',
        '--access-key-id',
        keys.accessKeyId,
        '--secret-access-key',
        keys.secretAccessKey,
      ],
      profile: (name, endpoint = rgw.endpoint) => ({
        name,
        provider: 's3',
        endpoint,
        region: rgw.region,
        pathStyle: true,
        ...keys,
      }),
    };
  }
  const gateway = process.env.FERRY_TEST_OSS_ENDPOINT;
  if (!gateway) {
    throw new Error(
      'FERRY_TEST_DIALECT=oss needs FERRY_TEST_OSS_ENDPOINT: run through `npm test`, which starts the OSS gateway, ' +
        'or start it with `npm run oss-gateway -- --port 0 --s3 $FERRY_TEST_S3_ENDPOINT` and export its address',
    );
  }
  const region = 'cn-hangzhou';
  return {
    dialect,
    label: 'OSS (gateway over Ceph RGW)',
    provider: 'oss',
    endpoint: gateway,
    region,
    ...keys,
    store: (o = {}) => new OssStore({ endpoint: o.endpoint ?? gateway, region, credentials: keys }),
    profileAddArgs: (name, endpoint = gateway) => [
      'profile',
      'add',
      name,
      '--provider',
      'oss',
      '--endpoint',
      endpoint,
      '--region',
      region,
      '--access-key-id',
      keys.accessKeyId,
      '--secret-access-key',
      keys.secretAccessKey,
    ],
    profile: (name, endpoint = gateway) => ({
      name,
      provider: 'oss',
      endpoint,
      region,
      pathStyle: true,
      ...keys,
    }),
  };
}
