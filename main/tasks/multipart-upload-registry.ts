/**
 * The multipart uploads Ferry created and has not finished or aborted yet. An upload id is added
 * right after Initiate returns — before any part is sent — and removed after Complete or Abort, so
 * the orphan finder can tell Ferry's uploads from everyone else's, even after a task's checkpoint is gone.
 */
import type { UploadEntry, UploadTracker } from '../copy/context';
import { JsonFile } from './json-file';

export class MultipartUploadRegistry implements UploadTracker {
  private readonly entries = new Map<string, UploadEntry>();
  private readonly store: JsonFile<{ version: 1; uploads: UploadEntry[] }>;

  constructor(file: string) {
    this.store = new JsonFile(file);
    const stored = this.store.read() as { version?: number; uploads?: UploadEntry[] } | undefined;
    if (stored?.version === 1 && Array.isArray(stored.uploads)) {
      for (const u of stored.uploads) if (typeof u?.uploadId === 'string') this.entries.set(u.uploadId, u);
    }
  }

  get(uploadId: string): UploadEntry | undefined {
    return this.entries.get(uploadId);
  }

  all(): UploadEntry[] {
    return [...this.entries.values()];
  }

  async add(entry: UploadEntry): Promise<void> {
    this.entries.set(entry.uploadId, entry);
    await this.persist();
  }

  async remove(uploadId: string): Promise<void> {
    if (!this.entries.delete(uploadId)) return;
    await this.persist();
  }

  private persist(): Promise<void> {
    return this.store.write(() => ({ version: 1, uploads: [...this.entries.values()] }));
  }
}
