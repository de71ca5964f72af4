/**
 * Tells whether a file was replaced since it was last read, so a long-running process (the app)
 * sees accounts or settings another one (the CLI) saved without re-reading on every look. Every
 * write here is an atomic rename, which gives the file a new inode, so the stamp changes even when
 * the size and the time (to the file system's resolution) do not.
 */
import { statSync } from 'node:fs';

export class FileStamp {
  private last: string | undefined;

  constructor(private readonly file: string) {}

  private current(): string {
    try {
      const s = statSync(this.file);
      return `${s.ino}:${s.size}:${s.mtimeMs}`;
    } catch {
      return 'missing';
    }
  }

  /** True when the file differs from when it was last read or written through this stamp. */
  changed(): boolean {
    return this.current() !== this.last;
  }

  /** Reads the file with `read`, stamped before the read: a replacement during it shows as a change. */
  read<T>(read: () => T): T {
    const before = this.current();
    const value = read();
    this.last = before;
    return value;
  }

  /** Records the file as just written by us (under its lock, so nobody wrote after us). */
  wrote(): void {
    this.last = this.current();
  }
}
