/**
 * Files dragged in from the desktop. The renderer cannot hand the main process a file path (the
 * web host's page has none, and Electron's sandboxed renderer should not), and one WebSocket frame
 * holds at most 1 MiB, so the bytes arrive in chunks, in order, into a staging file in the data
 * folder; `finish` applies the conflict policy (as copies do) and sends the file with one PUT, then
 * removes it. Staging is not a checkpoint: an upload interrupted by a restart is simply gone.
 *
 * A slot is held only while someone is sending: it is released by `finish` (sent or not), `abort`,
 * the close of the connection that began it (ConnectionUploads) and, for a sender that vanished
 * without a connection to notice, after `idleMs` without a chunk. Otherwise eight uploads begun by a
 * page that was reloaded would refuse every later upload until a restart.
 */
import { createReadStream, mkdirSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { createHash, randomUUID } from 'node:crypto';
import type { ConflictPolicy } from '../../preload/shared/contract';
import { keepBothKey } from '../../preload/shared/keys';
import { normalizeEtag } from '../../preload/shared/etag';
import { headOrUndefined } from '../copy/verify';
import type { DispatchReply } from './dispatch';
import type { ObjectHead, ObjectStore } from '../storage/provider';
import { StorageError } from '../storage/errors';

interface Staged {
  file: string;
  profileId: string;
  bucket: string;
  key: string;
  size: number;
  received: number;
  contentType?: string;
  conflict: ConflictPolicy;
  /** One request at a time per upload: chunks must land in order. */
  busy: boolean;
  /** Released while a chunk or the PUT was under way: that request removes the file when it ends. */
  released: boolean;
  lastActivity: number;
}

export interface DesktopDropOptions {
  maxOpen?: number;
  /** A slot with no chunk for this long is released (its sender is gone). */
  idleMs?: number;
}

/** Each look at the destination is bounded: a stalled server must not hold the upload forever. */
const timed = () => ({ signal: AbortSignal.timeout(30_000) });

const invalid = (message: string) => new StorageError({ status: 400, code: 'InvalidArgument', message });

export class DesktopDropStaging {
  private readonly staged = new Map<string, Staged>();
  private readonly maxOpen: number;
  private readonly idleMs: number;
  private idleTimer: NodeJS.Timeout | undefined;

  /** Builds nothing on disk: the folder is made by the first `begin`, emptied only by `sweepLeftovers`. */
  constructor(
    private readonly dir: string,
    private readonly storeFor: (profileId: string) => ObjectStore,
    options: DesktopDropOptions = {},
  ) {
    this.maxOpen = options.maxOpen ?? 8;
    this.idleMs = options.idleMs ?? 120_000;
  }

  /**
   * Removes what a previous run left half-received (it cannot be finished now). Only the holder of
   * the engine lock may call this: any other Ferry on the data folder (a `ferry ls` while the app
   * runs) would delete the uploads the running app is receiving.
   */
  async sweepLeftovers(): Promise<void> {
    let names: string[];
    try {
      names = await fs.readdir(this.dir);
    } catch {
      return; // no staging folder yet
    }
    const ours = new Set([...this.staged.values()].map((u) => path.basename(u.file)));
    await Promise.all(
      names.filter((n) => !ours.has(n)).map((n) => fs.rm(path.join(this.dir, n), { force: true })),
    );
  }

  /** Uploads holding a slot now. */
  get open(): number {
    return this.staged.size;
  }

  /** Releases every slot and stops the idle timer (the host is closing). */
  async close(): Promise<void> {
    await Promise.all([...this.staged.keys()].map((id) => this.abort(id)));
    this.stopIdleTimer();
  }

  async begin(target: {
    profileId: string;
    bucket: string;
    key: string;
    size: number;
    contentType?: string;
    conflict?: ConflictPolicy;
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
    this.staged.set(id, {
      ...target,
      conflict: target.conflict ?? 'overwrite',
      file,
      received: 0,
      busy: false,
      released: false,
      lastActivity: Date.now(),
    });
    this.startIdleTimer();
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
      // Not appendFile: it would create the file again if the slot was released meanwhile.
      const handle = await fs.open(up.file, 'r+');
      try {
        await handle.write(data, 0, data.length, offset);
      } finally {
        await handle.close();
      }
      up.received += data.length;
      return up.received;
    } finally {
      up.busy = false;
      up.lastActivity = Date.now();
      if (up.released) await fs.rm(up.file, { force: true });
    }
  }

  /** The key written (another one for keep-both), or `skipped` when the policy left the existing one. */
  async finish(id: string): Promise<{ etag: string; key: string; skipped: boolean }> {
    const up = this.get(id);
    if (up.busy) throw invalid('the upload is still receiving a chunk');
    if (up.received !== up.size) {
      // The sender believes it is done: the missing bytes will never come, so the slot is freed.
      await this.abort(id);
      throw invalid(
        `received ${up.received} of ${up.size} bytes of "${up.key}"; the upload was dropped, begin it again`,
      );
    }
    up.busy = true;
    try {
      const store = this.storeFor(up.profileId);
      const key = await this.destinationKey(store, up);
      if (key === undefined) return { etag: '', key: up.key, skipped: true };
      const result = await store.putObject(
        up.bucket,
        key,
        up.size === 0 ? Buffer.alloc(0) : createReadStream(up.file),
        up.size,
        { metadata: { contentType: up.contentType || undefined, userMeta: {} } },
      );
      return { etag: result.etag, key, skipped: false };
    } finally {
      this.staged.delete(id);
      if (this.staged.size === 0) this.stopIdleTimer();
      await fs.rm(up.file, { force: true });
    }
  }

  async abort(id: string): Promise<boolean> {
    const up = this.staged.get(id);
    if (!up) return false;
    this.staged.delete(id);
    if (this.staged.size === 0) this.stopIdleTimer();
    up.released = true;
    // A chunk or the PUT still reading the file removes it when it ends.
    if (!up.busy) await fs.rm(up.file, { force: true });
    return true;
  }

  /** Releases slots whose sender has sent nothing for `idleMs`. */
  async releaseIdle(now = Date.now()): Promise<number> {
    const idle = [...this.staged.entries()].filter(([, u]) => !u.busy && now - u.lastActivity >= this.idleMs);
    for (const [id] of idle) await this.abort(id);
    return idle.length;
  }

  private startIdleTimer(): void {
    if (this.idleTimer) return;
    const every = Math.max(10, Math.min(this.idleMs / 2, 30_000));
    this.idleTimer = setInterval(() => void this.releaseIdle().catch(() => undefined), every);
    this.idleTimer.unref();
  }

  private stopIdleTimer(): void {
    if (this.idleTimer) clearInterval(this.idleTimer);
    this.idleTimer = undefined;
  }

  /**
   * The conflict rule for desktop files, the same as for copies: the key to write, or undefined to
   * leave what is there. Decided when the bytes are all here, right before the PUT.
   */
  private async destinationKey(store: ObjectStore, up: Staged): Promise<string | undefined> {
    if (up.conflict === 'overwrite') return up.key;
    const exists = async (key: string) =>
      (await headOrUndefined(store, { bucket: up.bucket, key }, timed())) !== undefined;
    if (up.conflict === 'keep-both') {
      if (!(await exists(up.key))) return up.key;
      for (let n = 1; n <= 10_000; n++) {
        const candidate = keepBothKey(up.key, n);
        if (!(await exists(candidate))) return candidate;
      }
      throw new StorageError({ status: 409, code: 'NoFreeName', message: `no free name for "${up.key}"` });
    }
    const existing = await headOrUndefined(store, { bucket: up.bucket, key: up.key }, timed());
    if (!existing) return up.key;
    if (up.conflict === 'skip') return undefined;
    return (await sameAsStaged(store, up, existing)) ? undefined : up.key;
  }

  private get(id: string): Staged {
    const up = this.staged.get(id);
    if (!up)
      throw new StorageError({ status: 404, code: 'NoSuchUpload', message: `no upload ${id} in progress` });
    return up;
  }
}

/**
 * The uploads one connection (a WebSocket, an Electron window) began and has not finished: released
 * when the connection closes, so a dropped socket or a reloaded page gives its slots back at once.
 */
export class ConnectionUploads {
  private readonly begun = new Set<string>();

  /** Called with every request the connection made and its reply. */
  note(name: unknown, arg: unknown, reply: DispatchReply): void {
    if (name === 'uploads.begin' && reply.ok) {
      const id = (reply.result as { uploadId?: unknown })?.uploadId;
      if (typeof id === 'string') this.begun.add(id);
    } else if (name === 'uploads.finish' || name === 'uploads.abort') {
      const id = (arg as { uploadId?: unknown } | undefined)?.uploadId;
      if (typeof id === 'string') this.begun.delete(id);
    }
  }

  async release(staging: Pick<DesktopDropStaging, 'abort'>): Promise<void> {
    const ids = [...this.begun];
    this.begun.clear();
    // Best effort: a staging file that cannot be removed now is swept at the next start.
    await Promise.allSettled(ids.map((id) => staging.abort(id)));
  }
}

/** skip-if-same for a desktop file: same size and the same MD5 (the ETag, or the store's own MD5). */
async function sameAsStaged(store: ObjectStore, up: Staged, existing: ObjectHead): Promise<boolean> {
  if (existing.size !== up.size) return false;
  const md5 = createHash('md5');
  for await (const chunk of createReadStream(up.file)) md5.update(chunk as Buffer);
  const ours = md5.digest('hex');
  // Local's tag for a file Ferry did not write is made of size and time: only its MD5 can tell.
  if (store.contentMd5) return (await store.contentMd5({ bucket: up.bucket, key: up.key }, timed())) === ours;
  const etag = normalizeEtag(existing.etag).toLowerCase();
  return /^[0-9a-f]{32}$/.test(etag) && etag === ours;
}
