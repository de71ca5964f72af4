/**
 * `npm run oss-gateway -- --port PORT --s3 http://127.0.0.1:17480 [--access-key-id K]
 * [--secret-access-key S] [--region cn-hangzhou] [--cname HOST=BUCKET]…
 * [--bucket-region BUCKET=REGION]… [--refuse-region-lookup BUCKET]…`: an OSS gateway for tests in
 * front of an S3 server (see oss-gateway/server.ts). Prints one line,
 * `OSS gateway: http://127.0.0.1:PORT`, and serves until killed.
 */
import { parseArgs } from 'node:util';
import { startOssGateway } from './oss-gateway/server';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    s3: { type: 'string', default: 'http://127.0.0.1:17480' },
    'access-key-id': { type: 'string' },
    'secret-access-key': { type: 'string' },
    region: { type: 'string' },
    verbose: { type: 'boolean', default: false },
    cname: { type: 'string', multiple: true, default: [] },
    'bucket-region': { type: 'string', multiple: true, default: [] },
    'refuse-region-lookup': { type: 'string', multiple: true, default: [] },
  },
});

/** `NAME=VALUE` flags as a record; a malformed one stops the gateway with a usage message. */
function pairs(flag: string, list: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of list) {
    const eq = item.indexOf('=');
    if (eq <= 0 || eq === item.length - 1) {
      console.error(`--${flag} takes NAME=VALUE, not ${item}`);
      process.exit(2);
    }
    out[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return out;
}

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be a port number, not ${values.port}`);
  process.exit(2);
}

startOssGateway({
  s3: values.s3,
  port,
  accessKeyId: values['access-key-id'],
  secretAccessKey: values['secret-access-key'],
  region: values.region,
  cnames: pairs('cname', values.cname),
  bucketRegions: pairs('bucket-region', values['bucket-region']),
  refuseRegionLookup: values['refuse-region-lookup'],
  log: values.verbose ? (line) => console.error(line) : undefined,
}).then(
  (gateway) => {
    console.log(`OSS gateway: ${gateway.endpoint}`);
    for (const signal of ['SIGINT', 'SIGTERM'] as const)
      process.once(signal, () => {
        void gateway.close().then(() => process.exit(0));
      });
  },
  (e: unknown) => {
    console.error(`OSS gateway: ${(e as Error).message}`);
    process.exit(1);
  },
);
