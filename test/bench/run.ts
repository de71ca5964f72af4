/**
 * `npm run bench`: Ferry against Debian's rclone on the same Ceph RGW, in the same run, with
 * alternating runs (Ferry, rclone as a typical user runs it, rclone tuned; the order rotates each
 * round) and the median of each. Every tool runs as its own process from its command line, so each
 * time includes a process start. Prints a table and writes bench-results/latest.json and .md.
 *
 * Cases (defaults are the issue's numbers; env knobs shrink them, and the output says what ran):
 *   small     FERRY_BENCH_SMALL_OBJECTS (1,000) objects of 4 KiB copied bucket to bucket, server-side
 *   multipart one FERRY_BENCH_BIG_MIB (512) MiB object by multipart copy, beside the server's ceiling
 *             (bare UploadPartCopy, 64 MiB parts, 8 in flight: test/bench/ceiling.ts)
 *   folder    FERRY_BENCH_FOLDER_OBJECTS (10,000) objects of 4 KiB; FERRY_BENCH_FOLDER_RUNS rounds (3)
 *   list      FERRY_BENCH_LIST_KEYS (100,000) keys listed recursively
 *   resume    the big copy killed (SIGKILL) at 50 % of its bytes and resumed; total bytes the server was
 *             asked to copy (every UploadPartCopy range sent, counted by a loopback proxy) ÷ object size
 *   memory    peak RSS (VmHWM) of each process, sampled every 20 ms
 * FERRY_BENCH_RUNS (5) rounds for small, multipart and list. FERRY_BENCH_BUDGET_S (560): a round that
 * would end past it (judged by the round before) is not started, and the output says so; the folder
 * case runs last for that reason (one round of it takes about as long as all the others' rounds).
 *
 * The server: FERRY_BENCH_S3_ENDPOINT or FERRY_TEST_S3_ENDPOINT (keys testkey/testsecret unless
 * FERRY_TEST_S3_ACCESS_KEY_ID/…SECRET_ACCESS_KEY), else a Ceph RGW started here with
 * test/servers/ceph-rgw.sh on the first free port pair from FERRY_BENCH_RGW_PORT (17490) and stopped at
 * the end.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { bundleCli, bundleForNode } from '../support/node-bundle';
import { listAll } from '../../main/storage/provider';
import { S3Store } from '../../main/storage/s3/s3-store';
import { FaultProxy, copyRangeBytes } from '../support/fault-proxy';
import { profileAddArgs } from '../support/rgw';

const root = path.resolve(__dirname, '..', '..');
const MiB = 1024 * 1024;
const SMALL_SIZE = 4096;

function intEnv(name: string, fallback: number): number {
  const v = process.env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`${name} must be a positive whole number`);
  return n;
}

const config = {
  runs: intEnv('FERRY_BENCH_RUNS', 5),
  smallObjects: intEnv('FERRY_BENCH_SMALL_OBJECTS', 1000),
  bigMiB: intEnv('FERRY_BENCH_BIG_MIB', 512),
  folderObjects: intEnv('FERRY_BENCH_FOLDER_OBJECTS', 10_000),
  folderRuns: intEnv('FERRY_BENCH_FOLDER_RUNS', 3),
  listKeys: intEnv('FERRY_BENCH_LIST_KEYS', 100_000),
  budgetSeconds: intEnv('FERRY_BENCH_BUDGET_S', 560),
  resumePartMiB: 16,
};

const benchStart = Date.now();
const elapsed = () => (Date.now() - benchStart) / 1000;
const log = (line: string) => process.stderr.write(`[bench ${elapsed().toFixed(0).padStart(3)} s] ${line}\n`);

// ------------------------------------------------------------------------------------------
// The server

interface Server {
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  ownServer: boolean;
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

async function startServer(): Promise<Server> {
  const accessKeyId = process.env.FERRY_TEST_S3_ACCESS_KEY_ID ?? 'testkey';
  const secretAccessKey = process.env.FERRY_TEST_S3_SECRET_ACCESS_KEY ?? 'testsecret';
  const given = process.env.FERRY_BENCH_S3_ENDPOINT || process.env.FERRY_TEST_S3_ENDPOINT;
  if (given)
    return { endpoint: given, accessKeyId, secretAccessKey, ownServer: false, stop: () => undefined };
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
    if (up.status === 0)
      return { endpoint: `http://127.0.0.1:${port}`, accessKeyId, secretAccessKey, ownServer: true, stop };
    stop();
    // A fresh one-node cluster sometimes loses the OSD/monitor race on its first start.
    log(`Ceph RGW did not start (${(up.stderr || up.stdout).trim().split('\n').at(-1)}); trying again`);
  }
  throw new Error('Ceph RGW did not start (see test/servers/ceph-rgw.sh)');
}

// ------------------------------------------------------------------------------------------
// Processes, timed with their peak RSS

interface Timed {
  seconds: number;
  peakRssMiB: number;
  code: number | null;
  stdout: string;
  stderr: string;
}

function peakRssKiB(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

function runTimed(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  opts: { timeoutMs?: number; onStart?: (child: ChildProcess) => void } = {},
): Promise<Timed> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let peak = 0;
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const sample = setInterval(() => (peak = Math.max(peak, peakRssKiB(child.pid!))), 20);
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 300_000);
    opts.onStart?.(child);
    child.on('error', reject);
    let seconds = 0;
    child.on('exit', () => {
      seconds = Number(process.hrtime.bigint() - started) / 1e9;
      clearInterval(sample);
      clearTimeout(timer);
    });
    // 'close' comes after 'exit' once stdout and stderr are drained.
    child.on('close', (code) =>
      resolve({ seconds, peakRssMiB: peak / 1024, code, stdout, stderr: stderr.trim() }),
    );
  });
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

// ------------------------------------------------------------------------------------------
// Tools

interface Tools {
  ferry(args: string[], dataDir: string, opts?: Parameters<typeof runTimed>[3]): Promise<Timed>;
  rclone(args: string[], opts?: Parameters<typeof runTimed>[3]): Promise<Timed>;
  ceiling(env: Record<string, string>): Promise<Timed>;
  rcloneVersion: string;
}

async function prepareTools(server: Server, work: string, proxyEndpoint: () => string): Promise<Tools> {
  // Ferry's CLI and the ceiling script are bundled from source here, so a concurrent rebuild of dist/
  // cannot change what is measured half-way.
  const cli = path.join(work, 'ferry-cli.js');
  const ceiling = path.join(work, 'ceiling.js');
  await bundleCli(cli);
  await bundleForNode(path.join(__dirname, 'ceiling.ts'), ceiling);
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('FERRY_') && !k.startsWith('RCLONE_')),
  );
  // rclone: a remote for the server and one for the proxy, from the environment and an empty config
  // file, never the user's. Debian's rclone 1.60 refuses to start when AWS_CA_BUNDLE is set.
  const rcloneConf = path.join(work, 'rclone.conf');
  writeFileSync(rcloneConf, '');
  const remote = (name: string, endpoint: string) => ({
    [`RCLONE_CONFIG_${name}_TYPE`]: 's3',
    [`RCLONE_CONFIG_${name}_PROVIDER`]: 'Ceph',
    [`RCLONE_CONFIG_${name}_ENDPOINT`]: endpoint,
    [`RCLONE_CONFIG_${name}_ACCESS_KEY_ID`]: server.accessKeyId,
    [`RCLONE_CONFIG_${name}_SECRET_ACCESS_KEY`]: server.secretAccessKey,
    [`RCLONE_CONFIG_${name}_REGION`]: 'us-east-1',
    [`RCLONE_CONFIG_${name}_FORCE_PATH_STYLE`]: 'true',
  });
  const rcloneEnv = () => {
    const env: NodeJS.ProcessEnv = {
      ...clean,
      ...remote('RGW', server.endpoint),
      ...remote('PRX', proxyEndpoint()),
    };
    delete env.AWS_CA_BUNDLE;
    return env;
  };
  const version = spawnSync('rclone', ['version'], { env: rcloneEnv(), encoding: 'utf8' });
  if (version.status !== 0)
    throw new Error(`rclone is needed for the comparison: ${version.error ?? version.stderr}`);
  return {
    ferry: (args, dataDir, opts) =>
      runTimed(process.execPath, [cli, '--data-dir', dataDir, ...args], clean, opts),
    rclone: (args, opts) => runTimed('rclone', ['--config', rcloneConf, ...args], rcloneEnv(), opts),
    ceiling: (env) => runTimed(process.execPath, [ceiling], { ...clean, ...env }),
    rcloneVersion: version.stdout.split('\n')[0]!.trim(),
  };
}

// ------------------------------------------------------------------------------------------
// Data

async function putMany(
  store: S3Store,
  bucket: string,
  keys: (i: number) => string,
  count: number,
  body: (i: number) => Buffer,
  parallel = 32,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      for (;;) {
        const i = next++;
        if (i >= count) return;
        const b = body(i);
        await store.putObject(bucket, keys(i), b, b.length, {}, { signal: AbortSignal.timeout(60_000) });
      }
    }),
  );
}

async function putBig(store: S3Store, bucket: string, key: string, size: number): Promise<string> {
  const partSize = 64 * MiB;
  const hash = createHash('sha256');
  const uploadId = await store.createMultipartUpload(bucket, key, {});
  const parts: { partNumber: number; etag: string }[] = [];
  for (let start = 0, n = 1; start < size; start += partSize, n++) {
    const body = randomBytes(Math.min(partSize, size - start));
    hash.update(body);
    parts.push(
      await store.uploadPart(bucket, key, uploadId, n, body, body.length, {
        signal: AbortSignal.timeout(120_000),
      }),
    );
  }
  await store.completeMultipartUpload(bucket, key, uploadId, parts, { signal: AbortSignal.timeout(120_000) });
  return hash.digest('hex');
}

/** Deletes everything under a prefix; returns how many objects there were. */
async function deletePrefix(store: S3Store, bucket: string, prefix: string): Promise<number> {
  let count = 0;
  const pages: string[][] = [];
  for await (const { page } of listAll(store, bucket, { prefix }, { signal: AbortSignal.timeout(300_000) })) {
    count += page.objects.length;
    if (page.objects.length) pages.push(page.objects.map((o) => o.key));
  }
  let next = 0;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      for (;;) {
        const batch = pages[next++];
        if (!batch) return;
        await store.deleteObjects(bucket, batch, { signal: AbortSignal.timeout(120_000) });
      }
    }),
  );
  return count;
}

