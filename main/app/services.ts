/**
 * Builds Ferry's services once: data folder, log, settings, accounts, providers and the task engine.
 * The Electron host, the web host and the CLI all get them through wiring.ts (which adds the
 * handlers), so they behave identically and share one data folder.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ProfileStore } from '../accounts/profiles';
import { EncryptedFileSecretStore, type SecretStore } from '../accounts/secrets';
import { prepareDataDir, type DataDirLayout } from '../core/data-dir';
import { EventBus } from '../core/events';
import { Logger } from '../core/logger';
import { SettingsStore } from '../core/settings';
import { seedLocalBuckets } from '../storage/local/seed';
import { StoreRegistry, type StoreFactory } from '../storage/registry';
import type { TaskService } from '../tasks/task-service';

export type HostKind = 'electron' | 'web';

export interface ServiceDeps {
  layout: DataDirLayout;
  logger: Logger;
  bus: EventBus;
  settings: SettingsStore;
  profiles: ProfileStore;
  stores: StoreRegistry;
}

export interface ServicesOptions {
  dataDir: string;
  hostKind: HostKind | 'cli';
  /** The Electron host passes its safeStorage-backed store; others use the encrypted file. */
  secretStore?: SecretStore;
  /** Seed the Local provider with sample buckets on first run (the app does; the CLI does not). */
  seed?: boolean;
  echoLog?: boolean;
  /** Provider factories; given the log so they can record request ids of failures. */
  providers: (logger: Logger) => Partial<Record<'oss' | 's3', StoreFactory>>;
  createTasks: (deps: ServiceDeps) => TaskService;
}

export interface Services extends ServiceDeps {
  hostKind: HostKind;
  version: string;
  secrets: SecretStore;
  tasks: TaskService;
  close(): Promise<void>;
}

export function ferryVersion(): string {
  for (const candidate of [
    path.join(__dirname, '..', '..', 'package.json'),
    path.join(__dirname, '..', 'package.json'),
  ]) {
    try {
      return (JSON.parse(readFileSync(candidate, 'utf8')) as { version: string }).version;
    } catch {
      // try the next layout (bundled vs. run from source)
    }
  }
  return '0.0.0';
}

export function createServices(options: ServicesOptions): Services {
  const layout = prepareDataDir(options.dataDir);
  const bus = new EventBus();
  const logger = new Logger({ dir: layout.logs, bus, echo: options.echoLog });
  const secrets = options.secretStore ?? new EncryptedFileSecretStore(layout.secrets);
  const settings = new SettingsStore(layout.settings);
  const profiles = new ProfileStore(layout.profiles, secrets);
  for (const p of profiles.list()) {
    if (p.secretStore === secrets.kind) {
      const creds = secrets.get(p.id);
      logger.addSecret(creds?.secretAccessKey);
      logger.addSecret(creds?.securityToken);
    }
  }
  if (options.seed && seedLocalBuckets(layout.local)) logger.info(`seeded sample buckets in ${layout.local}`);
  const stores = new StoreRegistry(profiles, layout.local, options.providers(logger), logger);
  const deps: ServiceDeps = { layout, logger, bus, settings, profiles, stores };
  const tasks = options.createTasks(deps);
  const services: Services = {
    ...deps,
    hostKind: options.hostKind === 'electron' ? 'electron' : 'web',
    version: ferryVersion(),
    secrets,
    tasks,
    close: () => tasks.close(),
  };
  logger.info(
    `Ferry ${services.version} (${options.hostKind}) using data folder ${layout.root}; secrets: ${secrets.description}`,
  );
  return services;
}
