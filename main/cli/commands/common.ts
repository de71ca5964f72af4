/** What every command needs: the data folder from the global options and a session to run in. */
import type { Command } from 'commander';
import { resolveDataDir } from '../../core/data-dir';
import type { App } from '../../app/wiring';
import { StorageError, errorInfo } from '../../storage/errors';
import { UsageError } from '../errors';
import { openSession, type SessionOptions } from '../session';

export function dataDirOf(command: Command): string {
  const { dataDir } = command.optsWithGlobals<{ dataDir?: string }>();
  try {
    return resolveDataDir(dataDir);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/** Runs `body` with services open and always closes them, so checkpoints are flushed before exit. */
export async function withSession<T>(
  command: Command,
  options: Omit<SessionOptions, 'dataDir'>,
  body: (services: App) => Promise<T>,
): Promise<T> {
  const services = await openSession({ ...options, dataDir: dataDirOf(command) });
  try {
    return await body(services);
  } catch (err) {
    // What the terminal prints is sent like a contract reply: a secret the server quoted is
    // redacted here (errorInfo), while the session still knows the secrets.
    if (err instanceof StorageError) throw new StorageError(errorInfo(err, (t) => services.logger.redact(t)));
    throw err;
  } finally {
    await services.close();
  }
}

export function parseIntOption(text: string, what: string, min: number, max: number): number {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(`${what} must be a whole number from ${min} to ${max}, not "${text}"`);
  }
  return n;
}

export function print(line: string): void {
  process.stdout.write(`${line}\n`);
}
