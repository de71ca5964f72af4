/**
 * One object's copy, as the checkpoint records it. Everything needed to resume is here and nothing
 * secret: stores are found again by profile id.
 */
import { sameEtag } from '../../preload/shared/etag';
import type { StorageErrorInfo } from '../../preload/shared/contract';
import type { ObjectHead, WriteOptions } from '../storage/provider';

export type ObjectStrategy = 'copy-object' | 'multipart-copy' | 'stream';

/** What the source looked like when the copy was planned; any difference on resume means "start over". */
export interface SourceFingerprint {
  size: number;
  etag: string;
  lastModified: string;
  versionId?: string;
  crc64?: string;
  /** OSS `x-oss-object-type: Appendable`: never a multipart-copy source (object-job.ts). */
  appendable?: boolean;
}

export interface DonePart {
  number: number;
  etag: string;
  size: number;
  crc64?: string;
}

/**
 * pending → (initiating → copying) → completing → deleting-source (moves) → done.
 * `initiating` is written before Initiate is sent, so a kill between Initiate and the next
 * checkpoint leaves a trace that the lost upload can be found by.
 */
export type JobPhase = 'pending' | 'initiating' | 'copying' | 'completing' | 'deleting-source' | 'done';

export interface ObjectJob {
  srcKey: string;
  /** The destination key; with keep-both, the free name chosen (recorded before the first write). */
  dstKey: string;
  conflictResolved: boolean;
  skipped?: boolean;
  phase: JobPhase;
  strategy?: ObjectStrategy;
  fingerprint?: SourceFingerprint;
  /**
   * What the folder listing said of the source. A small object copied server-side with its metadata
   * kept needs nothing more: the copy is pinned to this ETag, so the source HEAD can be skipped.
   */
  listed?: SourceFingerprint;
  /** When the last Initiate was (or may have been) sent, ISO time. */
  initiatingAt?: string;
  uploadId?: string;
  /** The plan is (fingerprint.size, partSize). */
  partSize?: number;
  /** How many parts that plan has, stored with it so progress counts without planning again. */
  partCount?: number;
  doneParts: DonePart[];
  /** The exact metadata, tags and storage class sent with Initiate / PUT. */
  initiate?: WriteOptions;
  /**
   * The destination key was free when the conflict policy looked (skip, skip-if-same, keep-both):
   * every write to it says "only if still free", so another writer is never replaced (write-conflict.ts).
   */
  createOnly?: boolean;
  /** Keep-both: the name asked for, before a free `name (n)` was chosen (a refused write chooses again from it). */
  requestedKey?: string;
  /** How many times this object started over because its source changed. */
  restarts?: number;
  error?: StorageErrorInfo;
}

export function newJob(srcKey: string, dstKey: string, conflictResolved: boolean): ObjectJob {
  return { srcKey, dstKey, conflictResolved, phase: 'pending', doneParts: [] };
}

export function fingerprintOf(head: ObjectHead): SourceFingerprint {
  // The ETag is kept as the server sent it: it goes back verbatim as `copy-source-if-match`.
  const fp: SourceFingerprint = { size: head.size, etag: head.etag, lastModified: head.lastModified };
  if (head.versionId) fp.versionId = head.versionId;
  if (head.crc64) fp.crc64 = head.crc64;
  if (head.objectType === 'Appendable') fp.appendable = true;
  return fp;
}

/** Size, ETag, Last-Modified, version and CRC64 must all agree (docs/PROTOCOL.md §6.1, §8). */
export function sameSource(a: SourceFingerprint, b: SourceFingerprint): boolean {
  return (
    a.size === b.size &&
    sameEtag(a.etag, b.etag) &&
    sameSecond(a.lastModified, b.lastModified) &&
    (a.versionId ?? '') === (b.versionId ?? '') &&
    (a.crc64 === undefined || b.crc64 === undefined || a.crc64 === b.crc64)
  );
}

/** Listings give milliseconds, HEAD an HTTP date in whole seconds: the same time may appear in either. */
function sameSecond(a: string, b: string): boolean {
  return Math.floor(Date.parse(a) / 1000) === Math.floor(Date.parse(b) / 1000);
}

/** Forgets everything tied to the current upload, keeping where the object goes. */
export function resetJob(job: ObjectJob): void {
  job.phase = 'pending';
  delete job.uploadId;
  delete job.partSize;
  delete job.partCount;
  delete job.initiate;
  delete job.fingerprint;
  delete job.listed;
  delete job.strategy;
  job.doneParts = [];
}

export function jobBytesDone(job: ObjectJob): number {
  if (job.phase === 'done' || job.phase === 'deleting-source') return job.fingerprint?.size ?? 0;
  return job.doneParts.reduce((n, p) => n + p.size, 0);
}
