/**
 * After a copy: is the destination what the source was? Size always; CRC64 where both sides have it
 * (OSS: the whole-object CRC survives multipart, PROTOCOL.md §6.2); an ETag where one can be
 * predicted — the MD5 of what a single PUT sent, or S3's multipart form (§5.6).
 */
import { createHash } from 'node:crypto';
import { StorageError, isStorageError } from '../storage/errors';
import type { ObjectHead, ObjectRef, ObjectStore, RequestOptions } from '../storage/provider';
import { comparableEtag, sameEtag } from '../../preload/shared/etag';
import type { DonePart, SourceFingerprint } from './job';

const MD5_HEX = /^[0-9a-f]{32}$/;

/** `md5(concat(binary part MD5s))-N`, or undefined when a part ETag is not a plain MD5. */
export function multipartEtag(parts: Pick<DonePart, 'number' | 'etag'>[]): string | undefined {
  const sorted = [...parts].sort((a, b) => a.number - b.number);
  const hash = createHash('md5');
  for (const p of sorted) {
    const etag = comparableEtag(p.etag);
    if (!MD5_HEX.test(etag)) return undefined;
    hash.update(Buffer.from(etag, 'hex'));
  }
  return `${hash.digest('hex')}-${sorted.length}`;
}

/** A single-part source keeps its MD5 ETag through a server-side copy; Local tags of files Ferry did not write predict nothing. */
export function predictableEtag(kind: string, etag: string): string | undefined {
  return kind !== 'local' && !etag.includes('-') ? etag : undefined;
}

export function mismatchOf(
  fp: SourceFingerprint,
  dst: ObjectHead,
  expectedEtag?: string,
): string | undefined {
  if (dst.size !== fp.size) return `size ${dst.size} instead of ${fp.size}`;
  if (fp.crc64 && dst.crc64 && fp.crc64 !== dst.crc64) return `CRC64 ${dst.crc64} instead of ${fp.crc64}`;
  if (expectedEtag && !sameEtag(dst.etag, expectedEtag)) {
    return `ETag ${dst.etag} instead of ${expectedEtag}`;
  }
  return undefined;
}

export async function headOrUndefined(
  store: ObjectStore,
  ref: ObjectRef,
  opts: RequestOptions,
): Promise<ObjectHead | undefined> {
  try {
    return await store.headObject(ref, opts);
  } catch (err) {
    if (isStorageError(err) && (err.status === 404 || err.code === 'NoSuchKey' || err.code === 'NotFound'))
      return undefined;
    throw err;
  }
}

/** What a copy wrote, as far as its requests tell: the ETag it should have, and a look taken already. */
export interface Written {
  expectedEtag?: string;
  /** A HEAD of the destination made after the write (a Complete without an ETag needs one). */
  head?: ObjectHead;
}

export async function verifyCopy(
  store: ObjectStore,
  ref: ObjectRef,
  fp: SourceFingerprint,
  written: Written,
  opts: RequestOptions,
): Promise<ObjectHead> {
  const head = written.head ?? (await headOrUndefined(store, ref, opts));
  const expectedEtag = written.expectedEtag;
  const problem = head ? mismatchOf(fp, head, expectedEtag) : 'it is missing';
  if (problem || !head) {
    throw new StorageError({
      status: 422,
      code: 'VerificationFailed',
      message: `the copy "${ref.key}" does not match its source: ${problem}`,
    });
  }
  return head;
}
