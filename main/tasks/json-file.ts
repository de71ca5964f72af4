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
    const next = this.chain.then(async () => {
      await fs.mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
      await writeFileAtomic(this.file, JSON.stringify(value()), { mode: 0o600, fsync: true });
    });
    this.chain = next.catch(() => undefined);
    return next;
  }
}
