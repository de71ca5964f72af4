/**
 * Opens the same services the app runs on, for one CLI invocation: same data folder, same profiles,
 * settings and checkpoints, host kind `cli` (no sample buckets). Settings the command line overrides
 * (`--jobs`) apply to this process only and are never written back to the app's settings file.
 */
import { layoutOf } from '../core/data-dir';
import { SettingsStore } from '../core/settings';
import { appServiceOptions, createApp, type App } from '../app/wiring';
import type { Settings } from '../../preload/shared/contract';
import { ProfileError } from '../accounts/profiles';

class SessionSettings extends SettingsStore {
  constructor(
    file: string,
    private readonly overrides: Partial<Settings>,
  ) {
    super(file);
  }

  override get(): Settings {
    return { ...super.get(), ...this.overrides };
  }
}

export interface SessionOptions {
  dataDir: string;
  /** Overrides seen by the task engine only (e.g. objectsInFlight from --jobs). */
  settings?: Partial<Settings>;
  /** Load the task engine's checkpoints (needed by cp, tasks, resume, abort-orphans). */
  startTasks?: boolean;
}

export async function openSession(options: SessionOptions): Promise<App> {
  const base = appServiceOptions(options.dataDir, 'cli');
  const overrides = options.settings ?? {};
  const services = createApp({
    ...base,
    createTasks: (deps) =>
      base.createTasks({
        ...deps,
        settings: new SessionSettings(layoutOf(options.dataDir).settings, overrides),
      }),
  });
  // The CLI runs only what it was asked to: `ferry resume` resumes explicitly, `cp` never picks up
  // other unfinished tasks behind the user's back.
  if (options.startTasks) {
    try {
      await startTasks(services);
    } catch (err) {
      await services.close();
      throw err;
    }
  }
  return services;
}

/** Loads the checkpoints (unfinished tasks stay paused) and says which ones were not trusted. */
export async function startTasks(services: App): Promise<void> {
  await services.tasks.start({ autoResume: false });
  // The log has it too, but a terminal user should not have to look there to learn a task is gone.
  for (const c of services.tasks.corruptCheckpoints?.() ?? []) {
    process.stderr.write(`ferry: checkpoint ${c.file} is not trusted: ${c.reason}; moved to ${c.movedTo}\n`);
  }
}

/** Accounts are named on the command line by id (`my-oss`) or by their display name. */
export function resolveProfileId(services: App, text: string): string {
  const all = services.profiles.list();
  const found = all.find((p) => p.id === text) ?? all.find((p) => p.name === text);
  if (!found) {
    const known = all.map((p) => p.id).join(', ');
    throw new ProfileError('NoSuchProfile', `there is no account "${text}" (accounts: ${known})`);
  }
  return found.id;
}