async function abortAllUploads(store: S3Store, bucket: string): Promise<number> {
  let n = 0;
  for await (const u of store.listMultipartUploads(bucket, undefined, {
    signal: AbortSignal.timeout(60_000),
  })) {
    await store.abortMultipartUpload(bucket, u.key, u.uploadId, { signal: AbortSignal.timeout(60_000) });
    n++;
  }
  return n;
}

async function sha256Of(store: S3Store, bucket: string, key: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of await store.getObject({ bucket, key }, undefined, {
    signal: AbortSignal.timeout(300_000),
  }))
    hash.update(chunk as Buffer);
  return hash.digest('hex');
}

// ------------------------------------------------------------------------------------------
// Results

type ToolName = 'ferry' | 'rclone16' | 'rcloneTuned' | 'ceiling';

interface CaseResult {
  id: string;
  title: string;
  what: string;
  rounds: number;
  seconds: Partial<Record<ToolName, number[]>>;
  peakRssMiB: Partial<Record<ToolName, number[]>>;
  problems: string[];
}

function newCase(id: string, title: string, what: string): CaseResult {
  return { id, title, what, rounds: 0, seconds: {}, peakRssMiB: {}, problems: [] };
}

function record(c: CaseResult, tool: ToolName, t: Timed): void {
  (c.seconds[tool] ??= []).push(Number(t.seconds.toFixed(3)));
  (c.peakRssMiB[tool] ??= []).push(Number(t.peakRssMiB.toFixed(1)));
}

