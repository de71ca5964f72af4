/**
 * One object's copy from start (or checkpoint) to verified result: HEAD and fingerprint, conflict
 * policy, strategy, the copy itself, verification and — for moves — deleting the source.
 */
import { StorageError, isStorageError } from '../storage/errors';
import type { ObjectHead, ObjectRef, WriteOptions } from '../storage/provider';
import { sameEtag } from '../../preload/shared/etag';
import { resolveConflict } from './conflict';
import { isCode, type ObjectCopyContext } from './context';
import { withCarriedOver } from './carried-over';
import {
  fingerprintOf,
  resetJob,
  sameSource,
  type ObjectJob,
  type ObjectStrategy,
  type SourceFingerprint,
} from './job';
import { ensureTags, readTagsEarly, writeOptionsFor, type EarlyTags } from './metadata';
import { abortUpload, multipartCopy } from './multipart-copy';
import { copyObjectServerSide } from './object-copy';
import { streamCopy } from './stream-copy';
import { crcVerdict, headOrUndefined, mismatchOf, predictableEtag, verifyCopy, type Written } from './verify';
import { giveWayToOtherWriter, holderOfDestination, isWriteConflict } from './write-conflict';

/** How many times an object starts over because its source changed under it before the task fails. */
const MAX_SOURCE_RESTARTS = 2;

/**
 * `source`: what is known of the object beyond its size. An OSS Appendable object is never an
 * UploadPartCopy source (docs/PROTOCOL.md §4.2): one CopyObject up to the CopyObject limit in an
 * unversioned bucket (an object with a version id lives in a versioned one), else a streamed copy.
 */
export async function chooseStrategy(
  ctx: ObjectCopyContext,
  size: number,
  source: { appendable?: boolean; versionId?: string } = {},
): Promise<ObjectStrategy> {
  const copyMax = ctx.dst.store.capabilities.copyObjectMaxSize;
  if (source.appendable) {
    const whole = size <= copyMax && !source.versionId;
    return whole && (await ctx.sameCopyDomain()) ? 'copy-object' : 'stream';
  }
  const threshold = Math.min(ctx.limits().multipartThreshold, copyMax);
  if (await ctx.sameCopyDomain()) return size < threshold ? 'copy-object' : 'multipart-copy';
  return 'stream';
}

export function usesMultipart(ctx: ObjectCopyContext, size: number): boolean {
  return size >= ctx.limits().multipartThreshold;
}

export async function runObjectJob(ctx: ObjectCopyContext): Promise<void> {
  const { job, src, signal } = ctx;
  await recheckRecordedOutcome(ctx);
  if (job.phase === 'done') return;
  if (job.phase !== 'deleting-source') await copyVerified(ctx);
  if (ctx.options.move) {
    if (job.phase !== 'deleting-source') {
      job.phase = 'deleting-source';
      await ctx.checkpoint();
    }
    try {
      await src.store.deleteObject(src.bucket, job.srcKey, { signal });
    } catch (err) {
      if (!isCode(err, 'NoSuchKey')) throw err;
    }
  }
  job.phase = 'done';
  // Not checkpointed here: a folder records it with its own step (dropped from `inFlight`), and a
  // one-object task's checkpoint is deleted as soon as this returns. A kill before either only
  // repeats work that is safe to repeat: the destination is found complete (or copied again, for
  // an idempotent CopyObject), a moved source's delete finds it gone.
  ctx.progressed();
}

/**
 * A job that starts out finished — copied, being moved, or skipped as the same — says so only
 * because a checkpoint does, and a checkpoint is not proof: a body re-hashed by hand or a faulty
 * writer could claim an object that was never written (and a move would then delete its only
 * source). So the destination is looked at in this run before the claim is believed; a claim the
 * destination does not bear out is dropped and the object copied again from the start.
 */
async function recheckRecordedOutcome(ctx: ObjectCopyContext): Promise<void> {
  const { job, dst, signal } = ctx;
  if (job.phase !== 'done' && job.phase !== 'deleting-source') {
    // A skip not yet acted on is decided again: one HEAD of the destination, against the source now.
    if (job.skipped) forgetSkip(ctx);
    return;
  }
  // Finished or half moved (a skip included: the destination held the source's bytes), the
  // destination must hold what the source was — the source itself may be gone already.
  const fp = job.fingerprint;
  const head = fp
    ? await headOrUndefined(dst.store, { bucket: dst.bucket, key: job.dstKey }, { signal })
    : undefined;
  const problem = !fp ? 'no source recorded' : !head ? 'it is missing' : mismatchOf(fp, head);
  if (!problem) return;
  ctx.log.warn(
    `"${job.dstKey}" was recorded as copied but the destination does not bear it out (${problem}); copying it again`,
  );
  resetJob(job);
  if (job.skipped) forgetSkip(ctx);
  await ctx.checkpoint();
}

