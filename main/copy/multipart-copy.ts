/**
 * Multipart transfers with resume: Initiate (metadata reproduced, §5.1), parts in parallel with a
 * checkpoint after each, Complete, and the resume rules of docs/PROTOCOL.md §5.4 / §8. The part sender
 * is the only difference between a server-side multipart copy (UploadPartCopy with if-match) and a
 * streamed one (ranged GET → UploadPart, stream-copy.ts).
 */
import { StorageError } from '../storage/errors';
import { DEFAULT_RETRY_POLICY, abortableSleep, backoffDelay, shouldRetry } from '../storage/retry';
import type { ObjectHead, ObjectRef, PartResult, WriteOptions } from '../storage/provider';
import { isCode, type ObjectCopyContext } from './context';
import { comparableEtag, sameEtag } from '../../preload/shared/etag';
import { withCarriedOver } from './carried-over';
import { combinedCrc64 } from './crc-check';
import { fingerprintOf, resetJob, sameSource, type DonePart } from './job';
import { runBounded, settleAll } from './limiter';
import { writeOptionsFor } from './metadata';
import { choosePartSize, partLength, planParts, type PartLimits, type PlannedPart } from './plan';
import { headOrUndefined, mismatchOf, multipartEtag, verificationFailed, type Written } from './verify';
import { recheckFreeBeforeComplete } from './write-conflict';

/** `flowed` reports bytes as they stream (a sender that streams nothing through us ignores it). */
export type PartSender = (
  part: PlannedPart,
  uploadId: string,
  signal: AbortSignal,
  flowed: (bytes: number) => void,
) => Promise<PartResult>;

/** Server clocks differ from ours; an upload or object this much older than our record is not ours. */
const CLOCK_SLACK_MS = 15 * 60 * 1000;

export async function multipartCopy(
  ctx: ObjectCopyContext,
  head: ObjectHead,
  srcRef: ObjectRef,
  write?: WriteOptions,
): Promise<Written> {
  const { dst } = ctx;
  return runMultipart(
    ctx,
    head,
    srcRef,
    (part, uploadId, signal) =>
      dst.store.uploadPartCopy(
        dst.bucket,
        ctx.job.dstKey,
        uploadId,
        part.number,
        srcRef,
        { start: part.start, end: part.end },
        // Every part is pinned to the planned source: a change mid-copy fails with 412, never mixes.
        head.etag,
        { signal },
      ),
    // …where the server honours the condition. Ceph RGW ignores it on UploadPartCopy and copies the
    // new bytes, so the source is checked once more before Complete: a mixed upload is never completed.
    () => assertSourceUnchanged(ctx, srcRef),
    write,
  );
}

/**
 * Runs (or resumes) the upload; returns the ETag the result should have, when predictable.
 * `write`: the Initiate options when the caller has read them already (they are read otherwise).
 */