function ok(t: Timed, what: string): Timed {
  if (t.code !== 0) throw new Error(`${what} exited with ${t.code}: ${t.stderr.slice(-2000)}`);
  return t;
}

async function main(): Promise<void> {
  const server = await startServer();
  const work = mkdtempSync(path.join(os.tmpdir(), 'ferry-bench-'));
  const suffix = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const SRC = `ferry-bench-src-${suffix}`;
  const DST = `ferry-bench-dst-${suffix}`;
  const admin = new S3Store({
    endpoint: server.endpoint,
    region: 'us-east-1',
    pathStyle: true,
    credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey },
    maxConnections: 64,
    requestTimeoutMs: 120_000,
  });
  const proxy = new FaultProxy({ upstream: server.endpoint });
  const loadBefore = os.loadavg();
  const cases: CaseResult[] = [];
  const notes: string[] = [];
  try {
    await proxy.start();
    const tools = await prepareTools(server, work, () => proxy.endpoint);
    const dataDir = path.join(work, 'ferry-data');
    const addProfile = (dir: string, name: string, endpoint: string) =>
      tools
        .ferry(profileAddArgs({ ...server, region: 'us-east-1' }, name, endpoint), dir)
        .then((t) => ok(t, 'ferry profile add'));
    await addProfile(dataDir, 'rgw', server.endpoint);

    log(`preparing data on ${server.endpoint}: buckets ${SRC}, ${DST}`);
    await admin.createBucket(SRC, undefined, { signal: AbortSignal.timeout(60_000) });
    await admin.createBucket(DST, undefined, { signal: AbortSignal.timeout(60_000) });
    const smallBody = (i: number) => {
      const b = Buffer.alloc(SMALL_SIZE, i % 251);
      b.write(`object ${i}`);
      return b;
    };
    const pad = (i: number) => String(i).padStart(6, '0');
    await putMany(admin, SRC, (i) => `small/${pad(i)}.bin`, config.smallObjects, smallBody);
    log(`${config.smallObjects} small objects uploaded`);
    const bigSize = config.bigMiB * MiB;
    const bigSha = await putBig(admin, SRC, 'big/object.bin', bigSize);
    log(`${config.bigMiB} MiB object uploaded`);

    // ---- small objects
    const small = newCase(
      'small',
      `${config.smallObjects.toLocaleString('en')} × 4 KiB, bucket to bucket`,
      'server-side copy of a folder of small objects (seconds, median)',
    );
    cases.push(small);
    const smallRuns: Record<Exclude<ToolName, 'ceiling'>, (dst: string) => Promise<Timed>> = {
      ferry: (dst) => tools.ferry(['cp', '-r', `rgw:${SRC}/small/`, `rgw:${DST}/${dst}/`], dataDir),
      rclone16: (dst) =>
        tools.rclone(['copy', `rgw:${SRC}/small`, `rgw:${DST}/${dst}/small`, '--transfers', '16']),
      rcloneTuned: (dst) =>
        tools.rclone([
          'copy',
          `rgw:${SRC}/small`,
          `rgw:${DST}/${dst}/small`,
          '--transfers',
          '32',
          '--checkers',
          '32',
          '--no-check-dest',
        ]),
    };
    await rounds(small, config.runs, smallRuns, async (tool, dst) => {
      const n = await deletePrefix(admin, DST, `${dst}/`);
      if (n !== config.smallObjects)
        small.problems.push(`${tool} copied ${n} of ${config.smallObjects} objects`);
    });

    // ---- multipart copy
    const big = newCase(
      'multipart',
      `one ${config.bigMiB} MiB object, multipart copy`,
      'UploadPartCopy; rclone with --s3-copy-cutoff 64M (seconds, median)',
    );
    cases.push(big);
    const cutoff = ['--s3-copy-cutoff', '64M'];
    await rounds(
      big,
      config.runs,
      {
        ferry: (dst) =>
          tools.ferry(['cp', `rgw:${SRC}/big/object.bin`, `rgw:${DST}/${dst}/object.bin`], dataDir),
        rclone16: (dst) =>
          tools.rclone([
            'copyto',
            `rgw:${SRC}/big/object.bin`,
            `rgw:${DST}/${dst}/object.bin`,
            '--transfers',
            '16',
            ...cutoff,
          ]),
        rcloneTuned: (dst) =>
          tools.rclone([
            'copyto',
            `rgw:${SRC}/big/object.bin`,
            `rgw:${DST}/${dst}/object.bin`,
            '--transfers',
            '32',
            '--checkers',
            '32',
            '--no-check-dest',
            ...cutoff,
          ]),
        ceiling: (dst) =>
          tools.ceiling({
            ENDPOINT: server.endpoint,
            ACCESS_KEY_ID: server.accessKeyId,
            SECRET_ACCESS_KEY: server.secretAccessKey,
            SRC_BUCKET: SRC,
            SRC_KEY: 'big/object.bin',
            DST_BUCKET: DST,
            DST_KEY: `${dst}/object.bin`,
            SIZE: String(bigSize),
            PART_MIB: '64',
            IN_FLIGHT: '8',
          }),
      },
      async (tool, dst) => {
        const head = await admin.headObject({ bucket: DST, key: `${dst}/object.bin` }).catch(() => undefined);
        if (head?.size !== bigSize) big.problems.push(`${tool}: the copy has ${head?.size ?? 'no'} bytes`);
        await deletePrefix(admin, DST, `${dst}/`);
      },
    );

    // ---- resume cost
    const resume = newCase(
      'resume',
      `${config.bigMiB} MiB copy killed at 50 % and resumed`,
      `bytes the server was asked to copy ÷ object size (${config.resumePartMiB} MiB parts)`,
    );
    cases.push(resume);
    const resumeTotals: Partial<Record<ToolName, number>> = {};
    {
      const prxData = path.join(work, 'ferry-data-proxy');
      await addProfile(prxData, 'prx', proxy.endpoint);
      const attempt = async (
        tool: 'ferry' | 'rclone16',
        first: () => Promise<Timed>,
        again: () => Promise<Timed>,
      ) => {
        proxy.requests.length = 0;
        const killed = await first();
        const afterKill = proxy.requests.reduce((n, r) => n + copyRangeBytes(r), 0);
        const finished = ok(await again(), `${tool} resume`);
        const total = proxy.requests.reduce((n, r) => n + copyRangeBytes(r), 0);
        resumeTotals[tool] = total / bigSize;
        const dstKey = `resume-${tool}/object.bin`;
        const sha = await sha256Of(admin, DST, dstKey).catch((e: Error) => e.message);
        if (sha !== bigSha) resume.problems.push(`${tool}: the resumed copy differs from the source`);
        if (killed.code !== null && killed.code !== 0 && killed.code !== 137)
          resume.problems.push(`${tool}: the first run exited with ${killed.code}`);
        log(
          `resume ${tool}: ${(afterKill / MiB).toFixed(0)} MiB requested before the kill, ${(total / MiB).toFixed(0)} MiB in all (${finished.seconds.toFixed(1)} s to finish)`,
        );
        await deletePrefix(admin, DST, `resume-${tool}/`);
        const left = await abortAllUploads(admin, DST);
        if (left)
          notes.push(`resume: ${tool} left ${left} multipart upload(s) behind (aborted by the bench)`);
      };
      const killAtHalf = (child: ChildProcess) => {
        const timer = setInterval(() => {
          const done = proxy.requests
            .filter((r) => r.upstreamStatus === 200)
            .reduce((n, r) => n + copyRangeBytes(r), 0);
          if (done >= bigSize / 2) {
            child.kill('SIGKILL');
            clearInterval(timer);
          }
        }, 5);
        child.on('exit', () => clearInterval(timer));
      };
      const ferryArgs = [
        'cp',
        '--part-size',
        `${config.resumePartMiB}MiB`,
        '--multipart-threshold',
        `${config.resumePartMiB}MiB`,
        `prx:${SRC}/big/object.bin`,
        `prx:${DST}/resume-ferry/object.bin`,
      ];
      await attempt(
        'ferry',
        () => tools.ferry(ferryArgs, prxData, { onStart: killAtHalf }),
        () => tools.ferry(['resume'], prxData),
      );
      const rcloneArgs = [
        'copyto',
        `prx:${SRC}/big/object.bin`,
        `prx:${DST}/resume-rclone16/object.bin`,
        '--transfers',
        '16',
        '--s3-copy-cutoff',
        `${config.resumePartMiB}M`,
      ];
      await attempt(
        'rclone16',
        () => tools.rclone(rcloneArgs, { onStart: killAtHalf }),
        () => tools.rclone(rcloneArgs),
      );
    }

    // ---- listing
    const list = newCase(
      'list',
      `listing ${config.listKeys.toLocaleString('en')} keys`,
      'recursive listing to stdout; rclone lsf -R, tuned with --fast-list (seconds, median)',
    );
    cases.push(list);
    await putMany(
      admin,
      SRC,
      (i) => `list/${String(i).padStart(7, '0')}`,
      config.listKeys,
      () => Buffer.alloc(0),
      64,
    );
    log(`${config.listKeys} keys uploaded for listing`);
    const countLines = (t: Timed, tool: string) => {
      const lines = t.stdout.split('\n').filter(Boolean).length;
      if (lines !== config.listKeys) list.problems.push(`${tool} listed ${lines} keys`);
      return t;
    };
    await rounds(
      list,
      config.runs,
      {
        ferry: () =>
          tools.ferry(['ls', '-r', `rgw:${SRC}/list/`], dataDir).then((t) => countLines(t, 'ferry')),
        rclone16: () => tools.rclone(['lsf', '-R', `rgw:${SRC}/list`]).then((t) => countLines(t, 'rclone')),
        rcloneTuned: () =>
          tools
            .rclone(['lsf', '-R', '--fast-list', '--checkers', '32', `rgw:${SRC}/list`])
            .then((t) => countLines(t, 'rclone tuned')),
      },
      async () => undefined,
    );

    // ---- folder of many objects (and memory)
    const folder = newCase(
      'folder',
      `folder of ${config.folderObjects.toLocaleString('en')} objects (4 KiB)`,
      'server-side folder copy (seconds, median)',
    );
    cases.push(folder);
    await putMany(admin, SRC, (i) => `folder/${pad(i)}.bin`, config.folderObjects, smallBody);
    log(`${config.folderObjects} folder objects uploaded`);
    await rounds(
      folder,
      config.folderRuns,
      {
        ferry: (dst) => tools.ferry(['cp', '-r', `rgw:${SRC}/folder/`, `rgw:${DST}/${dst}/`], dataDir),
        rclone16: (dst) =>
          tools.rclone(['copy', `rgw:${SRC}/folder`, `rgw:${DST}/${dst}/folder`, '--transfers', '16']),
        rcloneTuned: (dst) =>
          tools.rclone([
            'copy',
            `rgw:${SRC}/folder`,
            `rgw:${DST}/${dst}/folder`,
            '--transfers',
            '32',
            '--checkers',
            '32',
            '--no-check-dest',
          ]),
      },
      async (tool, dst) => {
        const n = await deletePrefix(admin, DST, `${dst}/`);
        if (n !== config.folderObjects)
          folder.problems.push(`${tool} copied ${n} of ${config.folderObjects} objects`);
      },
    );
    await deletePrefix(admin, SRC, 'folder/');

    const report = buildReport(cases, resumeTotals, tools.rcloneVersion, server.endpoint, loadBefore, notes);
    writeResults(report);
  } finally {
    log('cleaning up');
    try {
      await abortAllUploads(admin, DST).catch(() => 0);
      // A server started here is thrown away with its data; someone else's is left as it was found.
      for (const b of server.ownServer ? [] : [SRC, DST]) {
        await deletePrefix(admin, b, '').catch(() => 0);
        await admin.deleteBucket(b, { signal: AbortSignal.timeout(60_000) }).catch(() => undefined);
      }
    } finally {
      await admin.close();
      await proxy.stop();
      server.stop();
      rmSync(work, { recursive: true, force: true });
    }
  }
}

