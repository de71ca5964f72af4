/**
 * Skip, skip-if-same and keep-both look at the destination before writing; another writer can slip
 * in between. So when the name was free, every write says "only if still free" (OSS
 * `x-oss-forbid-overwrite: true`, S3 `If-None-Match: *`, docs/PROTOCOL.md §4.1) and a refusal —
 * 409 (OSS `FileAlreadyExists`, S3 `ConditionalRequestConflict`) or 412 (S3) — hands the name to
 * the other writer: keep-both picks the next free name, the skips skip.
 */
import { StorageError, isStorageError } from '../storage/errors';
import type { ObjectCopyContext } from './context';
import { resetJob } from './job';
import { abortUpload } from './multipart-copy';
import { sameEtag } from '../../preload/shared/etag';
import { headOrUndefined, multipartEtag } from './verify';

export function isWriteConflict(err: unknown): boolean {
  return isStorageError(err) && (err.status === 409 || err.status === 412);
}

/**
 * Whose is the object now at the destination, after a conditional write was refused? Nobody's:
 * the refusal was about something else (an S3 412 may be the source's if-match). The source's exact
 * bytes: the write was this copy's own, retried after its answer was lost — it stands.
 */
export async function holderOfDestination(ctx: ObjectCopyContext): Promise<'none' | 'this-copy' | 'another'> {
  const { job, dst, signal } = ctx;
  const head = await headOrUndefined(dst.store, { bucket: dst.bucket, key: job.dstKey }, { signal });
  if (!head) return 'none';
  const fp = job.fingerprint;
  if (!fp || head.size !== fp.size) return 'another';
  const sameBytes =
    fp.crc64 && head.crc64
      ? fp.crc64 === head.crc64
      : sameEtag(head.etag, fp.etag) || sameEtag(head.etag, multipartEtag(job.doneParts) ?? '');
  return sameBytes ? 'this-copy' : 'another';
}

/**
 * Another writer took the name: nothing of this copy is left at it (an upload begun is aborted) and
 * the conflict policy decides again — keep-both from the name first asked for, the skips skip.
 */
export async function giveWayToOtherWriter(ctx: ObjectCopyContext): Promise<void> {
  const { job } = ctx;
  const taken = job.dstKey;
  if (job.uploadId) await abortUpload(ctx, job.uploadId);
  resetJob(job);
  delete job.createOnly;
  if (ctx.options.conflict === 'keep-both') {
    ctx.log.warn(`"${taken}" was written by someone else just before this copy; choosing another name`);
    job.dstKey = job.requestedKey ?? job.dstKey;
    job.conflictResolved = false;
  } else {
    ctx.log.info(`skipped "${taken}": it was written by someone else just before this copy`);
    job.skipped = true;
  }
  await ctx.checkpoint();
  ctx.progressed();
}

/**
 * Where the destination's service does not promise to refuse an overwrite on Complete (Ceph RGW
 * ignores If-None-Match there), the name is looked at once more just before it: the window another
 * writer has shrinks from the whole upload to one round trip.
 */
export async function recheckFreeBeforeComplete(ctx: ObjectCopyContext): Promise<void> {
  const { job, dst, signal } = ctx;
  if (!job.createOnly || (dst.store.capabilities.conditionalWrites?.complete ?? true)) return;
  ctx.log.debug(
    `"${job.dstKey}": this server does not refuse an overwrite on Complete; looking at the name once more first`,
  );
  const head = await headOrUndefined(dst.store, { bucket: dst.bucket, key: job.dstKey }, { signal });
  if (head)
    throw new StorageError({
      status: 409,
      code: 'FileAlreadyExists',
      message: `"${job.dstKey}" was created by someone else during the copy`,
    });
}