export async function runMultipart(
  ctx: ObjectCopyContext,
  head: ObjectHead,
  srcRef: ObjectRef,
  send: PartSender,
  beforeComplete?: () => Promise<void>,
  write?: WriteOptions,
): Promise<Written> {
  const { job, dst, signal } = ctx;
  const fp = job.fingerprint!;
  // An intent recorded by an earlier run (or attempt): uploads it may have created are looked for.
  const earlierIntent = job.initiatingAt !== undefined;
  if (job.partSize !== undefined && !fitsDialect(job.partSize, fp.size, dst.store.capabilities)) {
    // Checkpoints are checked against every dialect's bounds (1 byte … 5 GiB); this service's own
    // are known only here. Parts it refuses would fail Complete after the whole copy: start over.
    ctx.log.warn(
      `the recorded part size ${job.partSize} of "${job.dstKey}" is outside what this service accepts; copying the object again`,
    );
    if (job.uploadId) await abortUpload(ctx, job.uploadId);
    delete job.uploadId;
    delete job.partSize;
    job.doneParts = [];
    job.phase = 'pending';
    await ctx.checkpoint();
  }
  if (job.uploadId) {
    const state = await reconcileUpload(ctx);
    // The recorded upload is the one adopted; any other begun for this key since the intent — an
    // Initiate the server ran after its client was killed, even after the last resume looked — goes.
    if (state !== 'restart') await abortLostUploads(ctx);
    if (state === 'already-complete') return {};
  }

  if (!job.uploadId) {
    await abortLostUploads(ctx);
    job.partSize = choosePartSize(fp.size, ctx.limits().partSize, dst.store.capabilities);
    job.partCount = planParts(fp.size, job.partSize).length;
    job.initiate =
      write ??
      (await withCarriedOver(
        ctx,
        head,
        await writeOptionsFor(ctx.src.store, srcRef, head, ctx.options, { signal }, (m) => ctx.log.warn(m)),
      ));
    job.doneParts = [];
    job.phase = 'initiating';
    job.initiatingAt = new Date().toISOString();
    await ctx.checkpoint();
    const uploadId = await initiateUpload(ctx, job.initiate);
    job.uploadId = uploadId;
    job.phase = 'copying';
    // Registered and checkpointed before any part is sent, so a kill from here on can always find
    // it. The two files are written together: with only one of them on disk, a resume still finds
    // the upload (by its id, or as one begun after `initiatingAt`).
    await settleAll([
      ctx.uploads.add({
        profileId: dst.profileId,
        bucket: dst.bucket,
        key: job.dstKey,
        uploadId,
        taskId: ctx.taskId,
        createdAt: new Date().toISOString(),
      }),
      ctx.checkpoint(),
    ]);
    ctx.progressed();
  }

  const uploadId = job.uploadId!;
  const plan = planParts(fp.size, job.partSize!);
  // A checkpoint written before part counts were stored learns its count here, on resume.
  job.partCount = plan.length;
  const done = new Set(job.doneParts.map((p) => p.number));
  const missing = plan.filter((p) => !done.has(p.number));
  await runBounded(missing, ctx.limits().partsInFlight, async (part) => {
    const release = await ctx.parts.acquire([ctx.src.profileId, dst.profileId], signal);
    // Server-side part copies say nothing until they answer; streamed ones count bytes as they go.
    const flow = ctx.partStarted?.(partLength(part), job.strategy === 'multipart-copy');
    let result: PartResult;
    let ok = false;
    try {
      result = await send(part, uploadId, signal, (bytes) => flow?.flowed(bytes));
      ok = true;
    } finally {
      release();
      // Ended before the part is recorded below: its bytes move from "in flight" to "done" in one step.
      if (!ok) flow?.end(false);
    }
    const record: DonePart = { number: part.number, etag: result.etag, size: partLength(part) };
    if (result.crc64) record.crc64 = result.crc64;
    flow?.end(true);
    job.doneParts.push(record);
    // A part missing from the checkpoint after a kill is not lost: the resume keeps every part the
    // server lists with the planned size. So parts finishing together share one write, and the last
    // one does not hold up Complete (whose own checkpoint records them all).
    ctx.checkpointSoon().catch(() => undefined);
    ctx.progressed();
  });

  // The source's last look and the checkpoint are independent; both precede Complete. A source that
  // changed leaves 'completing' on disk for a moment, which a resume treats like 'copying'.
  job.phase = 'completing';
  await settleAll([
    partsReproduceSource(ctx) ? undefined : beforeComplete?.(),
    ctx.checkpoint(),
    recheckFreeBeforeComplete(ctx),
  ]);
  const partsCrc = combinedCrc64(job.doneParts, plan.length);
  if (partsCrc && fp.crc64 && partsCrc !== fp.crc64) {
    // The parts hold other bytes than the source: the upload is never completed, nothing is written.
    await abortUpload(ctx, uploadId);
    resetJob(job);
    await ctx.checkpoint();
    throw verificationFailed(
      job.dstKey,
      `its parts have CRC64 ${partsCrc}, the source's is ${fp.crc64}; the upload was aborted and nothing was written`,
    );
  }
  ctx.log.info(`completing upload ${uploadId} of "${job.dstKey}" (${plan.length} parts)`);
  const parts = [...job.doneParts]
    .sort((a, b) => a.number - b.number)
    .map((p) => ({ partNumber: p.number, etag: p.etag }));
  let seen: ObjectHead | undefined;
  let answerCrc: string | undefined;
  try {
    const done = await dst.store.completeMultipartUpload(
      dst.bucket,
      job.dstKey,
      uploadId,
      parts,
      { signal },
      job.createOnly ? { forbidOverwrite: true } : undefined,
    );
    seen = done.head;
    answerCrc = done.crc64;
  } catch (err) {
    // A Complete that ran but whose answer was lost: the upload is gone and the object is there (§5.3).
    if (!isCode(err, 'NoSuchUpload') || !(await destinationIsComplete(ctx))) throw err;
    ctx.log.info(`upload ${uploadId} of "${job.dstKey}" had already completed`);
  }
  await ctx.uploads.remove(uploadId);
  // A killed run's Initiate may reach the server late, after this run's first look: one more look
  // once the object exists, so a resumed copy never ends with an upload no one will finish.
  if (earlierIntent) await abortLostUploads(ctx);
  return {
    expectedEtag: expectedEtag(ctx),
    ...(seen ? { head: seen } : {}),
    ...(answerCrc ? { crc64: answerCrc } : {}),
    ...(partsCrc ? { streamedCrc64: partsCrc } : {}),
  };
}

