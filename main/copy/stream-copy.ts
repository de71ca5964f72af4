/**
 * Copies through this process when no server-side copy is possible (other account, region or
 * provider; uploads and downloads to and from Local): ranged GETs piped into a multipart upload, or
 * one GET piped into one PUT for small objects. Memory stays bounded: bytes flow as streams, at most
 * `partsInFlight` parts at a time.
 *
 * GETs cannot carry if-match here, so the source is HEADed again before Complete / after the PUT:
 * a source that changed meanwhile restarts the object instead of leaving a mixed copy.
 */
import { createHash } from 'node:crypto';
import { Transform, type Readable } from 'node:stream';
import { Crc64 } from '../storage/crc64';
import { StorageError } from '../storage/errors';
import type { CopyResult, ObjectHead, ObjectRef, WriteOptions } from '../storage/provider';
import { withCarriedOver } from './carried-over';
import { streamsWithCrc } from './crc-check';
import type { ObjectCopyContext } from './context';
import { writeOptionsFor, type EarlyTags } from './metadata';
import { assertSourceUnchanged, runMultipart } from './multipart-copy';
import { partLength } from './plan';
import type { Written } from './verify';

export async function streamCopy(
  ctx: ObjectCopyContext,
  head: ObjectHead,
  srcRef: ObjectRef,
  multipart: boolean,
  write?: WriteOptions,
  early?: EarlyTags,
): Promise<Written> {
  if (multipart) {
    const store = ctx.src.store;
    const withCrc = streamsWithCrc(ctx);
    return runMultipart(
      ctx,
      head,
      srcRef,
      async (part, uploadId, signal, flowed) => {
        const body = await store.getObject(srcRef, { start: part.start, end: part.end }, { signal });
        const crc = withCrc ? new Crc64() : undefined;
        const result = await ctx.dst.store.uploadPart(
          ctx.dst.bucket,
          ctx.job.dstKey,
          uploadId,
          part.number,
          counted(body, flowed, crc),
          partLength(part),
          { signal },
        );
        if (!crc) return result;
        const sent = crc.toString();
        // A part the destination checksummed differently arrived damaged: the object fails here, and
        // the part is never completed (a resume that finds it lists its CRC, which fails Complete's check).
        if (result.crc64 && result.crc64 !== sent)
          throw new StorageError({
            status: 400,
            code: 'InvalidDigest',
            message: `part ${part.number} of "${ctx.job.dstKey}" arrived with CRC64 ${result.crc64}, it was sent with ${sent}`,
          });
        return { ...result, crc64: sent };
      },
      () => assertSourceUnchanged(ctx, srcRef),
      write,
    );
  }
  return singlePut(ctx, head, srcRef, early);
}

async function singlePut(
  ctx: ObjectCopyContext,
  head: ObjectHead,
  srcRef: ObjectRef,
  early?: EarlyTags,
): Promise<Written> {
  const { job, dst, signal } = ctx;
  job.initiate = await withCarriedOver(
    ctx,
    head,
    await writeOptionsFor(
      ctx.src.store,
      srcRef,
      head,
      ctx.options,
      { signal },
      (m) => ctx.log.warn(m),
      early,
    ),
  );
  job.phase = 'copying';
  await ctx.checkpoint();
  const release = await ctx.parts.acquire([ctx.src.profileId, dst.profileId], signal);
  const flow = ctx.partStarted?.(head.size, false);
  const md5 = createHash('md5');
  const crc = streamsWithCrc(ctx) ? new Crc64() : undefined;
  let sent = false;
  let answer: CopyResult;
  try {
    const body: Readable = await ctx.src.store.getObject(srcRef, undefined, { signal });
    const tap = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        md5.update(chunk);
        crc?.update(chunk);
        flow?.flowed(chunk.length);
        cb(null, chunk);
      },
    });
    body.on('error', (err) => tap.destroy(err));
    answer = await dst.store.putObject(dst.bucket, job.dstKey, body.pipe(tap), head.size, job.initiate, {
      signal,
    });
    sent = true;
  } finally {
    release();
    if (!sent) flow?.end(false);
  }
  try {
    await assertSourceUnchanged(ctx, srcRef);
  } finally {
    // Its bytes now count as the object's one done part (or, if the source changed, as nothing).
    flow?.end(true);
  }
  job.doneParts = [{ number: 1, etag: md5.digest('hex'), size: head.size }];
  const written: Written = { expectedEtag: job.doneParts[0]!.etag };
  if (crc) written.streamedCrc64 = crc.toString();
  if (answer.crc64) written.crc64 = answer.crc64;
  return written;
}

/** The part's bytes, reported (and checksummed) as they pass on their way to the destination. */
function counted(body: Readable, flowed: (bytes: number) => void, crc?: Crc64): Readable {
  const tap = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      crc?.update(chunk);
      flowed(chunk.length);
      cb(null, chunk);
    },
  });
  body.on('error', (err) => tap.destroy(err));
  return body.pipe(tap);
}
