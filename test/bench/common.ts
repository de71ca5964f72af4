/** What every part of the benchmark shares: the clock its log lines and budget read, and env knobs. */
import path from 'node:path';

export const root = path.resolve(__dirname, '..', '..');
export const MiB = 1024 * 1024;

export function intEnv(name: string, fallback: number): number {
  const v = process.env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`${name} must be a positive whole number`);
  return n;
}

const benchStart = Date.now();
export const elapsed = (): number => (Date.now() - benchStart) / 1000;
export const log = (line: string): void => {
  process.stderr.write(`[bench ${elapsed().toFixed(0).padStart(3)} s] ${line}\n`);
};
