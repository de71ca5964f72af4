/** A single server-side CopyObject (PROTOCOL.md §4): for objects below the multipart threshold in one copy domain. */
import type { ObjectHead, ObjectRef } from '../storage/provider';
import type { ObjectCopyContext } from './context';
import { metadataFor } from './metadata';

/** Returns the ETag the copy should have, when it can be predicted. */
export async function copyObjectServerSide(
  ctx: ObjectCopyContext,
  head: ObjectHead,
  srcRef: ObjectRef,
): Promise<string | undefined> {
  const { job, options } = ctx;
  const replace = options.metadataDirective === 'REPLACE';
  job.phase = 'copying';
  await ctx.checkpoint();
  await ctx.dst.store.copyObject(
    srcRef,
    { bucket: ctx.dst.bucket, key: job.dstKey },
    {
      directive: options.metadataDirective,
      ...(replace ? { metadata: metadataFor(head, options) } : {}),
      ...(options.storageClass ? { storageClass: options.storageClass } : {}),
      // A source replaced between HEAD and copy fails with 412 instead of copying something unplanned.
      ifMatch: head.etag,
    },
    { signal: ctx.signal },
  );
  job.doneParts = [{ number: 1, etag: head.etag, size: head.size }];
  // A single-part source keeps its MD5 ETag through a server-side copy; Local ETags of files Ferry
  // did not write are derived from stat data and predict nothing.
  return ctx.src.store.kind !== 'local' && !head.etag.includes('-') ? head.etag : undefined;
}
