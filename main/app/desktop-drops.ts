/**
 * Files dragged in from the desktop. The renderer cannot hand the main process a file path (the
 * web host's page has none, and Electron's sandboxed renderer should not), and one WebSocket frame
 * holds at most 1 MiB, so the bytes arrive in chunks, in order, into a staging file in the data
 * folder; `finish` sends the file with one PUT and removes it. Staging is not a checkpoint: an
 * upload interrupted by a restart is simply gone (the folder is emptied at start).
 */
import { createReadStream, mkdirSync, rmSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { ObjectStore } from '../storage/provider';
import { StorageError } from '../storage/errors';

interface Staged {
  file: string;
  profileId: string;
  bucket: string;
  key: string;
  size: number;
  received: number;
  contentType?: string;
  /** One request at a time per upload: chunks must land in order. */
  busy: boolean;
}

const invalid = (message: string) => new StorageError({ status: 400, code: 'InvalidArgument', message });

export class DesktopDropStaging {
  private readonly staged = new Map<string, Staged>();

  constructor(
    private readonly dir: string,
    private readonly storeFor: (profileId: string) => ObjectStore,
    private readonly maxOpen = 8,
  ) {
    // Whatever a previous run left half-received cannot be finished now.
    rmSync(dir, { recursive: true, force: true });
  }

  async begin(target: {
    profileId: string;
    bucket: string;
    key: string;
    size: number;
    contentType?: string;
  }): Promise<string> {
    this.storeFor(target.profileId); // an unknown account fails here, before anything is written
    if (this.staged.size >= this.maxOpen)
      throw new StorageError({
        status: 429,
        code: 'TooManyUploads',
        message: `at most ${this.maxOpen} uploads can be received at once`,
      });
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const id = randomUUID().replace(/-/g, '');
    const file = path.join(this.dir, id);
    await fs.writeFile(file, Buffer.alloc(0), { mode: 0o600 });
    this.staged.set(id, { ...target, file, received: 0, busy: false });
    return id;
  }

  async append(id: string, offset: number, data: Buffer): Promise<number> {
    const up = this.get(id);
    if (up.busy) throw invalid('chunks of one upload must be sent one after another');
    if (offset !== up.received) throw invalid(`expected the chunk at offset ${up.received}, got ${offset}`);
    if (up.received + data.length > up.size)
      throw invalid(`more bytes than the ${up.size} announced for "${up.key}"`);
    up.busy = true;
    try {
      await fs.appendFile(up.file, data);
      up.received += data.length;
      return up.received;
    } finally {
      up.busy = false;
    }
  }

  async finish(id: string): Promise<{ etag: string }> {
    const up = this.get(id);
    if (up.busy) throw invalid('the upload is still receiving a chunk');
    if (up.received !== up.size)
      throw invalid(`received ${up.received} of ${up.size} bytes of "${up.key}"; send the rest first`);
    up.busy = true;
    try {
      const result = await this.storeFor(up.profileId).putObject(
        up.bucket,
        up.key,
        up.size === 0 ? Buffer.alloc(0) : createReadStream(up.file),
        up.size,
        { metadata: { contentType: up.contentType || undefined, userMeta: {} } },
      );
      return { etag: result.etag };
    } finally {
      this.staged.delete(id);
      await fs.rm(up.file, { force: true });
    }
  }

  async abort(id: string): Promise<boolean> {
    const up = this.staged.get(id);
    if (!up) return false;
    this.staged.delete(id);
    await fs.rm(up.file, { force: true });
    return true;
  }

  private get(id: string): Staged {
    const up = this.staged.get(id);
    if (!up)
      throw new StorageError({ status: 404, code: 'NoSuchUpload', message: `no upload ${id} in progress` });
    return up;
  }
}
