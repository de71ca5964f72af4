/**
 * `npm run oss-gateway -- --port PORT --s3 http://127.0.0.1:17480 [--access-key-id K]
 * [--secret-access-key S] [--region cn-hangzhou]`: an OSS gateway for tests in front of an S3
 * server (see oss-gateway/server.ts). Prints one line, `OSS gateway: http://127.0.0.1:PORT`, and
 * serves until killed.
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
  },
});

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
