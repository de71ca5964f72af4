#!/usr/bin/env node
// `npm test`: builds, starts Ceph RGW (unless FERRY_TEST_S3_ENDPOINT points at one already) and, for
// the integration suite, the OSS gateway in front of it (unless FERRY_TEST_OSS_ENDPOINT names one),
// then runs unit, integration and end-to-end tests, and stops the servers it started. The engine
// suites run twice: S3 straight to RGW, then OSS through the gateway (FERRY_TEST_DIALECT=oss).
// Usage: node scripts/test.mjs [unit|integration|e2e ...]
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const wanted = process.argv.slice(2);
const suites = wanted.length ? wanted : ['unit', 'integration', 'e2e'];

function run(cmd, args, env = {}) {
  console.log(`\n$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status ?? 1;
}

function testFiles(dir) {
  const full = path.join(root, 'test', dir);
  return readdirSync(full, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.test.ts'))
    .sort()
    .map((f) => path.join('test', dir, f));
}

let rgwDir;
const env = {};
function startRgw() {
  if (process.env.FERRY_TEST_S3_ENDPOINT) return;
  const port = process.env.FERRY_TEST_RGW_PORT ?? '17480';
  const probe = spawnSync('curl', ['-s', '-o', '/dev/null', `http://127.0.0.1:${port}/`]);
  if (probe.status === 0) {
    console.log(`Using the S3 server already listening on 127.0.0.1:${port}`);
  } else {
    if (run('bash', ['test/servers/ceph-rgw.sh', 'install']) !== 0) process.exit(1);
    // A fresh one-node cluster occasionally loses the race between the OSD and the monitor on its
    // first start (the OSD reports "wrong fsid" and never comes up); a second try on a new folder works.
    for (let attempt = 1; ; attempt++) {
      rgwDir = mkdtempSync(path.join(os.tmpdir(), 'ferry-rgw-'));
      if (run('bash', ['test/servers/ceph-rgw.sh', 'up', rgwDir, port]) === 0) break;
      stopRgw();
      if (attempt === 2) process.exit(1);
      console.log('Ceph RGW did not start; trying once more on a new folder');
    }
  }
  env.FERRY_TEST_S3_ENDPOINT = `http://127.0.0.1:${port}`;
}
function stopRgw() {
  if (!rgwDir) return;
  run('bash', ['test/servers/ceph-rgw.sh', 'down', rgwDir]);
  rmSync(rgwDir, { recursive: true, force: true });
  rgwDir = undefined;
}

/** The engine suites that run again in the OSS dialect, through the gateway (see README). */
const OSS_DIALECT_SUITES = [
  'test/integration/copy-engine-rgw.test.ts',
  'test/integration/crash-rgw.test.ts',
  'test/integration/buckets-rgw.test.ts',
  'test/integration/faults-rgw.test.ts',
];

let gateway;
/** Starts `npm run oss-gateway` on a free port in front of the RGW and waits for its one line. */
async function startOssGateway() {
  if (process.env.FERRY_TEST_OSS_ENDPOINT) {
    env.FERRY_TEST_OSS_ENDPOINT = process.env.FERRY_TEST_OSS_ENDPOINT;
    return;
  }
  const s3 = env.FERRY_TEST_S3_ENDPOINT ?? process.env.FERRY_TEST_S3_ENDPOINT;
  const args = ['--import', 'tsx', 'test/servers/oss-gateway.ts', '--port', '0', '--s3', s3];
  if (process.env.FERRY_TEST_S3_ACCESS_KEY_ID)
    args.push('--access-key-id', process.env.FERRY_TEST_S3_ACCESS_KEY_ID);
  if (process.env.FERRY_TEST_S3_SECRET_ACCESS_KEY)
    args.push('--secret-access-key', process.env.FERRY_TEST_S3_SECRET_ACCESS_KEY);
  console.log(`\n$ node ${args.join(' ')}`);
  gateway = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  const endpoint = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the OSS gateway did not start within 60 s')), 60_000);
    let out = '';
    gateway.stdout.on('data', (chunk) => {
      out += chunk.toString();
      const m = /^OSS gateway: (http:\S+)$/m.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    gateway.on('exit', (code) => reject(new Error(`the OSS gateway exited (${code}) before it started`)));
  });
  gateway.stdout.resume();
  console.log(`OSS gateway: ${endpoint}`);
  env.FERRY_TEST_OSS_ENDPOINT = endpoint;
}
async function stopOssGateway() {
  if (!gateway || gateway.exitCode !== null) return;
  const exited = new Promise((resolve) => gateway.once('exit', resolve));
  gateway.kill('SIGTERM');
  await exited;
  gateway = undefined;
}

let failed = 0;
try {
  if (run('npm', ['run', '--silent', 'build']) !== 0) process.exit(1);
  if (suites.includes('integration') || suites.includes('e2e')) startRgw();
  if (suites.includes('unit')) {
    failed += run(
      process.execPath,
      ['--import', 'tsx', '--test', '--test-reporter=spec', ...testFiles('unit')],
      env,
    )
      ? 1
      : 0;
  }
  if (suites.includes('integration')) {
    await startOssGateway();
    const integration = (files, extra = {}) =>
      run(
        process.execPath,
        ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', ...files],
        { ...env, ...extra },
      );
    failed += integration(testFiles('integration')) ? 1 : 0;
    failed += integration(OSS_DIALECT_SUITES, { FERRY_TEST_DIALECT: 'oss' }) ? 1 : 0;
    await stopOssGateway();
  }
  if (suites.includes('e2e')) {
    failed += run('npx', ['playwright', 'test', '-c', 'test/e2e/playwright.config.ts'], env) ? 1 : 0;
  }
} finally {
  await stopOssGateway();
  stopRgw();
}
console.log(failed ? `\n${failed} suite(s) failed` : '\nall suites passed');
process.exit(failed ? 1 : 0);
