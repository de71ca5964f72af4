/**
 * The paths where every byte passes through the client: an upload of a file on this computer, a
 * download to a folder on this computer, and a copy between two accounts (no server-side copy is
 * possible, so every tool streams it). Each against rclone (defaults and tuned), awscli where it
 * applies, and the bare ceiling of stream-ceiling.ts with Ferry's part size and parallelism.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';
import { S3Store } from '../../main/storage/s3/s3-store';
import { MiB, log } from './common';
import { deletePrefix, putBig } from './data';
import { newCase, type CaseResult } from './report';
import { ok, rounds } from './rounds';
import type { Server } from './server';
import type { Tools } from './tools';

/** Ferry's defaults (main/core/settings.ts), which the ceiling copies. */
const PART_MIB = 64;
const PARTS_IN_FLIGHT = 8;

export const STREAMED_CASES = ['upload', 'download', 'cross'] as const;
export type StreamedCase = (typeof STREAMED_CASES)[number];

export interface StreamedBench {
  server: Server;
  tools: Tools;
  admin: S3Store;
  work: string;
  SRC: string;
  DST: string;
  /** Ferry's data folder, with the profile `rgw` (and `rgw2` is added here for the second user). */
  dataDir: string;
  sizeMiB: number;
  runs: number;
  budgetSeconds: number;
  wanted: (c: StreamedCase) => boolean;
  notes: string[];
}

function writeRandomFile(file: string, size: number): void {
  const fd = openSync(file, 'w');
  try {
    for (let done = 0; done < size;) {
      const chunk = randomBytes(Math.min(16 * MiB, size - done));
      writeSync(fd, chunk);
      done += chunk.length;
    }
  } finally {
    closeSync(fd);
  }
}

const tuneUpload = ['--s3-upload-concurrency', String(PARTS_IN_FLIGHT), '--s3-chunk-size', `${PART_MIB}M`];

