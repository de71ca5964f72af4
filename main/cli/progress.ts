/**
 * Transfer progress for a terminal: one redrawn line with bytes, percent, rate and ETA. When stdout
 * is not a TTY (a pipe, a log file) nothing is drawn, so scripts see only the final line.
 */
import type { TaskProgress } from '../../preload/shared/contract';
import { formatSize } from './sizes';

export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

/** Sums several tasks' progress (a copy of several sources is several tasks). */
export function combineProgress(items: TaskProgress[]): Omit<TaskProgress, 'id'> {
  const sum = (f: (p: TaskProgress) => number) => items.reduce((n, p) => n + f(p), 0);
  const etas = items.map((p) => p.etaSeconds);
  return {
    bytesDone: sum((p) => p.bytesDone),
    bytesTotal: sum((p) => p.bytesTotal),
    rate: sum((p) => p.rate),
    etaSeconds: etas.some((e) => e === null) ? null : Math.max(0, ...(etas as number[])),
    partsDone: sum((p) => p.partsDone),
    partsTotal: sum((p) => p.partsTotal),
    objectsDone: sum((p) => p.objectsDone),
    objectsTotal: items.some((p) => p.objectsTotal === null) ? null : sum((p) => p.objectsTotal ?? 0),
  };
}

/** `[#########...........]  45%  12.3 MiB / 27.0 MiB  4.5 MiB/s  ETA 0:03` fitted to `columns`. */
export function renderProgressLine(p: Omit<TaskProgress, 'id'>, columns: number): string {
  const fraction = p.bytesTotal > 0 ? Math.min(1, p.bytesDone / p.bytesTotal) : 0;
  const percent = `${Math.floor(fraction * 100)}%`.padStart(4);
  const objects =
    p.objectsTotal !== null && p.objectsTotal !== 1 ? `  ${p.objectsDone}/${p.objectsTotal} objects` : '';
  const eta = p.etaSeconds === null ? 'ETA --:--' : `ETA ${formatDuration(p.etaSeconds)}`;
  const info = `${percent}  ${formatSize(p.bytesDone)} / ${formatSize(p.bytesTotal)}  ${formatSize(p.rate)}/s  ${eta}${objects}`;
  const barWidth = Math.max(0, Math.min(40, columns - info.length - 4));
  if (barWidth < 10) return info.slice(0, Math.max(0, columns - 1));
  const filled = Math.round(fraction * barWidth);
  return `[${'#'.repeat(filled)}${'.'.repeat(barWidth - filled)}]  ${info}`;
}

export class ProgressBar {
  private last = 0;
  private drawn = false;

  constructor(
    private readonly out: NodeJS.WriteStream,
    private readonly enabled = Boolean(out.isTTY),
  ) {}

  update(p: Omit<TaskProgress, 'id'>): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.last < 100 && p.bytesDone < p.bytesTotal) return; // redraw at most 10 times a second
    this.last = now;
    this.out.write(`\r\x1b[2K${renderProgressLine(p, this.out.columns ?? 80)}`);
    this.drawn = true;
  }

  /** Removes the bar so the final line starts on a clean row. */
  clear(): void {
    if (this.drawn) this.out.write('\r\x1b[2K');
    this.drawn = false;
  }
}