function forgetSkip(ctx: ObjectCopyContext): void {
  delete ctx.job.skipped;
  ctx.job.conflictResolved = ctx.options.conflict === 'overwrite';
}

async function copyVerified(ctx: ObjectCopyContext): Promise<void> {
  const { job, src, dst, signal } = ctx;
  if (await copiedFromListing(ctx)) return;
  // Looked up (once per task) while the source is looked at; a failure surfaces where it is awaited.
  void ctx.sameCopyDomain().catch(() => undefined);
  for (;;) {
    const early = mayInitiate(ctx)
      ? readTagsEarly(src.store, { bucket: src.bucket, key: job.srcKey }, { signal })
      : undefined;
    const head = await src.store.headObject({ bucket: src.bucket, key: job.srcKey }, { signal });
    const fp = fingerprintOf(head);
    if (job.fingerprint && !sameSource(job.fingerprint, fp)) {
      ctx.log.warn(
        `the source "${job.srcKey}" changed since its copy started; copying it again from the start`,
      );
      await startOver(ctx);
    }
    if (!job.fingerprint) job.fingerprint = fp;
    if (!job.conflictResolved) {
      await resolveConflict(ctx, head);
      job.conflictResolved = true;
      await ctx.checkpoint();
    }
    if (job.skipped) return;
    // Whatever the policy, a key being written is not free for another task's keep-both.
    ctx.claims.claim(job.dstKey);
    if (copiesOntoItself(ctx)) {
      throw new StorageError({
        status: 400,
        code: 'InvalidArgument',
        message: `"${job.srcKey}" would be copied onto itself`,
      });
    }
    const srcRef: ObjectRef = {
      bucket: src.bucket,
      key: job.srcKey,
      ...(fp.versionId ? { versionId: fp.versionId } : {}),
    };
    try {
      const written = await copyOnce(ctx, head, srcRef, early);
      const dstRef = { bucket: dst.bucket, key: job.dstKey };
      const fingerprint = job.fingerprint;
      await Promise.all([
        provenByCopyAnswer(job, fingerprint, written) ||
          removeIfWrong(ctx, verifyCopy(dst.store, dstRef, fingerprint, written, { signal })),
        // Only writes that carried tags themselves (Initiate / PUT); CopyObject keeps them server-side.
        job.strategy !== 'copy-object' &&
          ensureTags(dst.store, dstRef, job.initiate?.tagging, { signal }, ctx.log),
      ]);
      return;
    } catch (err) {
      if (job.createOnly && isWriteConflict(err) && !signal.aborted) {
        const holder = await holderOfDestination(ctx);
        if (holder === 'this-copy') return;
        if (holder === 'another') {
          await giveWayToOtherWriter(ctx);
          if (job.skipped) return;
          continue;
        }
      }
      if (!(isStorageError(err) && err.status === 412) || signal.aborted) throw err;
      job.restarts = (job.restarts ?? 0) + 1;
      if (job.restarts > MAX_SOURCE_RESTARTS) {
        await startOver(ctx);
        throw new StorageError({
          status: 412,
          code: 'SourceChanged',
          message: `the source "${job.srcKey}" kept changing during the copy; nothing was written — retry when it is stable`,
        });
      }
      ctx.log.warn(`the source "${job.srcKey}" changed during the copy; starting this object again`);
      await startOver(ctx);
    }
  }
}

/**
 * The fast path of a folder copy: a small object whose metadata is kept (COPY, no new storage class)
 * and whose destination needs no look first (overwrite) is one CopyObject pinned to the listed ETag —
 * no source HEAD. When the answer's ETag is the source's MD5 ETag, the copy is proven and needs no
 * HEAD either. False (nothing written) when the object does not qualify or its source changed since
 * the listing; the full path then takes over.
 */
async function copiedFromListing(ctx: ObjectCopyContext): Promise<boolean> {
  const { job, src, dst, options, signal } = ctx;
  const listed = job.listed;
  if (!listed || job.phase !== 'pending' || job.fingerprint || !job.conflictResolved) return false;
  if (options.metadataDirective === 'REPLACE' || options.storageClass || options.move) return false;
  if (listed.appendable) return false;
  if (copiesOntoItself(ctx)) return false;
  if ((await chooseStrategy(ctx, listed.size)) !== 'copy-object') return false;
  const dstRef = { bucket: dst.bucket, key: job.dstKey };
  ctx.claims.claim(job.dstKey);
  let result;
  try {
    result = await dst.store.copyObject(
      { bucket: src.bucket, key: job.srcKey },
      dstRef,
      { directive: 'COPY', ifMatch: listed.etag },
      { signal },
    );
  } catch (err) {
    if (isStorageError(err) && (err.status === 412 || err.status === 404) && !signal.aborted) {
      delete job.listed; // changed or gone since the listing: the full path looks again
      return false;
    }
    throw err;
  }
  job.fingerprint = listed;
  job.strategy = 'copy-object';
  job.doneParts = [{ number: 1, etag: result.etag, size: listed.size }];
  const written: Written = { expectedEtag: predictableEtag(src.store.kind, listed.etag) };
  if (result.crc64) written.crc64 = result.crc64;
  if (!provenByCopyAnswer(job, listed, written))
    await removeIfWrong(ctx, verifyCopy(dst.store, dstRef, listed, written, { signal }));
  return true;
}

