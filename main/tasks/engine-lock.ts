/**
 * One task engine per data folder. The desktop app, the web host and `ferry cp/resume` share the
 * checkpoints folder; two engines on it would resume the same task twice, and one's sweep of the
 * upload registry could abort an upload the other has just created. The lock is a file naming the
 * owner's process id: a process killed with SIGKILL leaves it behind, and the next start sees that
 * the process is gone and takes it over, so a crash never blocks a resume.
 */
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import os from 'node:os';
import { StorageError } from '../storage/errors';

export interface LockOwner {
  pid: number;
  host: string;
  kind: string;
  since: string;
}

export interface EngineLock {
  release(): void;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readOwner(file: string): LockOwner | undefined {
  try {
    const owner = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockOwner>;
    return typeof owner.pid === 'number' ? (owner as LockOwner) : undefined;
  } catch {
    return undefined; // unreadable or half-written: nobody can be proven to hold it
  }
}

export function acquireEngineLock(file: string, kind: string): EngineLock {
  const me: LockOwner = { pid: process.pid, host: os.hostname(), kind, since: new Date().toISOString() };
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      try {
        writeSync(fd, JSON.stringify(me));
      } finally {
        closeSync(fd);
      }
      return {
        release() {
          if (readOwner(file)?.pid === me.pid) unlinkSync(file);
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const owner = readOwner(file);
    const held = owner && owner.pid !== process.pid && owner.host === me.host && alive(owner.pid);
    if (held) {
      throw new StorageError({
        status: 409,
        code: 'DataFolderInUse',
        message:
          `another Ferry (${owner.kind}, process ${owner.pid}, since ${owner.since}) is running copies on this data folder; ` +
          `close it first, or use another --data-dir (if no such process is Ferry, delete ${file})`,
      });
    }
    if (attempt > 0) {
      throw new StorageError({
        status: 409,
        code: 'DataFolderInUse',
        message: `could not take the lock ${file}`,
      });
    }
    // Left by a process that is gone (a crash, a kill, a reboot): take it over.
    try {
      unlinkSync(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
}
