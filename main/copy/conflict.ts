/**
 * What to do when the destination key exists: overwrite it, skip it, skip when it already holds the same
 * content (size + CRC64 where both have one, else size + ETag), or keep both under `name (n).ext`.
 * The decision is recorded in the checkpoint before the first write, so a resumed copy never picks
 * a second free name and duplicates the object.
 */
import type { ObjectHead } from '../storage/provider';
import type { Endpoint, ObjectCopyContext } from './context';
import { comparableEtag, sameEtag } from '../../preload/shared/etag';
import { keepBothKey } from '../../preload/shared/keys';
import { headOrUndefined } from './verify';

export function sameContent(a: ObjectHead, b: ObjectHead): boolean {
  if (a.size !== b.size) return false;
  if (a.crc64 && b.crc64) return a.crc64 === b.crc64;
  return sameEtag(a.etag, b.etag);
}

/** A single-part MD5 ETag (S3, OSS), or undefined for multipart and other opaque tags. */
function md5Etag(head: ObjectHead): string | undefined {
  const etag = comparableEtag(head.etag);
  return /^[0-9a-f]{32}$/.test(etag) ? etag : undefined;
}

async function contentMd5(
  end: Endpoint,
  key: string,
  head: ObjectHead,
  signal: AbortSignal,
): Promise<string | undefined> {
  if (end.store.contentMd5) return end.store.contentMd5({ bucket: end.bucket, key }, { signal });
  return md5Etag(head);
}

/**
 * sameContent, and where the tags differ but the sizes agree, the stores' content hashes: a Local file
 * Ferry did not write has a tag made of size and time, so only its MD5 can tell it is the same.
 */
async function sameBytes(ctx: ObjectCopyContext, source: ObjectHead, existing: ObjectHead): Promise<boolean> {
  if (sameContent(source, existing)) return true;
  if (source.size !== existing.size || !(ctx.src.store.contentMd5 || ctx.dst.store.contentMd5)) return false;
  const { job, signal } = ctx;
  const [a, b] = await Promise.all([
    contentMd5(ctx.src, job.srcKey, source, signal),
    contentMd5(ctx.dst, job.dstKey, existing, signal),
  ]);
  return a !== undefined && a === b;
}

export async function resolveConflict(ctx: ObjectCopyContext, source: ObjectHead): Promise<void> {
  const { job, dst, signal } = ctx;
  const policy = ctx.options.conflict;
  if (policy === 'overwrite') return;
  if (policy === 'keep-both') return keepBoth(ctx);
  const existing = await headOrUndefined(dst.store, { bucket: dst.bucket, key: job.dstKey }, { signal });
  // Free now: written only if still free when the write arrives (write-conflict.ts).
  if (!existing) return void (job.createOnly = true);
  if (policy === 'skip') return skip(ctx, 'the destination already exists');
  // A folder marker that exists already is the same folder; there is nothing to keep twice.
  if (job.dstKey.endsWith('/') || (await sameBytes(ctx, source, existing))) skip(ctx);
}

function skip(ctx: ObjectCopyContext, why = 'the destination already holds the same content'): void {
  ctx.job.skipped = true;
  ctx.log.info(`skipped "${ctx.job.dstKey}": ${why}`);
}

/**
 * The destination name if it is free, else the first free `name (n).ext`. Free means: not on the
 * server, and not claimed by another live task that is about to write it.
 */
async function keepBoth(ctx: ObjectCopyContext): Promise<void> {
  const { job, dst, signal } = ctx;
  const taken = async (key: string) =>
    ctx.claims.takenByOther(key) ||
    (await headOrUndefined(dst.store, { bucket: dst.bucket, key }, { signal })) !== undefined;
  job.createOnly = true;
  if (!(await taken(job.dstKey)) && ctx.claims.claim(job.dstKey)) return;
  if (job.dstKey.endsWith('/')) return skip(ctx);
  for (let n = 1; n <= 10_000; n++) {
    const candidate = keepBothKey(job.dstKey, n);
    if (await taken(candidate)) continue;
    // In a folder copy a free name may still be taken by a sibling: "a.txt" must not become
    // "a (1).txt" when the folder holds an "a (1).txt" of its own, whose copy would overwrite it.
    if (ctx.inFolder && (await sourceSiblingExists(ctx, candidate))) continue;
    // Claimed after the looks, which another task may have overtaken.
    if (!ctx.claims.claim(candidate)) continue;
    job.requestedKey ??= job.dstKey;
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
