/**
 * What to do when the destination key exists: overwrite it, skip when it already holds the same
 * content (size + CRC64 where both have one, else size + ETag), or keep both under `name (n).ext`.
 * The decision is recorded in the checkpoint before the first write, so a resumed copy never picks
 * a second free name and duplicates the object.
 */
import type { ObjectHead } from '../storage/provider';
import type { ObjectCopyContext } from './context';
import { normalizeEtag } from './job';
import { keepBothKey } from './keys';
import { headOrUndefined } from './verify';

export function sameContent(a: ObjectHead, b: ObjectHead): boolean {
  if (a.size !== b.size) return false;
  if (a.crc64 && b.crc64) return a.crc64 === b.crc64;
  return normalizeEtag(a.etag) === normalizeEtag(b.etag);
}

export async function resolveConflict(ctx: ObjectCopyContext, source: ObjectHead): Promise<void> {
  const { job, dst, signal } = ctx;
  const policy = ctx.options.conflict;
  if (policy === 'overwrite') return;
  const existing = await headOrUndefined(dst.store, { bucket: dst.bucket, key: job.dstKey }, { signal });
  if (!existing) return;
  if (policy === 'skip-if-same' || job.dstKey.endsWith('/')) {
    // A folder marker that exists already is the same folder; there is nothing to keep twice.
    if (job.dstKey.endsWith('/') || sameContent(source, existing)) {
      job.skipped = true;
      ctx.log.info(`skipped "${job.dstKey}": the destination already holds the same content`);
    }
    return;
  }
  for (let n = 1; n <= 10_000; n++) {
    const candidate = keepBothKey(job.dstKey, n);
    if (await headOrUndefined(dst.store, { bucket: dst.bucket, key: candidate }, { signal })) continue;
    // In a folder copy a free name may still be taken by a sibling: "a.txt" must not become
    // "a (1).txt" when the folder holds an "a (1).txt" of its own, whose copy would overwrite it.
    if (ctx.inFolder && (await sourceSiblingExists(ctx, candidate))) continue;
    job.dstKey = candidate;
    return;
  }
  throw new Error(`no free name for a second copy of "${job.dstKey}"`);
}

/** Does the source folder hold the object that would be copied to `candidate`? (Same folder, other name.) */
async function sourceSiblingExists(ctx: ObjectCopyContext, candidate: string): Promise<boolean> {
  const { job, src, signal } = ctx;
  const sibling =
    job.srcKey.slice(0, job.srcKey.lastIndexOf('/') + 1) + candidate.slice(candidate.lastIndexOf('/') + 1);
  return (await headOrUndefined(src.store, { bucket: src.bucket, key: sibling }, { signal })) !== undefined;
}