/** Alternating rounds: in round i the tools run in an order rotated by i. */
async function rounds(
  c: CaseResult,
  count: number,
  tools: Partial<Record<ToolName, (dst: string) => Promise<Timed>>>,
  after: (tool: ToolName, dst: string) => Promise<void>,
): Promise<void> {
  const names = Object.keys(tools) as ToolName[];
  let lastRound = 0;
  for (let round = 0; round < count; round++) {
    // A round is expected to take as long as the one before; one that would end past the budget is skipped.
    if (round > 0 && elapsed() + lastRound > config.budgetSeconds) {
      c.problems.push(
        `ran ${round} of ${count} rounds: another would have passed the time budget of ${config.budgetSeconds} s`,
      );
      break;
    }
    const roundStart = elapsed();
    const order = names.map((_, i) => names[(i + round) % names.length]!);
    for (const tool of order) {
      const dst = `${c.id}-${tool}-${round}`;
      const t = ok(await tools[tool]!(dst), `${c.id}: ${tool}`);
      record(c, tool, t);
      await after(tool, dst);
    }
    c.rounds = round + 1;
    lastRound = elapsed() - roundStart;
    log(
      `${c.id} round ${round + 1}: ${order.map((t) => `${t} ${c.seconds[t]!.at(-1)!.toFixed(2)} s`).join(', ')}`,
    );
  }
}

