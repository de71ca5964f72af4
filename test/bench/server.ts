/**
 * The S3 server the benchmark measures against: the one named by FERRY_BENCH_S3_ENDPOINT or
 * FERRY_TEST_S3_ENDPOINT (a second user's keys, for the cross-account copy, from
 * FERRY_BENCH_S3_ACCESS_KEY_ID_2 and …_SECRET_ACCESS_KEY_2), else a Ceph RGW started here
 * (test/servers/ceph-rgw.sh, with a second user) and stopped at the end.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { intEnv, log, root } from './common';

export interface Server {
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  ownServer: boolean;
  /** Keys of a second user (another account), for the copy no server-side copy can do; absent when unknown. */
  secondUser?: { accessKeyId: string; secretAccessKey: string };
  stop(): void;
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

/** RGW takes PORT and its monitor PORT+1; other people's servers on this machine may hold some. */
async function freePortPair(from: number): Promise<number> {
  for (let port = from; port < from + 200; port += 10) {
    if ((await portFree(port)) && (await portFree(port + 1))) return port;
  }
  throw new Error(`no free port pair from ${from}`);
}

export async function startServer(): Promise<Server> {
  const accessKeyId = process.env.FERRY_TEST_S3_ACCESS_KEY_ID ?? 'testkey';
  const secretAccessKey = process.env.FERRY_TEST_S3_SECRET_ACCESS_KEY ?? 'testsecret';
  const given = process.env.FERRY_BENCH_S3_ENDPOINT || process.env.FERRY_TEST_S3_ENDPOINT;
  if (given) {
    const key2 = process.env.FERRY_BENCH_S3_ACCESS_KEY_ID_2;
    const secret2 = process.env.FERRY_BENCH_S3_SECRET_ACCESS_KEY_2;
    const secondUser = key2 && secret2 ? { accessKeyId: key2, secretAccessKey: secret2 } : undefined;
    return {
      endpoint: given,
      accessKeyId,
      secretAccessKey,
      ownServer: false,
      secondUser,
      stop: () => undefined,
    };
  }
  const script = path.join(root, 'test', 'servers', 'ceph-rgw.sh');
  for (let attempt = 1; attempt <= 2; attempt++) {
    const port = String(await freePortPair(intEnv('FERRY_BENCH_RGW_PORT', 17490)));
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ferry-bench-rgw-'));
    log(`starting Ceph RGW on 127.0.0.1:${port} (${dir})`);
    const up = spawnSync('bash', [script, 'up', dir, port], { encoding: 'utf8', timeout: 120_000 });
    const stop = () => {
      spawnSync('bash', [script, 'down', dir], { timeout: 60_000 });
      rmSync(dir, { recursive: true, force: true });
    };
    if (up.status === 0) {
      const secondUser = { accessKeyId: 'benchsecond', secretAccessKey: 'benchsecondsecret' };
      const user = spawnSync(
        'bash',
        [script, 'user', dir, 'benchsecond', secondUser.accessKeyId, secondUser.secretAccessKey],
        { encoding: 'utf8', timeout: 60_000 },
      );
      return {
        endpoint: `http://127.0.0.1:${port}`,
        accessKeyId,
        secretAccessKey,
        ownServer: true,
        secondUser: user.status === 0 ? secondUser : undefined,
        stop,
      };
    }
    stop();
    // A fresh one-node cluster sometimes loses the OSD/monitor race on its first start.
    log(`Ceph RGW did not start (${(up.stderr || up.stdout).trim().split('\n').at(-1)}); trying again`);
  }
  throw new Error('Ceph RGW did not start (see test/servers/ceph-rgw.sh)');
}
