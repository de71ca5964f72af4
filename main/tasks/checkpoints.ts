/**
 * One checkpoint file per task in `DATA_DIR/checkpoints`, written atomically (temp file, fsync,
 * rename) and self-checked: `{format, version, sha256, body}` where `sha256` is the hash of the body
 * string. A file that fails any check — unparsable, unknown version, wrong hash, a field out of
 * range (checkpoint-checks.ts) — is never trusted: it is moved to `checkpoints/corrupt/` and reported.
 *
 * Only profile ids, buckets, keys, upload ids and part ETags are stored: never a secret.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { CheckpointFieldError, checkTaskRecord } from './checkpoint-checks';
import { writeDurably } from './json-file';
import type { TaskRecord } from './task-record';

export const CHECKPOINT_FORMAT = 'ferry-task-checkpoint';
export const CHECKPOINT_VERSION = 1;
const FILE = /^task-([A-Za-z0-9_-]{1,64})\.json$/;

export class CheckpointError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CheckpointError';
  }
}

export function encodeCheckpoint(task: TaskRecord): string {
  const body = JSON.stringify(task);
  const sha256 = createHash('sha256').update(body).digest('hex');
  return JSON.stringify({ format: CHECKPOINT_FORMAT, version: CHECKPOINT_VERSION, sha256, body });
}

export function decodeCheckpoint(text: string): TaskRecord {
  let outer: unknown;
  try {
    outer = JSON.parse(text);
  } catch {
    throw new CheckpointError('it is not valid JSON');
  }
  const o = outer as { format?: unknown; version?: unknown; sha256?: unknown; body?: unknown };
  if (typeof o !== 'object' || o === null || o.format !== CHECKPOINT_FORMAT)
    throw new CheckpointError('it is not a Ferry task checkpoint');
  if (o.version !== CHECKPOINT_VERSION)
    throw new CheckpointError(`its format version ${String(o.version)} is not supported`);
  if (typeof o.body !== 'string' || typeof o.sha256 !== 'string')
    throw new CheckpointError('it has no body or checksum');
  if (createHash('sha256').update(o.body).digest('hex') !== o.sha256)
    throw new CheckpointError('its checksum does not match (damaged)');
  let body: unknown;
  try {
    body = JSON.parse(o.body);
  } catch {
    throw new CheckpointError('its body is not valid JSON');
  }
  try {
    return checkTaskRecord(body);
  } catch (err) {
    if (!(err instanceof CheckpointFieldError)) throw err;
    throw new CheckpointError(`its body does not describe a task Ferry can run: ${err.message}`);
  }
}

export interface CorruptCheckpoint {
  file: string;
  movedTo: string;
  reason: string;
}

export class CheckpointStore {
  /** Per task: the write in progress and whether another one is wanted after it. */
  private readonly writers = new Map<string, { running: Promise<void>; again?: Promise<void> }>();
  /** Per task: a write deferred by saveSoon, and how to start it now. */
  private readonly deferred = new Map<string, { done: Promise<void>; fire: () => void }>();

  constructor(readonly dir: string) {}

  fileFor(id: string): string {
    return path.join(this.dir, `task-${id}.json`);
  }

  /**
   * Writes the task as it is when the write starts. Calls made while a write runs are folded into
   * one more write, which every one of them waits for — so after `await save(t)` the file holds
   * at least the state `t` had at the call.
   */
  save(task: TaskRecord): Promise<void> {
    // A write deferred by saveSoon starts now instead: this one would record the same and more.
    const deferred = this.deferred.get(task.id);
    if (deferred) {
      deferred.fire();
      return deferred.done;
    }
    const current = this.writers.get(task.id);
    if (current) {
      current.again ??= current.running.then(
        () => this.startWrite(task),
        () => this.startWrite(task),
      );
      return current.again;
    }
    return this.startWrite(task);
  }

  /**
   * Like save, but writes at most once per `delayMs` for the task: the objects of a folder finish
   * hundreds of times a second, and one write can record them all. What a kill loses is at most
   * `delayMs` of finished objects, which are copied again (a copy is idempotent); nothing that
   * must precede a write (a keep-both name, an upload id) goes through here.
   */
  saveSoon(task: TaskRecord, delayMs: number): Promise<void> {
    const pending = this.deferred.get(task.id);
    if (pending) return pending.done;
    let fire!: () => void;
    const done = new Promise<void>((resolve, reject) => {
      fire = () => {
        clearTimeout(timer);
        if (this.deferred.get(task.id)?.done !== done) return;
        this.deferred.delete(task.id);
        this.save(task).then(resolve, reject);
      };
    });
    const timer = setTimeout(() => fire(), delayMs);
    this.deferred.set(task.id, { done, fire });
    return done;
  }

  private startWrite(task: TaskRecord): Promise<void> {
    const running = (async () => {
      await writeDurably(this.fileFor(task.id), encodeCheckpoint(task));
    })();
    const entry = { running };
    this.writers.set(task.id, entry);
    void running.then(
      () => this.settle(task.id, entry),
      () => this.settle(task.id, entry),
    );
    return running;
  }

  private settle(id: string, entry: { running: Promise<void>; again?: Promise<void> }): void {
    if (this.writers.get(id) === entry && !entry.again) this.writers.delete(id);
  }

  /** Waits for pending writes of a task (or of all). */
  async flush(id?: string): Promise<void> {
    for (const [taskId, d] of [...this.deferred]) if (!id || taskId === id) d.fire();
    for (;;) {
      const pending = id ? [this.writers.get(id)] : [...this.writers.values()];
      const waits = pending.flatMap((w) => (w ? [w.again ?? w.running] : []));
      if (waits.length === 0) return;
      await Promise.allSettled(waits);
    }
  }

  async remove(id: string): Promise<void> {
    await this.flush(id);
    await fs.rm(this.fileFor(id), { force: true });
    // A write cut short by a kill leaves its temporary file (write-file-atomic names it
    // `task-ID.json.HASH`); it goes with its task, so a crash never leaves task data behind for good.
    const temporary = `${path.basename(this.fileFor(id))}.`;
    const names = await fs.readdir(this.dir).catch(() => [] as string[]);
    for (const name of names) {
      if (name.startsWith(temporary)) await fs.rm(path.join(this.dir, name), { force: true });
    }
  }

  /** Every valid checkpoint, plus the ones moved aside as corrupt. */
  async loadAll(): Promise<{ tasks: TaskRecord[]; corrupt: CorruptCheckpoint[] }> {
    const { tasks, untrusted } = await this.readAll();
    const corrupt: CorruptCheckpoint[] = [];
    for (const u of untrusted) corrupt.push({ ...u, movedTo: await this.moveAside(u.file) });
    return { tasks, corrupt };
  }

  /** Reads every checkpoint and changes nothing: damaged ones are only named (for a read-only look). */
  async readAll(): Promise<{ tasks: TaskRecord[]; untrusted: { file: string; reason: string }[] }> {
    let names: string[];
    try {
      names = await fs.readdir(this.dir);
    } catch {
      return { tasks: [], untrusted: [] };
    }
    const tasks: TaskRecord[] = [];
    const untrusted: { file: string; reason: string }[] = [];
    for (const name of names.sort()) {
      const match = FILE.exec(name);
      if (!match) continue;
      const file = path.join(this.dir, name);
      try {
        const task = decodeCheckpoint(await fs.readFile(file, 'utf8'));
        if (task.id !== match[1]) throw new CheckpointError(`it belongs to task ${task.id}, not ${match[1]}`);
        tasks.push(task);
      } catch (err) {
        const reason =
          err instanceof CheckpointError ? err.message : `it cannot be read (${(err as Error).message})`;
        untrusted.push({ file, reason });
      }
    }
    return { tasks, untrusted };
  }

  private async moveAside(file: string): Promise<string> {
    const dir = path.join(this.dir, 'corrupt');
    await fs.mkdir(dir, { recursive: true, mode: 0o700 });
    const target = path.join(dir, `${path.basename(file, '.json')}.${Date.now()}.json`);
    await fs.rename(file, target);
    return target;
  }
}
