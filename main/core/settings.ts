/** User settings, persisted as JSON in the data folder and validated against the contract's schema. */
import { readFileSync } from 'node:fs';
import writeFileAtomic from 'write-file-atomic';
import { Settings } from '../../preload/shared/contract';

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

export class SettingsStore {
  private current: Settings;

  constructor(private readonly file: string) {
    this.current = this.load();
  }

  get(): Settings {
    return this.current;
  }

  async set(patch: Partial<Settings>): Promise<Settings> {
    // An explicit `undefined` (a form field left alone) means "unchanged", not "remove".
    const given = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
    const next = Settings.parse({ ...this.current, ...given });
    await writeFileAtomic(this.file, JSON.stringify(next, null, 2), { mode: 0o600 });
    this.current = next;
    return next;
  }

  private load(): Settings {
    try {
      const parsed = Settings.safeParse({
        ...DEFAULT_SETTINGS,
        ...JSON.parse(readFileSync(this.file, 'utf8')),
      });
      return parsed.success ? parsed.data : { ...DEFAULT_SETTINGS };
    } catch {
      return { ...DEFAULT_SETTINGS };
    }
  }
}
