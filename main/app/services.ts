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
import { providerFactories } from '../storage/providers';
import { StoreRegistry } from '../storage/registry';
import { createCopyEngine } from '../tasks/copy-engine';
import type { TaskService } from '../tasks/task-service';
import type { Settings } from '../../preload/shared/contract';
import { DesktopDropStaging, type DesktopDropOptions } from './desktop-drops';

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
  /**
   * Settings the task engine sees over the saved ones, for this process only and never written back
   * (the CLI's `--jobs`). The engine still resolves every other setting itself, when it needs it.
   */
  engineSettings?: Partial<Settings>;
  /** Limits of desktop-drop staging (tests shorten the idle timeout). */
  uploads?: DesktopDropOptions;
  /** Keys per folder listing page (1,000 unless a test needs many pages from few keys). */
  listPageSize?: number;
}

export interface Services extends ServiceDeps {
  hostKind: HostKind;
  version: string;
  secrets: SecretStore;
  tasks: TaskService;
  /** Desktop drops being received; the app's hosts only (the CLI builds none). */
  uploads?: DesktopDropStaging;
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
  const stores = new StoreRegistry(
    profiles,
    layout.local,
    providerFactories(logger),
    logger,
    layout.computer,
  );
  const deps: ServiceDeps = { layout, logger, bus, settings, profiles, stores };
  const overrides = options.engineSettings;
  const tasks: TaskService = createCopyEngine({
    ...deps,
    settings: overrides ? { get: () => ({ ...settings.get(), ...overrides }) } : settings,
    owner: options.hostKind,
    sweepLeftovers: async () => [
      ...(await stores.local.sweepTempFiles()),
      ...(await stores.computer.sweepTempFiles()),
    ],
    listPageSize: options.listPageSize,
  });
  const uploads =
    options.hostKind === 'cli'
      ? undefined
      : new DesktopDropStaging(
          path.join(layout.root, 'uploads'),
          (id) => stores.storeFor(id),
          options.uploads,
        );
  const services: Services = {
    ...deps,
    hostKind: options.hostKind === 'electron' ? 'electron' : 'web',
    version: ferryVersion(),
    secrets,
    tasks,
    uploads,
    close: async () => {
      await uploads?.close();
      await tasks.close();
    },
  };
  logger.info(
    `Ferry ${services.version} (${options.hostKind}) using data folder ${layout.root}; secrets: ${secrets.description}`,
  );
  return services;
}

/**
 * Starts the task engine, which takes the data folder's engine lock, and only then empties what a
 * previous run left in the upload staging: a Ferry that does not hold the lock must never clean.
 */
export async function startServices(
  services: Services,
  options: { autoResume?: boolean } = {},
): Promise<void> {
  await services.tasks.start(options);
  await services.uploads?.sweepLeftovers();
}