export async function runStreamedCases(b: StreamedBench): Promise<CaseResult[]> {
  const { tools, admin, SRC, DST, server } = b;
  const size = b.sizeMiB * MiB;
  const cases: CaseResult[] = [];
  const ceilingEnv = {
    ENDPOINT: server.endpoint,
    ACCESS_KEY_ID: server.accessKeyId,
    SECRET_ACCESS_KEY: server.secretAccessKey,
    SIZE: String(size),
    PART_MIB: String(PART_MIB),
    IN_FLIGHT: String(PARTS_IN_FLIGHT),
  };
  const headSize = (store: S3Store, bucket: string, key: string) =>
    store
      .headObject({ bucket, key }, { signal: AbortSignal.timeout(60_000) })
      .then((h) => h.size)
      .catch(() => undefined);
  const local = path.join(b.work, 'computer');
  mkdirSync(local, { recursive: true });

  if (b.wanted('upload')) {
    const c = newCase(
      'upload',
      `upload of a ${b.sizeMiB} MiB file to a bucket`,
      'file on disk → multipart upload',
    );
    cases.push(c);
    const file = path.join(local, 'upload-source.bin');
    writeRandomFile(file, size);
    log(`${b.sizeMiB} MiB file written for the upload`);
    const to = (dst: string) => `${dst}/object.bin`;
    await rounds(
      c,
      b.runs,
      b.budgetSeconds,
      {
        ferry: (dst) => tools.ferry(['cp', file, `rgw:${DST}/${dst}/`], b.dataDir),
        rclone16: (dst) => tools.rclone(['copyto', file, `rgw:${DST}/${to(dst)}`]),
        rcloneTuned: (dst) => tools.rclone(['copyto', file, `rgw:${DST}/${to(dst)}`, ...tuneUpload]),
        aws: (dst) => tools.aws(['s3', 'cp', '--only-show-errors', file, `s3://${DST}/${to(dst)}`], false),
        awsTuned: (dst) =>
          tools.aws(['s3', 'cp', '--only-show-errors', file, `s3://${DST}/${to(dst)}`], true),
        ceiling: (dst) =>
          tools.streamCeiling({
            ...ceilingEnv,
            MODE: 'upload',
            FILE: file,
            DST_BUCKET: DST,
            DST_KEY: to(dst),
          }),
      },
      async (tool, dst) => {
        const got = await headSize(
          admin,
          DST,
          `${dst}/${tool === 'ferry' ? 'upload-source.bin' : 'object.bin'}`,
        );
        if (got !== size) c.problems.push(`${tool}: the upload has ${got ?? 'no'} bytes`);
        await deletePrefix(admin, DST, `${dst}/`);
      },
    );
    rmSync(file, { force: true });
  }

  if (b.wanted('download') || b.wanted('cross')) {
    await putBig(admin, SRC, 'stream/object.bin', size);
    log(`${b.sizeMiB} MiB object uploaded for the download and the cross-account copy`);
  }

  if (b.wanted('download')) {
    const c = newCase(
      'download',
      `download of a ${b.sizeMiB} MiB object to a folder`,
      'ranged GETs → file on disk',
    );
    cases.push(c);
    const src = `${SRC}/stream/object.bin`;
    const into = (dst: string) => {
      mkdirSync(path.join(local, dst), { recursive: true });
      return path.join(local, dst, 'object.bin');
    };
    await rounds(
      c,
      b.runs,
      b.budgetSeconds,
      {
        ferry: (dst) => tools.ferry(['cp', `rgw:${src}`, `${path.dirname(into(dst))}/`], b.dataDir),
        rclone16: (dst) => tools.rclone(['copyto', `rgw:${src}`, into(dst)]),
        rcloneTuned: (dst) =>
          tools.rclone([
            'copyto',
            `rgw:${src}`,
            into(dst),
            '--multi-thread-streams',
            String(PARTS_IN_FLIGHT),
          ]),
        aws: (dst) => tools.aws(['s3', 'cp', '--only-show-errors', `s3://${src}`, into(dst)], false),
        awsTuned: (dst) => tools.aws(['s3', 'cp', '--only-show-errors', `s3://${src}`, into(dst)], true),
        ceiling: (dst) =>
          tools.streamCeiling({
            ...ceilingEnv,
            MODE: 'download',
            FILE: into(dst),
            SRC_BUCKET: SRC,
            SRC_KEY: 'stream/object.bin',
          }),
      },
      async (tool, dst) => {
        const file = path.join(local, dst, 'object.bin');
        let got: number | undefined;
        try {
          got = statSync(file).size;
        } catch {
          got = undefined;
        }
        if (got !== size) c.problems.push(`${tool}: the download has ${got ?? 'no'} bytes`);
        rmSync(path.join(local, dst), { recursive: true, force: true });
      },
    );
  }

  if (b.wanted('cross')) {
    const second = server.secondUser;
    if (!second) {
      b.notes.push(
        'cross: skipped — no second user on the server (set FERRY_BENCH_S3_ACCESS_KEY_ID_2 and …_SECRET_ACCESS_KEY_2, or let the bench start its own RGW)',
      );
      return cases;
    }
    const c = newCase(
      'cross',
      `copy of a ${b.sizeMiB} MiB object to another account`,
      'streamed: GET → multipart upload',
    );
    cases.push(c);
    const other = new S3Store({
      endpoint: server.endpoint,
      region: 'us-east-1',
      pathStyle: true,
      credentials: second,
      requestTimeoutMs: 120_000,
    });
    const DST2 = `${DST}-second`;
    try {
      await other.createBucket(DST2, undefined, { signal: AbortSignal.timeout(60_000) });
      ok(
        await tools.ferry(
          [
            'profile',
            'add',
            'rgw2',
            '--provider',
            's3',
            '--endpoint',
            server.endpoint,
            '--region',
            'us-east-1',
            '--path-style',
            '--access-key-id',
            second.accessKeyId,
            '--secret-access-key',
            second.secretAccessKey,
          ],
          b.dataDir,
        ),
        'ferry profile add rgw2',
      );
      const src = `${SRC}/stream/object.bin`;
      const to = (dst: string) => `${DST2}/${dst}/object.bin`;
      await rounds(
        c,
        b.runs,
        b.budgetSeconds,
        {
          ferry: (dst) => tools.ferry(['cp', `rgw:${src}`, `rgw2:${DST2}/${dst}/`], b.dataDir),
          rclone16: (dst) => tools.rclone(['copyto', `rgw:${src}`, `rgw2:${to(dst)}`]),
          rcloneTuned: (dst) => tools.rclone(['copyto', `rgw:${src}`, `rgw2:${to(dst)}`, ...tuneUpload]),
          ceiling: (dst) =>
            tools.streamCeiling({
              ...ceilingEnv,
              MODE: 'copy',
              SRC_BUCKET: SRC,
              SRC_KEY: 'stream/object.bin',
              DST_BUCKET: DST2,
              DST_KEY: `${dst}/object.bin`,
              DST_ACCESS_KEY_ID: second.accessKeyId,
              DST_SECRET_ACCESS_KEY: second.secretAccessKey,
            }),
        },
        async (tool, dst) => {
          const got = await headSize(other, DST2, `${dst}/object.bin`);
          if (got !== size) c.problems.push(`${tool}: the copy has ${got ?? 'no'} bytes`);
          await deletePrefix(other, DST2, `${dst}/`);
        },
      );
    } finally {
      await deletePrefix(other, DST2, '').catch(() => 0);
      await other.deleteBucket(DST2, { signal: AbortSignal.timeout(60_000) }).catch(() => undefined);
      await other.close();
    }
  }
  await deletePrefix(admin, SRC, 'stream/').catch(() => 0);
  return cases;
}
