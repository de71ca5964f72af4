/**
 * The concrete pieces Ferry runs with: which providers exist and which task engine runs copies.
 * Kept apart from services.ts so tests can build services with instrumented parts.
 */
import { createServices, type Services, type ServicesOptions } from './services';
import type { SecretStore } from './accounts/secrets';
import type { TaskService } from './tasks/task-service';
import { StorageError } from './storage/errors';
import { providerFactories } from './storage/providers';

// Replaced by the copy engine as soon as it lands (main/tasks/).
function engineMissing(): TaskService {
  const fail = async (): Promise<never> => {
    throw new StorageError({
      status: 501,
      code: 'NotImplemented',
      message: 'the copy engine is not built yet',
    });
  };
  return {
    start: async () => undefined,
    list: () => [],
    get: () => undefined,
    copy: fail,
    pause: fail,
    resume: fail,
    cancel: fail,
    retry: fail,
    pauseAll: fail,
    resumeAll: fail,
    clearFinished: fail,
    waitFor: fail,
    listOrphans: fail,
    abortOrphans: fail,
    close: async () => undefined,
  };
}

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
    createTasks: () => engineMissing(),
    ...extra,
  };
}

export async function startAppServices(
  dataDir: string,
  hostKind: ServicesOptions['hostKind'],
  extra: { secretStore?: SecretStore; echoLog?: boolean } = {},
): Promise<Services> {
  const services = createServices(appServiceOptions(dataDir, hostKind, extra));
  await services.tasks.start({ autoResume: true });
  return services;
}
