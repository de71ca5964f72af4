/**
 * Runs a command so that file permissions apply to it: as root (CI containers) it drops the
 * capabilities that let root read any folder, so a folder with mode 000 is unreadable as it would be
 * for a person. Needs util-linux's `setpriv` only when run as root.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';

export function runUnprivileged(
  command: string,
  args: string[],
  timeoutMs = 60_000,
): SpawnSyncReturns<string> {
  const asRoot = process.getuid?.() === 0;
  const [cmd, argv] = asRoot
    ? ['setpriv', ['--bounding-set=-dac_override,-dac_read_search', command, ...args]]
    : [command, args];
  return spawnSync(cmd, argv, { encoding: 'utf8', timeout: timeoutMs });
}
