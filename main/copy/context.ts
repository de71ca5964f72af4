/** What one object copy needs from the task that runs it: stores, limits, persistence, progress. */
import type { CopyOptions } from '../../preload/shared/contract';
import type { ObjectStore } from '../storage/provider';
import type { ObjectJob } from './job';
import type { ScopedLimits } from './limiter';

export interface Endpoint {
  store: ObjectStore;
  profileId: string;
  bucket: string;
}

export interface UploadEntry {
  profileId: string;
  bucket: string;
  key: string;
  uploadId: string;
  taskId: string;
  createdAt: string;
}

/** The registry of multipart uploads Ferry created (main/tasks/multipart-upload-registry.ts). */
export interface UploadTracker {
  add(entry: UploadEntry): Promise<void>;
  remove(uploadId: string): Promise<void>;
  get(uploadId: string): UploadEntry | undefined;
}

export interface CopyLimits {
  multipartThreshold: number;
  partSize: number;
  partsInFlight: number;
}

export interface JobLog {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
}

export interface ObjectCopyContext {
  taskId: string;
  src: Endpoint;
  dst: Endpoint;
  job: ObjectJob;
  options: CopyOptions;
  limits: () => CopyLimits;
  signal: AbortSignal;
  parts: ScopedLimits;
  uploads: UploadTracker;
  /** Destination keys of this task's bucket, claimed while live tasks write them (claims.ts). */
  claims: { claim(key: string): boolean; takenByOther(key: string): boolean };
  /** The job is one object of a folder copy: its siblings in the source folder are copied too. */
  inFolder: boolean;
  /** True when source and destination buckets can copy server-side (memoised per task). */
  sameCopyDomain: () => Promise<boolean>;
  /** Persists the task with the job's current state; resolves once it is on disk. */
  checkpoint(): Promise<void>;
  /**
   * Like checkpoint, but one write may record several changes made within a fraction of a second:
   * for progress a resume can also find on the server (finished parts are listed by ListParts).
   */
  checkpointSoon(): Promise<void>;
  /** Counters changed (called once the change is recorded, or as good as: see checkpointSoon). */
  progressed(): void;
  /**
   * A part (or a whole object sent in one request) starts: its bytes count as in flight until it
   * ends (main/tasks/parts-in-flight.ts). Optional: without it progress moves in whole parts.
   */
  partStarted?(size: number, serverSide: boolean): PartFlow;
  log: JobLog;
}

export const isCode = (err: unknown, ...codes: string[]): boolean =>
  typeof err === 'object' && err !== null && codes.includes((err as { code?: string }).code ?? '');

/** One part in flight, as the task's progress sees it (main/tasks/parts-in-flight.ts keeps them). */
export interface PartFlow {
  /** Streamed bytes that went through (not called for server-side part copies). */
  flowed(bytes: number): void;
  /** The part is over: done (its bytes now count as done parts) or failed (its bytes are dropped). */
  end(ok: boolean): void;
}
