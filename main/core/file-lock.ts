/**
 * A lock across processes for one small file (profiles, secrets, settings): the app, the web host
 * and any number of `ferry` commands share the data folder, and each read-modify-write of such a
 * file must re-read it under this lock, or two processes saving at once erase each other's change.
 *
 * The lock is `FILE.lock`, created with O_EXCL and naming its owner. A holder keeps it for
 * milliseconds (one read, one atomic write); a lock whose owner process is gone, or that is older
 * than `staleMs` (a frozen or foreign-host owner), is taken over by renaming it away — a rename only
 * one process can win — so a crash never blocks saving.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';

interface LockOwner {
  pid: number;
  host: string;
  nonce: string;
  at: number;
}

export interface FileLockOptions {
  /** Give up waiting after this long. */
  timeoutMs?: number;
  /** A lock held this long is abandoned whoever holds it. */
  staleMs?: number;
}

export class FileLockTimeout extends Error {
  readonly code = 'FileLocked';
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readOwner(
  lock: string,
): Promise<{ owner?: LockOwner; text: string; mtimeMs: number } | undefined> {
  try {
    const [text, stat] = await Promise.all([fs.readFile(lock, 'utf8'), fs.stat(lock)]);
    let owner: LockOwner | undefined;
    try {
      const parsed = JSON.parse(text) as Partial<LockOwner>;
      if (typeof parsed.pid === 'number' && typeof parsed.nonce === 'string') owner = parsed as LockOwner;
    } catch {
      owner = undefined; // being written, or written by a process that died mid-write
    }
    return { owner, text, mtimeMs: stat.mtimeMs };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

function isStale(seen: { owner?: LockOwner; mtimeMs: number }, staleMs: number, now: number): boolean {
  if (now - seen.mtimeMs > staleMs) return true;
  const { owner } = seen;
  if (!owner) return now - seen.mtimeMs > 2_000; // unreadable for 2 s: its writer died
  return owner.host === os.hostname() && !alive(owner.pid);
}

/** Moves an abandoned lock away, unless someone took it over (and now holds a fresh one) first. */
async function takeOver(lock: string, seenText: string): Promise<void> {
  const aside = `${lock}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await fs.rename(lock, aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return; // someone else moved it
    throw err;
  }
  const moved = await fs.readFile(aside, 'utf8').catch(() => seenText);
  // Between our look and our rename another process took the stale lock over and made its own: put
  // that one back (link fails if yet another lock exists already, which then stands).
  if (moved !== seenText) await fs.link(aside, lock).catch(() => undefined);
  await fs.rm(aside, { force: true });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function withFileLock<T>(
  file: string,
  body: () => Promise<T>,
  options: FileLockOptions = {},
): Promise<T> {
  const lock = `${file}.lock`;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const staleMs = options.staleMs ?? 30_000;
  const me: LockOwner = {
    pid: process.pid,
    host: os.hostname(),
    nonce: randomBytes(8).toString('hex'),
    at: Date.now(),
  };
  const started = Date.now();
  let delay = 2;
  for (;;) {
    try {
      await fs.writeFile(lock, JSON.stringify(me), { flag: 'wx', mode: 0o600 });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const seen = await readOwner(lock);
    if (seen && isStale(seen, staleMs, Date.now())) {
      await takeOver(lock, seen.text);
      continue;
    }
    if (Date.now() - started > timeoutMs) {
      const who = seen?.owner ? `process ${seen.owner.pid}` : 'another process';
      throw new FileLockTimeout(
        `${file} is being saved by ${who} and stayed locked for ${Math.round(timeoutMs / 1000)} s; ` +
          `try again (if no Ferry is running, delete ${lock})`,
      );
    }
    await sleep(delay + Math.random() * delay);
    delay = Math.min(delay * 2, 50);
  }
  try {
    return await body();
  } finally {
    const still = await readOwner(lock).catch(() => undefined);
    if (still?.owner?.nonce === me.nonce) await fs.rm(lock, { force: true });
  }
}
