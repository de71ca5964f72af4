/** A small JSON document on disk, rewritten atomically; writes are serialised so the last one wins. */
import { readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';

export class JsonFile<T> {
  private chain: Promise<void> = Promise.resolve();

  constructor(readonly file: string) {}

  /** The stored value, or undefined when missing or unreadable (the caller decides what that means). */
  read(): unknown {
    try {
      return JSON.parse(readFileSync(this.file, 'utf8')) as unknown;
    } catch {
      return undefined;
    }
  }

  write(value: () => T): Promise<void> {
    const next = this.chain.then(() => writeDurably(this.file, JSON.stringify(value())));
    this.chain = next.catch(() => undefined);
    return next;
  }
}

/**
 * Replaces `file` atomically and on disk (fsync before the rename), readable by the owner only. Its
 * folder is made when the write finds it missing: not before every write, which sits on the
 * critical path of a copy (a checkpoint precedes each Initiate).
 */
export async function writeDurably(file: string, text: string): Promise<void> {
  const write = () => writeFileAtomic(file, text, { mode: 0o600, fsync: true });
  try {
    await write();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    await write();
  }
}
