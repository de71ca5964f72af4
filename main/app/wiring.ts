/**
 * What a host starts: the services (services.ts) and the contract's handlers built on them, in that
 * order, so services.ts never needs to know handlers exist.
 */
import { createHandlers } from './handlers';
import type { Handlers } from './dispatch';
import { createServices, startServices, type Services, type ServicesOptions } from './services';
import type { SecretStore } from '../accounts/secrets';

export function appServiceOptions(
  dataDir: string,
  hostKind: ServicesOptions['hostKind'],
  extra: { secretStore?: SecretStore; echoLog?: boolean } = {},
): ServicesOptions {
  return {
    dataDir,
    hostKind,
    seed: hostKind !== 'cli',
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
  try {
    await startServices(services, { autoResume: true });
  } catch (err) {
    await services.close();
    throw err;
  }
  return services;
}
