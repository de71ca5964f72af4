/**
 * After a copy: is the destination what the source was? Size always; CRC64 where both sides have it
 * (OSS: the whole-object CRC survives multipart, docs/PROTOCOL.md §6.2); an ETag where one can be
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
  /** The CRC-64 the write's answer gave the new object (OSS `x-oss-hash-crc64ecma`). */
  crc64?: string;
  /** The CRC-64 of the bytes a streamed copy sent, computed as they passed (crc-check.ts). */
  streamedCrc64?: string;
}

/**
 * What the CRC-64s the copy knows without a look say (docs/PROTOCOL.md §6.2): `ok` when the answer's
 * CRC is the source's (the copy is proven, no HEAD needed), a problem when any two disagree, nothing
 * when there is not enough to tell. A CRC outranks an ETag: an ETag is only a shortcut.
 */
export function crcVerdict(fp: SourceFingerprint, written: Written): 'ok' | { problem: string } | undefined {
  const { crc64: answer, streamedCrc64: streamed } = written;
  if (streamed && fp.crc64 && streamed !== fp.crc64)
    return { problem: `the bytes read from the source have CRC64 ${streamed}, the source's is ${fp.crc64}` };
  if (streamed && answer && streamed !== answer)
    return { problem: `the destination stored CRC64 ${answer} for bytes sent with CRC64 ${streamed}` };
  if (answer && fp.crc64)
    return answer === fp.crc64 ? 'ok' : { problem: `CRC64 ${answer} instead of ${fp.crc64}` };
  return undefined;
}

export function verificationFailed(key: string, problem: string): StorageError {
  return new StorageError({
    status: 422,
    code: 'VerificationFailed',
    message: `the copy "${key}" does not match its source: ${problem}`,
  });
}

export async function verifyCopy(
  store: ObjectStore,
  ref: ObjectRef,
  fp: SourceFingerprint,
  written: Written,
  opts: RequestOptions,
): Promise<ObjectHead | undefined> {
  const crc = crcVerdict(fp, written);
  if (crc === 'ok' && !written.head) return undefined;
  if (crc && crc !== 'ok') throw verificationFailed(ref.key, crc.problem);
  const head = written.head ?? (await headOrUndefined(store, ref, opts));
  const expectedEtag = written.expectedEtag;
  const problem = head ? mismatchOf(fp, head, expectedEtag) : 'it is missing';
  if (problem || !head) throw verificationFailed(ref.key, problem ?? 'it is missing');
  return head;
}