/** Parts of `partSize` are ones the service takes: within its bounds (the last part may be smaller) and few enough. */
function fitsDialect(partSize: number, size: number, limits: PartLimits): boolean {
  if (partSize > limits.maxPartSize || Math.ceil(size / partSize) > limits.maxParts) return false;
  return partSize >= limits.minPartSize || size <= partSize;
}

/**
 * The parts' ETags (each the MD5 of the bytes copied) combine into exactly the source's own
 * multipart ETag: the parts are the source's parts, byte for byte, so the source needs no second
 * look before Complete. This happens whenever the source was uploaded with the part size used here
 * (64 MiB by default, as many tools do), and the copy then keeps the source's ETag.
 */
function partsReproduceSource(ctx: ObjectCopyContext): boolean {
  const source = comparableEtag(ctx.job.fingerprint!.etag);
  if (!source.includes('-')) return false;
  return multipartEtag(ctx.job.doneParts) === source;
}

function expectedEtag(ctx: ObjectCopyContext): string | undefined {
  return ctx.dst.store.kind === 's3' ? multipartEtag(ctx.job.doneParts) : undefined;
}

/**
 * Resume: keep only the parts the server has with the planned number and size and, where the
 * checkpoint knows it, the same ETag. Parts the server finished after the last checkpoint are kept
 * too: every part of this upload was copied from the same pinned source and plan.
 */
async function reconcileUpload(ctx: ObjectCopyContext): Promise<'resumed' | 'already-complete' | 'restart'> {
  const { job, dst, signal } = ctx;
  const uploadId = job.uploadId!;
  const listed = new Map<number, { etag: string; size: number; crc64?: string }>();
  try {
    for await (const p of dst.store.listParts(dst.bucket, job.dstKey, uploadId, { signal }))
      listed.set(p.partNumber, p);
  } catch (err) {
    if (!isCode(err, 'NoSuchUpload')) throw err;
    if (job.phase === 'completing' && (await destinationIsComplete(ctx))) {
      ctx.log.info(`upload ${uploadId} of "${job.dstKey}" completed before the restart; keeping the result`);
      await ctx.uploads.remove(uploadId);
      return 'already-complete';
    }
    ctx.log.warn(`upload ${uploadId} of "${job.dstKey}" no longer exists; copying the object again`);
    await ctx.uploads.remove(uploadId);
    delete job.uploadId;
    job.doneParts = [];
    job.phase = 'pending';
    await ctx.checkpoint();
    return 'restart';
  }
  const recorded = new Map(job.doneParts.map((p) => [p.number, p]));
  const accepted: DonePart[] = [];
  for (const part of planParts(job.fingerprint!.size, job.partSize!)) {
    const server = listed.get(part.number);
    if (!server || server.size !== partLength(part)) continue;
    const mine = recorded.get(part.number);
    if (mine && !sameEtag(mine.etag, server.etag)) continue;
    const keep: DonePart = { number: part.number, etag: mine?.etag ?? server.etag, size: server.size };
    const crc64 = mine?.crc64 ?? server.crc64;
    if (crc64) keep.crc64 = crc64;
    accepted.push(keep);
  }
  const dropped = job.doneParts.filter((p) => !accepted.some((a) => a.number === p.number)).length;
  if (dropped > 0)
    ctx.log.warn(
      `${dropped} recorded part(s) of "${job.dstKey}" are not on the server as recorded; copying them again`,
    );
  ctx.log.info(`resuming upload ${uploadId} of "${job.dstKey}": ${accepted.length} part(s) already there`);
  job.doneParts = accepted;
  job.phase = 'copying';
  await ctx.checkpoint();
  ctx.progressed();
  return 'resumed';
}

