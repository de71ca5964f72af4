/**
 * Finished tasks (done, failed, cancelled), newest last, persisted so the transfers view survives a
 * restart, and bounded so it never grows without end. Each entry keeps the request, so a cancelled
 * task can be retried after its checkpoint is gone.
 */
import type { CopyOptions, CopySource, Location, TaskSummary } from '../../preload/shared/contract';
import { JsonFile } from './json-file';
import type { RemovalTarget } from './removal';

export interface HistoryEntry {
  summary: TaskSummary;
  request: {
    source: CopySource;
    destination: Location;
    options: CopyOptions;
    priority: number;
    /** A delete task's request (removal.ts); absent for copies. */
    removal?: RemovalTarget;
  };
}

export class TaskHistory {
  private entries: HistoryEntry[] = [];
  private readonly store: JsonFile<{ version: 1; entries: HistoryEntry[] }>;

  constructor(
    file: string,
    private readonly limit = 500,
  ) {
    this.store = new JsonFile(file);
    const stored = this.store.read() as { version?: number; entries?: HistoryEntry[] } | undefined;
    if (stored?.version === 1 && Array.isArray(stored.entries)) {
      this.entries = stored.entries
        .filter((e) => typeof e?.summary?.id === 'string' && e.request)
        .slice(-limit);
    }
  }

  list(): HistoryEntry[] {
    return [...this.entries];
  }

  get(id: string): HistoryEntry | undefined {
    return this.entries.find((e) => e.summary.id === id);
  }

  async record(entry: HistoryEntry): Promise<void> {
    this.entries = [...this.entries.filter((e) => e.summary.id !== entry.summary.id), entry].slice(
      -this.limit,
    );
    await this.persist();
  }

  async remove(ids: Set<string>): Promise<number> {
    const before = this.entries.length;
    this.entries = this.entries.filter((e) => !ids.has(e.summary.id));
    if (this.entries.length !== before) await this.persist();
    return before - this.entries.length;
  }

  private persist(): Promise<void> {
    return this.store.write(() => ({ version: 1, entries: this.entries }));
  }
}
