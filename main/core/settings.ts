/**
 * User settings, persisted as JSON in the data folder and validated against the contract's schema.
 * A change re-reads the file under its lock and applies only the fields it changes, so two processes
 * changing different settings at once keep both.
 */
import { readFileSync } from 'node:fs';
import writeFileAtomic from 'write-file-atomic';
import { Settings } from '../../preload/shared/contract';
import { withFileLock } from './file-lock';
import { FileStamp } from './file-stamp';

export const DEFAULT_SETTINGS: Settings = {
  objectsInFlight: 64,
  partsInFlight: 8,
  multipartThreshold: 64 * 1024 * 1024,
  partSize: 64 * 1024 * 1024,
  language: 'system',
  theme: 'system',
  defaultConflict: 'overwrite',
  confirmSimpleCopies: true,
};

/** How often a look at the settings checks whether another process saved them (the engine looks often). */
const RECHECK_MS = 500;

export class SettingsStore {
  private current: Settings;
  private readonly stamp: FileStamp;
  private checkedAt = 0;

  constructor(private readonly file: string) {
    this.stamp = new FileStamp(file);
    this.current = this.load();
  }

  get(): Settings {
    const now = Date.now();
    if (now - this.checkedAt >= RECHECK_MS) {
      this.checkedAt = now;
      if (this.stamp.changed()) this.current = this.load();
    }
    return this.current;
  }

  async set(patch: Partial<Settings>): Promise<Settings> {
    // An explicit `undefined` (a form field left alone) means "unchanged", not "remove".
    const given = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
    return withFileLock(this.file, async () => {
      this.current = this.load();
      const next = Settings.parse({ ...this.current, ...given });
      await writeFileAtomic(this.file, JSON.stringify(next, null, 2), { mode: 0o600 });
      this.stamp.wrote();
      this.current = next;
      return next;
    });
  }

  private load(): Settings {
    return this.stamp.read(() => this.readFile());
  }

  private readFile(): Settings {
    try {
      const saved = { ...DEFAULT_SETTINGS, ...JSON.parse(readFileSync(this.file, 'utf8')) } as Settings;
      const parsed = Settings.safeParse(saved);
      if (parsed.success) return parsed.data;
      // Where the panes were is the least of it: a stale one (a bucket renamed by hand) must not
      // cost the person their copy settings.
      const { panes: _stale, ...rest } = saved;
      const withoutPanes = Settings.safeParse(rest);
      return withoutPanes.success ? withoutPanes.data : { ...DEFAULT_SETTINGS };
    } catch {
      return { ...DEFAULT_SETTINGS };
    }
  }
}
