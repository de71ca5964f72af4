/**
 * Files dragged in from the desktop, sent through the contract's uploads.* requests: one file at a
 * time, its bytes in order in base64 chunks (a WebSocket frame holds at most 1 MiB), then one PUT.
 * Uploads are not copy tasks: they live in this store only, and a restart of the host loses one
 * in flight (it shows as failed and can be dropped again).
 */
import { create } from 'zustand';
import type { ConflictPolicy, ContractError, Location } from '../../preload/shared/contract';
import { call, errorInfo } from '../api';
import type { DroppedFile } from '../features/copy/desktop-drop';
import { refreshPanesShowing } from './browser';

/** Raw bytes per chunk: 512 KiB (the contract's uploadChunkBase64 is this in base64). */
export const UPLOAD_CHUNK = 512 * 1024;

export interface Upload {
  id: string;
  name: string;
  key: string;
  destination: Location;
  bytesDone: number;
  bytesTotal: number;
  /** `skipped`: the name existed and the chosen policy kept what was there. */
  state: 'queued' | 'running' | 'done' | 'skipped' | 'failed';
  error?: ContractError;
  startedAt?: string;
  finishedAt?: string;
}

interface UploadsState {
  byId: Record<string, Upload>;
  order: string[];
  /** Each file goes to `destination.prefix + path` (a dropped folder keeps its layout). */
  start(files: DroppedFile[], destination: Location, conflict?: ConflictPolicy): void;
  /** Clears the uploads that finished; failed ones stay until removed or dropped again. */
  clearFinished(): void;
  remove(id: string): void;
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

let nextId = 1;
let queue: Promise<void> = Promise.resolve();

export const useUploads = create<UploadsState>((set, get) => {
  const update = (id: string, patch: Partial<Upload>) =>
    set((s) => ({ byId: { ...s.byId, [id]: { ...s.byId[id]!, ...patch } } }));

  async function send(id: string, file: File, conflict: ConflictPolicy | undefined): Promise<void> {
    const up = get().byId[id]!;
    update(id, { state: 'running', startedAt: new Date().toISOString() });
    let uploadId: string | undefined;
    try {
      ({ uploadId } = await call('uploads.begin', {
        profileId: up.destination.profileId,
        bucket: up.destination.bucket,
        key: up.key,
        size: file.size,
        contentType: file.type || undefined,
        conflict,
      }));
      for (let offset = 0; offset < file.size; offset += UPLOAD_CHUNK) {
        const chunk = new Uint8Array(await file.slice(offset, offset + UPLOAD_CHUNK).arrayBuffer());
        const { received } = await call('uploads.append', { uploadId, offset, data: toBase64(chunk) });
        update(id, { bytesDone: received });
      }
      const result = await call('uploads.finish', { uploadId });
      update(id, {
        state: result.skipped ? 'skipped' : 'done',
        bytesDone: file.size,
        key: result.key,
        finishedAt: new Date().toISOString(),
      });
      if (!result.skipped) refreshPanesShowing(up.destination.profileId, up.destination.bucket, result.key);
    } catch (err) {
      if (uploadId) await call('uploads.abort', { uploadId }).catch(() => undefined);
      update(id, { state: 'failed', error: errorInfo(err), finishedAt: new Date().toISOString() });
    }
  }

  return {
    byId: {},
    order: [],
    start(files, destination, conflict) {
      for (const { file, path } of files) {
        const id = `upload-${nextId++}`;
        const upload: Upload = {
          id,
          name: path,
          key: destination.prefix + path,
          destination,
          bytesDone: 0,
          bytesTotal: file.size,
          state: 'queued',
        };
        set((s) => ({ byId: { ...s.byId, [id]: upload }, order: [id, ...s.order] }));
        // One file at a time, in the order dropped.
        queue = queue.then(() => send(id, file, conflict));
      }
    },
    clearFinished() {
      set((s) => {
        const order = s.order.filter((id) => !['done', 'skipped'].includes(s.byId[id]!.state));
        return { order, byId: Object.fromEntries(order.map((id) => [id, s.byId[id]!])) };
      });
    },
    remove(id) {
      set((s) => {
        const order = s.order.filter((x) => x !== id);
        return { order, byId: Object.fromEntries(order.map((x) => [x, s.byId[x]!])) };
      });
    },
  };
});
