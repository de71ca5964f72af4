/** Tools run as their own processes, timed from spawn to exit, with their peak RSS sampled from /proc. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface Timed {
  seconds: number;
  peakRssMiB: number;
  code: number | null;
  stdout: string;
  stderr: string;
}

function peakRssKiB(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

export function runTimed(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  opts: { timeoutMs?: number; onStart?: (child: ChildProcess) => void } = {},
): Promise<Timed> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let peak = 0;
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const sample = setInterval(() => (peak = Math.max(peak, peakRssKiB(child.pid!))), 20);
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 300_000);
    opts.onStart?.(child);
    child.on('error', reject);
    let seconds = 0;
    child.on('exit', () => {
      seconds = Number(process.hrtime.bigint() - started) / 1e9;
      clearInterval(sample);
      clearTimeout(timer);
    });
    // 'close' comes after 'exit' once stdout and stderr are drained.
    child.on('close', (code) =>
      resolve({ seconds, peakRssMiB: peak / 1024, code, stdout, stderr: stderr.trim() }),
    );
  });
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
