/**
 * Progress reporting for one task: rate over a moving window, ETA, and `task.progress` events
 * throttled to at most four per second (the last change is always delivered, a little later).
 */
import type { TaskProgress } from '../../preload/shared/contract';

const WINDOW_MS = 5000;
export const MIN_INTERVAL_MS = 250;

export class ProgressMeter {
  private samples: { t: number; bytes: number }[] = [];
  private lastEmit = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly id: string,
    private readonly read: () => Omit<TaskProgress, 'id' | 'rate' | 'etaSeconds'>,
    private readonly emit: (p: TaskProgress) => void,
    private readonly now: () => number = Date.now,
  ) {}

  snapshot(): TaskProgress {
    const c = this.read();
    const t = this.now();
    const last = this.samples.at(-1);
    if (!last || last.bytes !== c.bytesDone || t - last.t > 1000)
      this.samples.push({ t, bytes: c.bytesDone });
    while (this.samples.length > 2 && t - this.samples[0]!.t > WINDOW_MS) this.samples.shift();
    const first = this.samples[0]!;
    const span = (t - first.t) / 1000;
    const rate = span > 0 ? Math.max(0, (c.bytesDone - first.bytes) / span) : 0;
    const left = Math.max(0, c.bytesTotal - c.bytesDone);
    const etaSeconds = left === 0 ? 0 : rate > 0 ? Math.ceil(left / rate) : null;
    return { id: this.id, ...c, rate: Math.round(rate), etaSeconds };
  }

  /** Something changed: emit now, or once the throttle interval has passed. */
  changed(): void {
    if (this.timer) return;
    const wait = this.lastEmit + MIN_INTERVAL_MS - this.now();
    if (wait <= 0) {
      this.fire();
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.fire();
    }, wait);
    this.timer.unref?.();
  }

  /** Stops a pending emission (the task's final state event carries the final numbers). */
  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private fire(): void {
    this.lastEmit = this.now();
    this.emit(this.snapshot());
  }
}