// ------------------------------------------------------------------------------------------
// Report

interface Row {
  figure: string;
  ferry: string;
  rclone16: string;
  rcloneTuned: string;
  ratio16: string;
  ratioTuned: string;
  target: string;
  met: boolean | null;
}

interface Report {
  date: string;
  durationSeconds: number;
  machine: Record<string, string>;
  config: typeof config;
  cases: (CaseResult & { median: Partial<Record<ToolName, number>> })[];
  resume: Partial<Record<ToolName, number>>;
  targets: { name: string; value: string; met: boolean | null }[];
  rows: Row[];
  notes: string[];
}

function buildReport(
  cases: CaseResult[],
  resume: Partial<Record<ToolName, number>>,
  rcloneVersion: string,
  endpoint: string,
  loadBefore: number[],
  notes: string[],
): Report {
  const withMedians = cases.map((c) => ({
    ...c,
    median: Object.fromEntries(Object.entries(c.seconds).map(([k, v]) => [k, median(v)])) as Partial<
      Record<ToolName, number>
    >,
  }));
  const get = (id: string) => withMedians.find((c) => c.id === id);
  const s = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? '–' : `${v.toFixed(2)} s`);
  const speed = (ferry?: number, other?: number) => (ferry && other ? `${(other / ferry).toFixed(2)}×` : '–');
  const rows: Row[] = [];
  const targets: Report['targets'] = [];
  for (const id of ['small', 'folder', 'list']) {
    const c = get(id);
    if (!c) continue;
    const m = c.median;
    rows.push({
      figure: `${c.title} (${c.rounds} rounds)`,
      ferry: s(m.ferry),
      rclone16: s(m.rclone16),
      rcloneTuned: s(m.rcloneTuned),
      ratio16: speed(m.ferry, m.rclone16),
      ratioTuned: speed(m.ferry, m.rcloneTuned),
      target: id === 'small' ? '≥ 1.5× rclone 16, > 1× tuned' : '–',
      met: id === 'small' && m.ferry ? m.rclone16! / m.ferry >= 1.5 && m.rcloneTuned! / m.ferry > 1 : null,
    });
    if (id === 'small' && m.ferry) {
      targets.push({
        name: 'small objects: ≥ 1.5× rclone --transfers 16',
        value: speed(m.ferry, m.rclone16),
        met: m.rclone16! / m.ferry >= 1.5,
      });
      targets.push({
        name: 'small objects: ahead of tuned rclone',
        value: speed(m.ferry, m.rcloneTuned),
        met: m.rcloneTuned! / m.ferry > 1,
      });
    }
  }
  const big = get('multipart');
  if (big) {
    const m = big.median;
    const ofCeiling = m.ferry && m.ceiling ? m.ferry / m.ceiling : NaN;
    rows.push({
      figure: `${big.title} (${big.rounds} rounds); server ceiling ${s(m.ceiling)}`,
      ferry: `${s(m.ferry)} (${ofCeiling.toFixed(2)}× ceiling)`,
      rclone16: `${s(m.rclone16)} (${(m.rclone16! / m.ceiling!).toFixed(2)}× ceiling)`,
      rcloneTuned: `${s(m.rcloneTuned)} (${(m.rcloneTuned! / m.ceiling!).toFixed(2)}× ceiling)`,
      ratio16: speed(m.ferry, m.rclone16),
      ratioTuned: speed(m.ferry, m.rcloneTuned),
      target: 'Ferry ≤ 1.1× server ceiling',
      met: ofCeiling <= 1.1,
    });
    targets.push({
      name: 'multipart copy within 1.1× of the server ceiling',
      value: `${ofCeiling.toFixed(2)}×`,
      met: ofCeiling <= 1.1,
    });
  }
  if (resume.ferry !== undefined) {
    rows.push({
      figure: `resume: ${config.bigMiB} MiB killed at 50 %, bytes copied ÷ size`,
      ferry: `${resume.ferry.toFixed(2)}×`,
      rclone16: resume.rclone16 !== undefined ? `${resume.rclone16.toFixed(2)}×` : '–',
      rcloneTuned: '–',
      ratio16: '–',
      ratioTuned: '–',
      target: '≤ 1.1× object size',
      met: resume.ferry <= 1.1,
    });
    targets.push({
      name: 'resume total ≤ 1.1× object size',
      value: `${resume.ferry.toFixed(2)}×`,
      met: resume.ferry <= 1.1,
    });
  }
  const folder = get('folder');
  const smallCase = get('small');
  if (folder?.peakRssMiB.ferry && smallCase?.peakRssMiB.ferry) {
    const f = Math.max(...folder.peakRssMiB.ferry);
    const sm = Math.max(...smallCase.peakRssMiB.ferry);
    const r16 = Math.max(...(folder.peakRssMiB.rclone16 ?? [NaN]));
    const rt = Math.max(...(folder.peakRssMiB.rcloneTuned ?? [NaN]));
    const growth = f / sm;
    rows.push({
      figure: `peak RSS, ${config.folderObjects.toLocaleString('en')}-object copy (Ferry at ${config.smallObjects.toLocaleString('en')} objects: ${sm.toFixed(0)} MiB)`,
      ferry: `${f.toFixed(0)} MiB`,
      rclone16: `${r16.toFixed(0)} MiB`,
      rcloneTuned: `${rt.toFixed(0)} MiB`,
      ratio16: `${(f / r16).toFixed(2)}× rclone's`,
      ratioTuned: `${(f / rt).toFixed(2)}× rclone's`,
      target: `flat in objects (${growth.toFixed(2)}× from ${config.smallObjects} to ${config.folderObjects})`,
      met: growth <= 1.25,
    });
    targets.push({
      name: `memory flat in the number of objects (peak RSS ${config.smallObjects} → ${config.folderObjects} objects; ≤ 1.25× counted as flat)`,
      value: `${sm.toFixed(0)} → ${f.toFixed(0)} MiB (${growth.toFixed(2)}×)`,
      met: growth <= 1.25,
    });
  }
  const cpus = os.cpus();
  const ceph = spawnSync('radosgw', ['--version'], { encoding: 'utf8' });
  return {
    date: new Date().toISOString(),
    durationSeconds: Math.round(elapsed()),
    machine: {
      os: `${os.type()} ${os.release()} (${readOsRelease()})`,
      cpu: `${cpus.length} × ${cpus[0]?.model ?? 'unknown'}`,
      memory: `${(os.totalmem() / 1024 ** 3).toFixed(0)} GiB`,
      node: process.version,
      rclone: rcloneVersion,
      server: `Ceph RGW ${(ceph.stdout || '').trim().split(' ').slice(2, 3).join('') || '?'} (in-memory OSD) at ${endpoint}, same machine`,
      loadBefore: loadBefore.map((l) => l.toFixed(2)).join(' '),
      loadAfter: os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' '),
    },
    config,
    cases: withMedians,
    resume,
    targets,
    rows,
    notes,
  };
}

