/**
 * `npm run bench`: Ferry against Debian's rclone and awscli on the same Ceph RGW, in the same run,
 * with alternating runs (Ferry, rclone as a typical user runs it and tuned, awscli with its defaults
 * and tuned; the order rotates each round) and the median of each. Every tool runs as its own process
 * from its command line, so each time includes a process start. Prints a table and writes
 * bench-results/latest.json and .md, and the README's table.
 *
 * `npm run bench -- --only small,multipart` runs only the cases named (results then go to
 * bench-results/only-small-multipart.*, and the README is left alone).
 *
 * Cases (defaults are the issues' numbers; env knobs shrink them, and the output says what ran):
 *   small     FERRY_BENCH_SMALL_OBJECTS (1,000) objects of 4 KiB copied bucket to bucket, server-side
 *   multipart one FERRY_BENCH_BIG_MIB (512) MiB object by multipart copy, beside the server's ceiling
 *             (bare UploadPartCopy, 64 MiB parts, 8 in flight: test/bench/ceiling.ts)
 *   resume    the big copy killed (SIGKILL) at 50 % of its bytes and resumed; total bytes the server was
 *             asked to copy (every UploadPartCopy range sent, counted by a loopback proxy) ÷ object size
 *   upload    a FERRY_BENCH_STREAM_MIB (1,024) MiB file on this computer uploaded to a bucket
 *   download  an object of that size downloaded to a folder on this computer
 *   cross     an object of that size copied to another RGW user's bucket (streamed by every tool);
 *             these three run FERRY_BENCH_STREAM_RUNS (3) rounds, beside the bare streamed ceiling
 *             (test/bench/stream-ceiling.ts, Ferry's 64 MiB parts, 8 in flight)
 *   list      FERRY_BENCH_LIST_KEYS (100,000) keys listed recursively (awscli has no faster listing
 *             than rclone's and is left out)
 *   folder    FERRY_BENCH_FOLDER_OBJECTS (10,000) objects of 4 KiB; FERRY_BENCH_FOLDER_RUNS rounds (3)
 *   memory    peak RSS (VmHWM) of each process, sampled every 20 ms
 * FERRY_BENCH_RUNS (5) rounds for small, multipart and list. FERRY_BENCH_BUDGET_S (1320): a round that
 * would end past it (judged by the round before) is not started, and the output says so; the folder
 * case runs last for that reason (one round of it takes about as long as all the others' rounds).
 *
 * The server: see server.ts. The tools: see tools.ts.
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { S3Store } from '../../main/storage/s3/s3-store';
import { FaultProxy, copyRangeBytes } from '../support/fault-proxy';
import { profileAddArgs } from '../support/rgw';
import { MiB, intEnv, log } from './common';
import { abortAllUploads, deletePrefix, putBig, putMany, sha256Of } from './data';
import { buildReport, newCase, writeResults, type CaseResult, type ToolName } from './report';
import { ok, rounds } from './rounds';
import { startServer } from './server';
import { STREAMED_CASES, runStreamedCases } from './streamed';
import type { Timed } from './timed';
import { prepareTools } from './tools';

const SMALL_SIZE = 4096;
const CASES = ['small', 'multipart', 'resume', ...STREAMED_CASES, 'list', 'folder'] as const;
type CaseId = (typeof CASES)[number];

/** `--only a,b` (or `--only=a,b`, or repeated); null when every case runs. */
function parseOnly(argv: string[]): CaseId[] | null {
  const names: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--only') names.push(...(argv[++i] ?? '').split(','));
    else if (arg.startsWith('--only=')) names.push(...arg.slice('--only='.length).split(','));
    else throw new Error(`unknown argument ${arg}; usage: npm run bench [-- --only ${CASES.join(',')}]`);
  }
  if (!names.length) return null;
  for (const n of names)
    if (!(CASES as readonly string[]).includes(n))
      throw new Error(`no bench case "${n}"; the cases are ${CASES.join(', ')}`);
  return CASES.filter((c) => names.includes(c));
}

const only = parseOnly(process.argv.slice(2));
const runs = (id: CaseId) => !only || only.includes(id);

