/**
 * Progress inside parts, against Ceph RGW: a streamed copy reports bytes while a part is still on
 * its way (not only when it finishes), and a server-side part copy — which says nothing until it
 * answers — shows the parts in flight and an estimate from the measured part rate, marked as one.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';
import type { CopyOptions, TaskProgress, TaskSummary } from '../../preload/shared/contract';
import { EventBus } from '../../main/core/events';
import { DEFAULT_SETTINGS } from '../../main/core/settings';
import { LocalStore } from '../../main/storage/local/local-store';
import type { ObjectStore } from '../../main/storage/provider';
import { S3Store } from '../../main/storage/s3/s3-store';
import { CopyEngine } from '../../main/tasks/copy-engine';
import { removeBucket, requireRgw, uniqueBucket } from '../support/rgw';

const rgw = requireRgw();
const MiB = 1024 * 1024;
const s3 = new S3Store({
  endpoint: rgw.endpoint,
  region: rgw.region,
  pathStyle: true,
  credentials: { accessKeyId: rgw.accessKeyId, secretAccessKey: rgw.secretAccessKey },
  requestTimeoutMs: 30_000,
  copyTimeoutMs: 60_000,
});
const opts = () => ({ signal: AbortSignal.timeout(60_000) });
const bucket = uniqueBucket('inparts');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'ferry-inparts-'));
const local = new LocalStore(path.join(tmp, 'local'));
const body = randomBytes(16 * MiB);

/** Local reads trickle out (64 KiB every 10 ms), so one 8 MiB part takes over a second to send. */
const slowLocal = new Proxy(local, {
  get(target, prop) {
    const value = Reflect.get(target, prop, target) as unknown;
    if (prop !== 'getObject') return typeof value === 'function' ? value.bind(target) : value;
    return async (...args: Parameters<ObjectStore['getObject']>) => {
      const inner = (await (target as ObjectStore).getObject(...args)) as Readable;
      return Readable.from(
        (async function* () {
          for await (const chunk of inner) {
            const buf = chunk as Buffer;
            for (let i = 0; i < buf.length; i += 64 * 1024) {
              await sleep(10);
              yield buf.subarray(i, i + 64 * 1024);
            }
          }
        })(),
      );
    };
  },
}) as ObjectStore;

/** RGW whose UploadPartCopy answers only after `partCopyDelay` ms more than it took. */
let partCopyDelay = 0;
const slowCopies = new Proxy(s3, {
  get(target, prop) {
    const value = Reflect.get(target, prop, target) as unknown;
    if (prop !== 'uploadPartCopy') return typeof value === 'function' ? value.bind(target) : value;
    return async (...args: Parameters<ObjectStore['uploadPartCopy']>) => {
      const result = await target.uploadPartCopy(...args);
      await sleep(partCopyDelay);
      return result;
    };
  },
}) as ObjectStore;

function engine() {
  const bus = new EventBus();
  const progress: TaskProgress[] = [];
  bus.subscribe((m) => void (m.event === 'task.progress' && progress.push(m.payload)));
  const quiet = () => undefined;
  const e = new CopyEngine({
    layout: { checkpoints: path.join(mkdtempSync(path.join(tmp, 'data-')), 'checkpoints') },
    stores: {
      storeFor: (id) => {
        if (id === 'rgw') return slowCopies;
        if (id === 'local') return slowLocal;
        throw new Error(`no profile ${id}`);
      },
    },
    settings: { get: () => ({ ...DEFAULT_SETTINGS, partsInFlight: 1 }) },
    bus,
    logger: { debug: quiet, info: quiet, warn: quiet, error: quiet, redact: (s: string) => s },
  });
  return { engine: e, progress };
}

const PARTS: CopyOptions = {
  metadataDirective: 'COPY',
  conflict: 'overwrite',
  multipartThreshold: 8 * MiB,
  partSize: 8 * MiB,
};

async function copy(
  e: CopyEngine,
  from: { profileId: string; bucket: string; key: string },
  to: { profileId: string; bucket: string; prefix: string },
): Promise<TaskSummary> {
  const [id] = await e.copy([{ ...from, isFolder: false }], to, PARTS);
  const timeout = sleep(120_000).then(() => {
    throw new Error(`task ${id} did not finish in 120 s`);
  });
  return Promise.race([e.waitFor(id!), timeout]);
}

before(async () => {
  mkdirSync(path.join(tmp, 'local', 'disk'), { recursive: true });
  writeFileSync(path.join(tmp, 'local', 'disk', 'big.bin'), body);
  await s3.createBucket(bucket, undefined, opts());
});

after(async () => {
  await removeBucket(s3, bucket);
  rmSync(tmp, { recursive: true, force: true });
});

test('a streamed upload reports bytes while its part is still flowing, not in whole-part steps', async () => {
  const { engine: e, progress } = engine();
  const t = await copy(
    e,
    { profileId: 'local', bucket: 'disk', key: 'big.bin' },
    { profileId: 'rgw', bucket, prefix: 'up/' },
  );
  assert.equal(t.state, 'done', JSON.stringify(t.error));
  assert.equal(t.strategy, 'stream');
  // Within the first part: some bytes, no part done yet.
  const inside = progress.filter((p) => p.partsDone === 0 && p.bytesDone > 0 && p.bytesDone < 8 * MiB);
  assert.ok(
    inside.length >= 2,
    `bytes inside the first part: ${progress.map((p) => p.bytesDone).join(', ')}`,
  );
  assert.ok(inside.every((p) => p.partsInFlight === 1 && !p.bytesEstimated));
  for (let i = 1; i < progress.length; i++)
    assert.ok(progress[i]!.bytesDone >= progress[i - 1]!.bytesDone, 'progress never goes backwards');
  await e.close();
});

test('a server-side part copy shows its part in flight and an estimate from the measured part rate', async () => {
  const { engine: e, progress } = engine();
  // The first copy measures the part rate (each part copy held for 1.5 s).
  partCopyDelay = 1500;
  const first = await copy(
    e,
    { profileId: 'rgw', bucket, key: 'up/big.bin' },
    { profileId: 'rgw', bucket, prefix: 'one/' },
  );
  assert.equal(first.state, 'done', JSON.stringify(first.error));
  assert.equal(first.strategy, 'multipart-copy');
  const firstEvents = progress.filter((p) => p.id === first.id);
  assert.ok(
    firstEvents.some(
      (p) => p.partsInFlight === 1 && p.partsDone === 0 && !p.bytesEstimated && p.bytesDone === 0,
    ),
    'before anything is measured: the part in flight, no bytes invented',
  );

  const second = await copy(
    e,
    { profileId: 'rgw', bucket, key: 'up/big.bin' },
    { profileId: 'rgw', bucket, prefix: 'two/' },
  );
  assert.equal(second.state, 'done', JSON.stringify(second.error));
  const estimated = progress.filter(
    (p) =>
      p.id === second.id && p.bytesEstimated && p.partsInFlight === 1 && p.bytesDone > p.partsDone * 8 * MiB,
  );
  assert.ok(estimated.length >= 1, JSON.stringify(progress.filter((p) => p.id === second.id)));
  assert.ok(
    estimated.every((p) => p.bytesDone < (p.partsDone + 1) * 8 * MiB),
    'an estimate never claims the whole part',
  );
  partCopyDelay = 0;
  await e.close();
});
