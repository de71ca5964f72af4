/** A single server-side CopyObject (docs/PROTOCOL.md §4): for objects below the multipart threshold in one copy domain. */
import type { ObjectHead, ObjectRef } from '../storage/provider';
import type { ObjectCopyContext } from './context';
import { withCarriedOver } from './carried-over';
import { metadataFor } from './metadata';
import { predictableEtag, type Written } from './verify';

/**
 * Returns the ETag the copy should have, when it can be predicted. The answer's ETag is kept as the
 * job's one part, so the caller can tell a proven copy from one that still needs a look.
 * No checkpoint before the call: CopyObject is idempotent, and a job interrupted in it simply runs again.
 */
export async function copyObjectServerSide(
  ctx: ObjectCopyContext,
  head: ObjectHead,
  srcRef: ObjectRef,
): Promise<Written> {
  const { job, options } = ctx;
  const replace = options.metadataDirective === 'REPLACE';
  job.phase = 'copying';
  // Class, encryption (which no CopyObject inherits) and "only if still free".
  const { storageClass, encryption, forbidOverwrite } = await withCarriedOver(ctx, head, {});
  const result = await ctx.dst.store.copyObject(
    srcRef,
    { bucket: ctx.dst.bucket, key: job.dstKey },
    {
      directive: options.metadataDirective,
      ...(replace ? { metadata: metadataFor(head, options) } : {}),
      ...(storageClass ? { storageClass } : {}),
      ...(encryption ? { encryption } : {}),
      ...(forbidOverwrite ? { forbidOverwrite } : {}),
      // A source replaced between HEAD and copy fails with 412 instead of copying something unplanned.
      ifMatch: head.etag,
    },
    { signal: ctx.signal },
  );
  job.doneParts = [{ number: 1, etag: result.etag, size: head.size }];
  const written: Written = { expectedEtag: predictableEtag(ctx.src.store.kind, head.etag) };
  if (result.crc64) written.crc64 = result.crc64;
  return written;
}
