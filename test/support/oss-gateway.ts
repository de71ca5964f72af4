/**
 * The OSS gateway integration tests talk to: the one `npm test` started (FERRY_TEST_OSS_ENDPOINT),
 * or one started in this process in front of the test RGW, so a single file runs on its own too.
 */
import { startOssGateway, type OssGateway } from '../servers/oss-gateway/server';
import { requireRgw, type RgwTarget } from './rgw';

export interface OssTarget {
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** The V4 region id (`cn-hangzhou`). */
  region: string;
  /** Stops the gateway if this process started it. */
  close(): Promise<void>;
}

export async function requireOssGateway(rgw: RgwTarget = requireRgw()): Promise<OssTarget> {
  const base = { accessKeyId: rgw.accessKeyId, secretAccessKey: rgw.secretAccessKey, region: 'cn-hangzhou' };
  const running = process.env.FERRY_TEST_OSS_ENDPOINT;
  if (running) return { ...base, endpoint: running, close: async () => {} };
  const gateway: OssGateway = await startOssGateway({ s3: rgw.endpoint, ...base });
  return { ...base, endpoint: gateway.endpoint, close: () => gateway.close() };
}
