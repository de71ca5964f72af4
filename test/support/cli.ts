/**
 * Runs the `ferry` CLI as a user would, in a child process with a timeout, without the caller's
 * FERRY_* variables (a test's environment must not choose keys or folders for the CLI).
 */
import { spawnSync } from 'node:child_process';

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliRunOptions {
  /** Added to the cleaned environment (e.g. FERRY_SECRET_ACCESS_KEY for one call). */
  env?: Record<string, string>;
  timeoutMs?: number;
  cwd?: string;
  /** Arguments for Node before the CLI file (e.g. `['--import', 'tsx']` to run from source). */
  nodeArgs?: string[];
}

export function envWithoutFerry(): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('FERRY_')));
}

/** `node [nodeArgs] cli args…`; every run ends within `timeoutMs` (60 s unless told). */
export function runCli(cli: string, args: string[], options: CliRunOptions = {}): CliRun {
  const r = spawnSync(process.execPath, [...(options.nodeArgs ?? []), cli, ...args], {
    cwd: options.cwd,
    env: { ...envWithoutFerry(), ...options.env },
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 60_000,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