const config = {
  runs: intEnv('FERRY_BENCH_RUNS', 5),
  smallObjects: intEnv('FERRY_BENCH_SMALL_OBJECTS', 1000),
  bigMiB: intEnv('FERRY_BENCH_BIG_MIB', 512),
  folderObjects: intEnv('FERRY_BENCH_FOLDER_OBJECTS', 10_000),
  folderRuns: intEnv('FERRY_BENCH_FOLDER_RUNS', 3),
  listKeys: intEnv('FERRY_BENCH_LIST_KEYS', 100_000),
  streamMiB: intEnv('FERRY_BENCH_STREAM_MIB', 1024),
  streamRuns: intEnv('FERRY_BENCH_STREAM_RUNS', 3),
  budgetSeconds: intEnv('FERRY_BENCH_BUDGET_S', 1320),
  resumePartMiB: 16,
};

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
    // The folder case's memory figure is read against the small case's, so it needs those objects too.
    if (runs('small') || runs('folder')) {
      await putMany(admin, SRC, (i) => `small/${pad(i)}.bin`, config.smallObjects, smallBody);
      log(`${config.smallObjects} small objects uploaded`);
    }
    const bigSize = config.bigMiB * MiB;
    const bigSha =
      runs('multipart') || runs('resume') ? await putBig(admin, SRC, 'big/object.bin', bigSize) : '';
    if (bigSha) log(`${config.bigMiB} MiB object uploaded`);
    // awscli copies "a folder" by prefix; both get the same destination layout as rclone's.
    const awsCopy = (from: string, to: string, tuned: boolean) =>
      tools.aws(
        ['s3', 'cp', '--recursive', '--only-show-errors', `s3://${SRC}/${from}/`, `s3://${DST}/${to}/`],
        tuned,
      );
    /** Every tool copying the folder `name` of SRC to DST/<run>/name, server-side. */
    const folderCopyRuns = (name: string): Partial<Record<ToolName, (dst: string) => Promise<Timed>>> => ({
      ferry: (dst) => tools.ferry(['cp', '-r', `rgw:${SRC}/${name}/`, `rgw:${DST}/${dst}/`], dataDir),
      rclone16: (dst) =>
        tools.rclone(['copy', `rgw:${SRC}/${name}`, `rgw:${DST}/${dst}/${name}`, '--transfers', '16']),
      rcloneTuned: (dst) =>
        tools.rclone([
          'copy',
          `rgw:${SRC}/${name}`,
          `rgw:${DST}/${dst}/${name}`,
          ...['--transfers', '32', '--checkers', '32', '--no-check-dest'],
        ]),
      aws: (dst) => awsCopy(name, `${dst}/${name}`, false),
      awsTuned: (dst) => awsCopy(name, `${dst}/${name}`, true),
    });

    // ---- small objects
    if (runs('small') || runs('folder')) {
      const small = newCase(
        'small',
        `${config.smallObjects.toLocaleString('en')} × 4 KiB, bucket to bucket`,
        'server-side copy of a folder of small objects (seconds, median)',
      );
      cases.push(small);
      const smallRuns = folderCopyRuns('small');
      // With --only folder, one round of the small copy gives the memory figure its baseline.
      await rounds(
        small,
        runs('small') ? config.runs : 1,
        config.budgetSeconds,
        smallRuns,
        async (tool, dst) => {
          const n = await deletePrefix(admin, DST, `${dst}/`);
          if (n !== config.smallObjects)
            small.problems.push(`${tool} copied ${n} of ${config.smallObjects} objects`);
        },
      );
    }

    // ---- multipart copy
    if (runs('multipart')) {
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
        config.budgetSeconds,
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
          aws: (dst) =>
            tools.aws(
              [
                's3',
                'cp',
                '--only-show-errors',
                `s3://${SRC}/big/object.bin`,
                `s3://${DST}/${dst}/object.bin`,
              ],
              false,
            ),
          awsTuned: (dst) =>
            tools.aws(
              [
                's3',
                'cp',
                '--only-show-errors',
                `s3://${SRC}/big/object.bin`,
                `s3://${DST}/${dst}/object.bin`,
              ],
              true,
            ),
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
          const head = await admin
            .headObject({ bucket: DST, key: `${dst}/object.bin` })
            .catch(() => undefined);
          if (head?.size !== bigSize) big.problems.push(`${tool}: the copy has ${head?.size ?? 'no'} bytes`);
          await deletePrefix(admin, DST, `${dst}/`);
        },
      );
    }

    // ---- resume cost
    const resumeTotals: Partial<Record<ToolName, number>> = {};
    if (runs('resume')) {
      const resume = newCase(
        'resume',
        `${config.bigMiB} MiB copy killed at 50 % and resumed`,
        `bytes the server was asked to copy ÷ object size (${config.resumePartMiB} MiB parts)`,
      );
      cases.push(resume);
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
    }

    // ---- upload, download, cross-account: the streamed paths
    cases.push(
      ...(await runStreamedCases({
        server,
        tools,
        admin,
        work,
        SRC,
        DST,
        dataDir,
        sizeMiB: config.streamMiB,
        runs: config.streamRuns,
        budgetSeconds: config.budgetSeconds,
        wanted: runs,
        notes,
      })),
    );

    // ---- listing
    if (runs('list')) {
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
        config.budgetSeconds,
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
    }

    // ---- folder of many objects (and memory)
    if (runs('folder')) {
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
        config.budgetSeconds,
        folderCopyRuns('folder'),
        async (tool, dst) => {
          const n = await deletePrefix(admin, DST, `${dst}/`);
          if (n !== config.folderObjects)
            folder.problems.push(`${tool} copied ${n} of ${config.folderObjects} objects`);
        },
      );
      await deletePrefix(admin, SRC, 'folder/');
    }

    const report = buildReport({
      cases,
      resume: resumeTotals,
      versions: { rclone: tools.rcloneVersion, aws: tools.awsVersion },
      endpoint: server.endpoint,
      loadBefore,
      notes,
      config,
      only,
    });
    await writeResults(report);
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

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
