/**
 * Multipart uploads nobody will complete: the ones a user lists and aborts from the orphans dialog
 * (or `ferry abort-orphans`), and the ones Ferry itself left in its registry (a kill between Initiate
 * and the checkpoint, a failed abort), swept at start. An upload a live task still holds is never
 * touched: that task may resume it.
 */
import type { OrphanUpload } from '../../preload/shared/contract';
import type { Logger } from '../core/logger';
import type { ObjectStore } from '../storage/provider';
import { isCode } from '../copy/context';
import type { MultipartUploadRegistry } from './multipart-upload-registry';

export interface OrphanUploadsDeps {
  stores: { storeFor(profileId: string): ObjectStore };
  registry: MultipartUploadRegistry;
  logger: Pick<Logger, 'info' | 'warn'>;
  /** Upload ids the engine's live tasks hold. */
  inUse(): Set<string>;
  /** True while the task is running (it may be creating its upload right now). */
  isRunning(taskId: string): boolean;
}

export class OrphanUploads {
  constructor(private readonly deps: OrphanUploadsDeps) {}

  async list(profileId: string, bucket: string): Promise<OrphanUpload[]> {
    const store = this.deps.stores.storeFor(profileId);
    const inUse = this.deps.inUse();
    const found: OrphanUpload[] = [];
    for await (const u of store.listMultipartUploads(bucket)) {
      if (inUse.has(u.uploadId)) continue;
      found.push({
        key: u.key,
        uploadId: u.uploadId,
        initiated: u.initiated,
        ours: this.deps.registry.get(u.uploadId) !== undefined,
      });
    }
    return found;
  }

  async abort(
    profileId: string,
    bucket: string,
    uploads: { key: string; uploadId: string }[],
  ): Promise<number> {
    const store = this.deps.stores.storeFor(profileId);
    const inUse = this.deps.inUse();
    let aborted = 0;
    for (const u of uploads) {
      if (inUse.has(u.uploadId)) {
        this.deps.logger.warn(
          `upload ${u.uploadId} of "${u.key}" belongs to a task that may resume; not aborted`,
        );
        continue;
      }
      try {
        await store.abortMultipartUpload(bucket, u.key, u.uploadId);
      } catch (err) {
        if (!isCode(err, 'NoSuchUpload')) throw err;
      }
      await this.deps.registry.remove(u.uploadId);
      aborted++;
    }
    return aborted;
  }

  /** Uploads in the registry that no task knows any more (a kill between Initiate and the checkpoint, a failed abort). */
  async sweepRegistry(): Promise<void> {
    const inUse = this.deps.inUse();
    for (const entry of this.deps.registry.all()) {
      if (inUse.has(entry.uploadId)) continue;
      if (this.deps.isRunning(entry.taskId)) continue; // its task may be creating it right now
      try {
        await this.deps.stores
          .storeFor(entry.profileId)
          .abortMultipartUpload(entry.bucket, entry.key, entry.uploadId);
        this.deps.logger.info(
          `aborted upload ${entry.uploadId} of "${entry.key}" left behind by an earlier run`,
        );
      } catch (err) {
        if (!isCode(err, 'NoSuchUpload')) {
          this.deps.logger.warn(
            `could not abort upload ${entry.uploadId} of "${entry.key}": ${(err as Error).message}`,
          );
          continue;
        }
      }
      await this.deps.registry.remove(entry.uploadId);
    }
  }
}
