/**
 * Concurrency limits: a semaphore whose capacity is read at every acquire (so a settings change
 * applies to the next object or part), and a pair of them — global and per endpoint — taken together.
 */

export type Release = () => void;

export class Limiter {
  private active = 0;
  private readonly waiting: {
    resolve: (r: Release) => void;
    reject: (e: unknown) => void;
    signal?: AbortSignal;
    onAbort?: () => void;
  }[] = [];

  constructor(private readonly capacity: () => number) {}

  get inUse(): number {
    return this.active;
  }

  acquire(signal?: AbortSignal): Promise<Release> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.active < Math.max(1, this.capacity()) && this.waiting.length === 0) {
      this.active++;
      return Promise.resolve(this.releaser());
    }
    return new Promise<Release>((resolve, reject) => {
      const entry: (typeof this.waiting)[number] = { resolve, reject, signal };
      if (signal) {
        entry.onAbort = () => {
          const i = this.waiting.indexOf(entry);
          if (i >= 0) this.waiting.splice(i, 1);
          reject(signal.reason);
        };
        signal.addEventListener('abort', entry.onAbort, { once: true });
      }
      this.waiting.push(entry);
    });
  }

  private releaser(): Release {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active--;
      this.drain();
    };
  }

  private drain(): void {
    while (this.waiting.length > 0 && this.active < Math.max(1, this.capacity())) {
      const next = this.waiting.shift()!;
      if (next.onAbort) next.signal?.removeEventListener('abort', next.onAbort);
      this.active++;
      next.resolve(this.releaser());
    }
  }
}

/** One global limiter plus one per endpoint; a slot is a slot in both. */
export class ScopedLimits {
  readonly global: Limiter;
  private readonly perEndpoint = new Map<string, Limiter>();

  constructor(
    globalCapacity: () => number,
    private readonly endpointCapacity: () => number,
  ) {
    this.global = new Limiter(globalCapacity);
  }

  endpoint(key: string): Limiter {
    let limiter = this.perEndpoint.get(key);
    if (!limiter) {
      limiter = new Limiter(this.endpointCapacity);
      this.perEndpoint.set(key, limiter);
    }
    return limiter;
  }

  /** Takes the endpoint slots first (in a fixed order, so two callers never deadlock), then the global one. */
  async acquire(endpoints: string[], signal?: AbortSignal): Promise<Release> {
    const keys = [...new Set(endpoints)].sort();
    const releases: Release[] = [];
    try {
      for (const key of keys) releases.push(await this.endpoint(key).acquire(signal));
      releases.push(await this.global.acquire(signal));
    } catch (err) {
      for (const r of releases.reverse()) r();
      throw err;
    }
    return () => {
      for (const r of releases.reverse()) r();
    };
  }
}

/** Runs `work` over `items` with at most `concurrency` at once; stops starting new ones after the first failure. */
export async function runBounded<T>(
  items: Iterable<T>,
  concurrency: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  const iterator = items[Symbol.iterator]();
  let failure: { err: unknown } | undefined;
  const worker = async () => {
    for (;;) {
      if (failure) return;
      const next = iterator.next();
      if (next.done) return;
      try {
        await work(next.value);
      } catch (err) {
        failure ??= { err };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  if (failure) throw failure.err;
}

/** Waits for every promise (none is left running behind a failure), then throws the first failure. */
export async function settleAll(work: (Promise<unknown> | undefined)[]): Promise<void> {
  const results = await Promise.allSettled(work);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}