/** The destination is the finished copy: right size, checksums agree, written after the upload began. */
async function destinationIsComplete(ctx: ObjectCopyContext): Promise<boolean> {
  const { job, dst, signal } = ctx;
  const head = await headOrUndefined(dst.store, { bucket: dst.bucket, key: job.dstKey }, { signal });
  if (!head) return false;
  const started = Date.parse(job.initiatingAt ?? '');
  if (Number.isFinite(started) && Date.parse(head.lastModified) < started - CLOCK_SLACK_MS) return false;
  const plan = planParts(job.fingerprint!.size, job.partSize!);
  const allRecorded = job.doneParts.length === plan.length;
  return mismatchOf(job.fingerprint!, head, allRecorded ? expectedEtag(ctx) : undefined) === undefined;
}

/** How many times Initiate is sent for one upload before the object fails. */
const INITIATE_ATTEMPTS = 4;

/**
 * Initiate is not idempotent — each send may create an upload — so a failed one is never simply sent
 * again: the uploads of this key it may have created (started since `initiatingAt`, owned by no
 * other task) are aborted first. Only failures that may pass (5xx, throttling, resets, timeouts) are
 * tried again.
 */
async function initiateUpload(ctx: ObjectCopyContext, write: WriteOptions): Promise<string> {
  const { job, dst, signal } = ctx;
  for (let attempt = 1; ; attempt++) {
    try {
      return await dst.store.createMultipartUpload(dst.bucket, job.dstKey, write, { signal });
    } catch (err) {
      if (attempt >= INITIATE_ATTEMPTS || signal.aborted || !shouldRetry(err, true)) throw err;
      ctx.log.warn(
        `starting the upload of "${job.dstKey}" failed (${(err as Error).message}); removing any upload it left and trying again`,
      );
      await abortableSleep(backoffDelay(attempt, DEFAULT_RETRY_POLICY), signal);
      await abortLostUploads(ctx);
    }
  }
}

/**
 * Initiate is not idempotent: a kill between its answer and the checkpoint leaves an upload nobody
 * knows the id of. Such uploads of this key, started since our `initiatingAt`, are aborted — unless
 * the registry says another task owns them.
 */
async function abortLostUploads(ctx: ObjectCopyContext): Promise<void> {
  const { job, dst, signal } = ctx;
  if (!job.initiatingAt) return;
  const since = Date.parse(job.initiatingAt) - CLOCK_SLACK_MS;
  for await (const upload of dst.store.listMultipartUploads(dst.bucket, job.dstKey, { signal })) {
    if (upload.key !== job.dstKey || upload.uploadId === job.uploadId) continue;
    if (Date.parse(upload.initiated) < since) continue;
    const owner = ctx.uploads.get(upload.uploadId);
    if (owner && owner.taskId !== ctx.taskId) continue;
    ctx.log.warn(`aborting upload ${upload.uploadId} of "${job.dstKey}", lost by an interrupted run`);
    await abortUpload(ctx, upload.uploadId);
  }
}

export async function abortUpload(
  ctx: Pick<ObjectCopyContext, 'dst' | 'uploads' | 'job'>,
  uploadId: string,
): Promise<void> {
  try {
    await ctx.dst.store.abortMultipartUpload(ctx.dst.bucket, ctx.job.dstKey, uploadId);
  } catch (err) {
    if (!isCode(err, 'NoSuchUpload')) throw err;
  }
  await ctx.uploads.remove(uploadId);
}

/** HEADs the source again; a different fingerprint fails with 412, which starts the object over. */
export async function assertSourceUnchanged(ctx: ObjectCopyContext, srcRef: ObjectRef): Promise<void> {
  const now = await ctx.src.store.headObject(srcRef, { signal: ctx.signal });
  if (!sameSource(ctx.job.fingerprint!, fingerprintOf(now))) throw sourceChanged(ctx.job.srcKey);
}

export function sourceChanged(key: string): StorageError {
  return new StorageError({
    status: 412,
    code: 'PreconditionFailed',
    message: `the source "${key}" changed during the copy`,
  });
}
