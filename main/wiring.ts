/**
 * The concrete pieces Ferry runs with: which providers exist and which task engine runs copies.
 * Kept apart from services.ts so tests can build services with instrumented parts.
 */
import { createServices, startServices, type Services, type ServicesOptions } from './services';
import type { SecretStore } from './accounts/secrets';
import { providerFactories } from './storage/providers';
import { createCopyEngine } from './tasks/queue';

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
    createTasks: (deps) => createCopyEngine({ ...deps, owner: hostKind }),
    ...extra,
  };
}

export async function startAppServices(
  dataDir: string,
  hostKind: ServicesOptions['hostKind'],
  extra: { secretStore?: SecretStore; echoLog?: boolean } = {},
): Promise<Services> {
  const services = createServices(appServiceOptions(dataDir, hostKind, extra));
  try {
    await startServices(services, { autoResume: true });
  } catch (err) {
    await services.close();
    throw err;
  }
  return services;
}
