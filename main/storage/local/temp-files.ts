/**
 * Names of the Local provider's temp files (an object being written, a part being received), and
 * when one is left over. A process killed mid-write — during a Complete, the whole object's size —
 * leaves its temp file behind; nothing else would ever remove it. Each name carries the writer's
 * process id, so the engine-lock holder's sweep at start removes only files whose writer is gone,
 * never one a live process (another window of the app, say) is still writing.
 */
import { randomUUID } from 'node:crypto';

/** A file untouched this long is left over even if its writer's process id now belongs to another process (a reboot). */
export const STALE_AFTER_MS = 24 * 60 * 60 * 1000;

export function tempName(pid = process.pid): string {
  return `${pid}-${randomUUID()}`;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Whether a temp file (`name` as `tempName` made it, possibly inside a part's name) is left over:
 * its writer is gone, it is older than STALE_AFTER_MS, or it has no writer recorded (an older Ferry).
 */
export function isStaleTempName(
  name: string,
  mtimeMs: number,
  now = Date.now(),
  isAlive: (pid: number) => boolean = alive,
): boolean {
  if (now - mtimeMs > STALE_AFTER_MS) return true;
  const m = /(?:^|\.)(\d+)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?:\.tmp)?$/.exec(
    name,
  );
  if (!m) return true;
  const pid = Number(m[1]);
  return pid !== process.pid && !isAlive(pid);
}