function copiesOntoItself({ src, dst, job }: ObjectCopyContext): boolean {
  return src.profileId === dst.profileId && src.bucket === dst.bucket && job.srcKey === job.dstKey;
}

/**
 * A CopyObject answered with the MD5 ETag the source had (and the copy was pinned to) wrote exactly
 * the source's bytes: a HEAD would only repeat it. Only a shortcut: where the answer carries a CRC-64
 * that disagrees with the source's, verifyCopy decides (and fails).
 */
function provenByCopyAnswer(job: ObjectJob, fp: SourceFingerprint, written: Written): boolean {
  const expected = written.expectedEtag;
  const answer = job.strategy === 'copy-object' ? job.doneParts[0]?.etag : undefined;
  const crc = crcVerdict(fp, written);
  if (crc && crc !== 'ok') return false;
  return !!expected && !!answer && sameEtag(answer, expected);
}

/**
 * A copy that does not match its source is not kept: it is deleted (its name is left as the source
 * copy found it, or empty), the object fails with what differed, and a retry copies it afresh.
 */
async function removeIfWrong(ctx: ObjectCopyContext, verified: Promise<unknown>): Promise<void> {
  try {
    await verified;
  } catch (err) {
    if (!isCode(err, 'VerificationFailed') || ctx.signal.aborted) throw err;
    const { job, dst } = ctx;
    await dst.store.deleteObject(dst.bucket, job.dstKey, { signal: ctx.signal }).catch((e: unknown) => {
      ctx.log.warn(`the wrong copy "${job.dstKey}" could not be removed: ${(e as Error).message}`);
      throw err;
    });
    resetJob(job);
    await ctx.checkpoint();
    const e = err as StorageError;
    e.message += '; the wrong copy was removed';
    throw e;
  }
}

/**
 * Whether this object may start with an Initiate or PUT that carries the source's tags: a fresh
 * start of an object that is (or, unlisted, may be) above the multipart threshold.
 */
function mayInitiate(ctx: ObjectCopyContext): boolean {
  const { job } = ctx;
  if (job.strategy || job.uploadId !== undefined) return false;
  return job.listed ? usesMultipart(ctx, job.listed.size) : true;
}

async function copyOnce(
  ctx: ObjectCopyContext,
  head: ObjectHead,
  srcRef: ObjectRef,
  early?: EarlyTags,
): Promise<Written> {
  const { job } = ctx;
  let write: WriteOptions | undefined;
  if (!job.strategy) {
    // Above the threshold every strategy starts with an Initiate that carries the source's tags:
    // they are read while the copy domain is looked up, not after.
    const initiates = job.uploadId === undefined && usesMultipart(ctx, head.size);
    const [strategy, options] = await Promise.all([
      chooseStrategy(ctx, head.size, {
        appendable: head.objectType === 'Appendable',
        versionId: head.versionId,
      }),
      initiates
        ? writeOptionsFor(
            ctx.src.store,
            srcRef,
            head,
            ctx.options,
            { signal: ctx.signal },
            (m) => ctx.log.warn(m),
            early,
          ).then((w) => withCarriedOver(ctx, head, w))
        : undefined,
    ]);
    job.strategy = strategy;
    write = options;
  }
  switch (job.strategy) {
    case 'copy-object':
      return copyObjectServerSide(ctx, head, srcRef);
    case 'multipart-copy':
      return multipartCopy(ctx, head, srcRef, write);
    case 'stream':
      // An upload already under way stays multipart even if the threshold changed since.
      return streamCopy(
        ctx,
        head,
        srcRef,
        job.uploadId !== undefined || usesMultipart(ctx, head.size),
        write,
        early,
      );
  }
}

/** Drops the current upload (aborted, so no parts are left behind) and all progress of this object. */
async function startOver(ctx: ObjectCopyContext): Promise<void> {
  const uploadId = ctx.job.uploadId;
  if (uploadId) await abortUpload(ctx, uploadId);
  resetJob(ctx.job);
  await ctx.checkpoint();
  ctx.progressed();
}
