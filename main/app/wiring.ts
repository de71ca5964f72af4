/**
 * The concrete pieces Ferry runs with: which providers exist and which task engine runs copies.
 * Kept apart from services.ts so tests can build services with instrumented parts.
 */
import { createHandlers } from './handlers';
import type { Handlers } from './dispatch';
import { createServices, type Services, type ServicesOptions } from './services';
import type { SecretStore } from '../accounts/secrets';
import { providerFactories } from '../storage/providers';
import { createCopyEngine } from '../tasks/copy-engine';

export function appServiceOptions(
  dataDir: string,
  hostKind: ServicesOptions['hostKind'],
  extra: { secretStore?: SecretStore; echoLog?: boolean } = {},
): ServicesOptions {
  return {
    dataDir,
    hostKind,
    seed: hostKind !== 'cli',
    providers: providerFactories,
    createTasks: (deps) =>
      createCopyEngine({
        ...deps,
        owner: hostKind,
        sweepLeftovers: () => deps.stores.local.sweepTempFiles(),
      }),
    ...extra,
  };
}

/** What a host runs: the services and the contract's handlers built on them. */
export interface App extends Services {
  handlers: Handlers;
}

/** The services first, then the handlers from them: services.ts never needs to know handlers exist. */
export function createApp(options: ServicesOptions): App {
  const services = createServices(options);
  return { ...services, handlers: createHandlers(services) };
}

export async function startAppServices(
  dataDir: string,
  hostKind: ServicesOptions['hostKind'],
  extra: { secretStore?: SecretStore; echoLog?: boolean } = {},
): Promise<App> {
  const services = createApp(appServiceOptions(dataDir, hostKind, extra));
  await services.tasks.start({ autoResume: true });
  return services;
}