function readOsRelease(): string {
  try {
    return /PRETTY_NAME="([^"]+)"/.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] ?? '';
  } catch {
    return '';
  }
}

function markdown(r: Report): string {
  const lines = [
    `Ferry vs rclone on Ceph RGW — ${r.date}, ${r.durationSeconds} s`,
    '',
    `Machine: ${r.machine.cpu}, ${r.machine.memory}, ${r.machine.os}, Node ${r.machine.node}; ${r.machine.rclone}; ${r.machine.server}. Load average before/after: ${r.machine.loadBefore} / ${r.machine.loadAfter}.`,
    '',
    'Ratios are rclone time ÷ Ferry time (above 1: Ferry is faster). "rclone 16": `--transfers 16`; "tuned": `--transfers 32 --checkers 32 --no-check-dest` (`--s3-copy-cutoff 64M` for the large object, `--fast-list` for listing). Each figure is the median of the rounds shown; tools alternate within every round.',
    '',
    '| figure | Ferry | rclone 16 | rclone tuned | vs rclone 16 | vs tuned | target | met |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...r.rows.map(
      (row) =>
        `| ${row.figure} | ${row.ferry} | ${row.rclone16} | ${row.rcloneTuned} | ${row.ratio16} | ${row.ratioTuned} | ${row.target} | ${row.met === null ? '–' : row.met ? 'yes' : 'no'} |`,
    ),
    '',
  ];
  const problems = r.cases.flatMap((c) => c.problems.map((p) => `${c.id}: ${p}`));
  if (problems.length || r.notes.length) {
    lines.push('Notes:', '', ...[...problems, ...r.notes].map((p) => `- ${p}`), '');
  }
  return lines.join('\n');
}

function writeResults(r: Report): void {
  const dir = path.join(root, 'bench-results');
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'latest.json'), `${JSON.stringify(r, null, 2)}\n`);
  const md = markdown(r);
  writeFileSync(path.join(dir, 'latest.md'), md);
  process.stdout.write(`\n${md}\n`);
  for (const t of r.targets) process.stdout.write(`${t.met ? 'MET    ' : 'MISSED '} ${t.name}: ${t.value}\n`);
  process.stdout.write(`\nwritten: bench-results/latest.json, bench-results/latest.md\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
