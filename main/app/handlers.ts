/** The implementation of every contract request, shared by the Electron host and the web host. */
import { StorageError, errorInfo } from '../storage/errors';
import type { Handlers } from './dispatch';
import type { Services } from './services';
import { listAll, type ObjectStore } from '../storage/provider';
import type { DesktopDropStaging } from './desktop-drops';
import { computerPlaces, pinFolder, resolveDroppedPaths, unpinFolder } from './computer-locations';

function readOnlyError(profileName: string, what: string): StorageError {
  return new StorageError({
    status: 403,
    code: 'ReadOnlyProfile',
    message: `account "${profileName}" is read-only: ${what} is not allowed`,
  });
}

/**
 * One bucket listing, bounded in time. A key that may not list buckets (a RAM user's) is tested on
 * its start path instead, the one place it is meant to reach.
 */
async function testConnection(
  store: ObjectStore,
  redact: (text: string) => string,
  startPath?: string,
): Promise<{ ok: boolean; message: string; requestId?: string }> {
  const signal = AbortSignal.timeout(15_000);
  try {
    if (startPath) {
      const [bucket = '', ...rest] = startPath.split('/');
      const folder = rest.join('/');
      // "bucket/reports" means the folder reports/, as the pane opens it.
      const prefix = folder && !folder.endsWith('/') ? `${folder}/` : folder;
      await store.listObjects(bucket, { prefix, delimiter: '/', maxKeys: 1 }, { signal });
      return { ok: true, message: `connected: ${startPath} can be listed` };
    }
    const buckets = await store.listBuckets({ signal });
    return {
      ok: true,
      message: `connected: ${buckets.length} ${buckets.length === 1 ? 'bucket' : 'buckets'} visible`,
    };
  } catch (err) {
    const { message, requestId } = errorInfo(err, redact);
    return { ok: false, message, requestId };
  }
}

export function createHandlers(services: Services): Handlers {
  const { profiles, stores, settings, tasks, logger } = services;

  const assertWritable = (profileId: string, what: string) => {
    if (stores.isReadOnly(profileId)) throw readOnlyError(profiles.get(profileId).name, what);
  };
  // The CLI has no desktop to drop files from, and builds no staging (services.ts).
  const staging = (): DesktopDropStaging => {
    if (!services.uploads)
      throw new StorageError({
        status: 400,
        code: 'InvalidRequest',
        message: 'desktop uploads are received only by the app',
      });
    return services.uploads;
  };

  return {
    'host.info': async () => ({
      kind: services.hostKind,
      version: services.version,
      dataDir: services.layout.root,
      platform: process.platform,
      logFile: logger.path,
    }),

    'profiles.list': async () => profiles.list().map((p) => profiles.describe(p)),
    'profiles.save': async (input) => {
      logger.addSecret(input.secretAccessKey);
      logger.addSecret(input.securityToken);
      const saved = await profiles.save(input);
      stores.forget(saved.id);
      logger.info(`account "${saved.name}" saved (${saved.provider}, ${saved.endpoint ?? ''})`);
      // Tasks that paused because this account's keys expired go on with the keys just saved.
      await tasks.credentialsRenewed?.(saved.id);
      return profiles.describe(saved);
    },
    'profiles.testDraft': async (input) => {
      logger.addSecret(input.secretAccessKey);
      logger.addSecret(input.securityToken);
      const { profile, credentials } = profiles.draft(input);
      if (!credentials)
        return {
          ok: false,
          message: 'there are no keys to test with: enter the access key ID and the secret',
        };
      return testConnection(
        stores.storeForDraft(profile, credentials),
        (t) => logger.redact(t),
        profile.startPath,
      );
    },
    'profiles.remove': async ({ id }) => {
      const removed = await profiles.remove(id);
      stores.forget(id);
      return { removed };
    },
    'profiles.test': async ({ id }) =>
      testConnection(stores.storeFor(id), (t) => logger.redact(t), profiles.get(id).startPath),

    'storage.listBuckets': async ({ profileId }) =>
      (await stores.storeFor(profileId).listBuckets()).map((b) => ({
        name: b.name,
        region: b.region,
        creationDate: b.creationDate,
      })),
    'storage.listObjects': async ({ profileId, bucket, prefix, delimiter, continuationToken, maxKeys }) => {
      const page = await stores
        .storeFor(profileId)
        .listObjects(bucket, { prefix, delimiter, continuationToken, maxKeys: maxKeys ?? 1000 });
      return { objects: page.objects, prefixes: page.prefixes, nextToken: page.nextToken };
    },
    'storage.headObject': async ({ profileId, bucket, key }) => {
      const head = await stores.storeFor(profileId).headObject({ bucket, key });
      return {
        key: head.key,
        size: head.size,
        etag: head.etag,
        lastModified: head.lastModified,
        versionId: head.versionId,
        crc64: head.crc64,
        storageClass: head.storageClass,
        metadata: head.metadata,
      };
    },
    'storage.presign': async ({ profileId, bucket, key, expiresSeconds }) => ({
      url: await stores.storeFor(profileId).presign('GET', { bucket, key }, expiresSeconds),
    }),
    'storage.deleteObjects': async ({ profileId, bucket, keys }) => {
      assertWritable(profileId, 'deleting objects');
      const store = stores.storeFor(profileId);
      // A key ending in "/" deletes the whole folder: every object under it, page by page.
      const errors: { key: string; code: string; message: string }[] = [];
      let deleted = 0;
      // Each key's failure is the server's text: redacted like every other error (errorInfo).
      const redact = (failed: { key: string; code: string; message: string }[]) =>
        failed.map((f) => ({ ...f, code: logger.redact(f.code), message: logger.redact(f.message) }));
      const plain = keys.filter((k) => !k.endsWith('/'));
      for (const folder of keys.filter((k) => k.endsWith('/'))) {
        for await (const { page } of listAll(store, bucket, { prefix: folder })) {
          const batch = page.objects.map((o) => o.key);
          if (batch.length === 0) continue;
          const failed = redact(await store.deleteObjects(bucket, batch));
          errors.push(...failed);
          deleted += batch.length - failed.length;
        }
        await store.removeEmptyFolders?.(bucket, folder);
      }
      if (plain.length) {
        const failed = redact(await store.deleteObjects(bucket, plain));
        errors.push(...failed);
        deleted += plain.length - failed.length;
      }
      logger.info(
        `deleted ${deleted} object(s) from ${profileId}:${bucket}${errors.length ? `, ${errors.length} failed` : ''}`,
      );
      return { deleted, errors };
    },

    'tasks.list': async () => tasks.list(),
    'tasks.copy': async ({ sources, destination, options }) => {
      assertWritable(destination.profileId, 'copying into it');
      if (options.move) for (const s of sources) assertWritable(s.profileId, 'moving objects out of it');
      return { taskIds: await tasks.copy(sources, destination, options) };
    },
    'tasks.pause': async ({ id }) => ({ state: await tasks.pause(id) }),
    'tasks.resume': async ({ id }) => ({ state: await tasks.resume(id) }),
    'tasks.cancel': async ({ id }) => ({ state: await tasks.cancel(id) }),
    'tasks.retry': async ({ id }) => ({ state: await tasks.retry(id) }),
    'tasks.pauseAll': async () => ({ count: await tasks.pauseAll() }),
    'tasks.resumeAll': async () => ({ count: await tasks.resumeAll() }),
    'tasks.clearFinished': async () => ({ count: await tasks.clearFinished() }),
    'tasks.remove': async ({ id }) => ({ removed: await tasks.remove(id) }),

    'orphans.list': async ({ profileId, bucket }) => tasks.listOrphans(profileId, bucket),
    'orphans.abort': async ({ profileId, bucket, uploads }) => {
      assertWritable(profileId, 'aborting uploads');
      return { aborted: await tasks.abortOrphans(profileId, bucket, uploads) };
    },

    'computer.places': async () => computerPlaces({ store: stores.computer, settings }),
    'computer.pin': async ({ bucket, prefix }) =>
      pinFolder({ store: stores.computer, settings }, bucket, prefix),
    'computer.unpin': async ({ bucket, prefix }) =>
      unpinFolder({ store: stores.computer, settings }, bucket, prefix),
    'computer.resolvePaths': async ({ paths }) => resolveDroppedPaths(paths),

    'settings.get': async () => settings.get(),
    'settings.set': async (patch) => settings.set(patch),

    'logs.tail': async ({ limit }) => logger.recent(limit),

    'uploads.begin': async ({ profileId, bucket, key, size, contentType, conflict }) => {
      assertWritable(profileId, 'uploading into it');
      return { uploadId: await staging().begin({ profileId, bucket, key, size, contentType, conflict }) };
    },
    'uploads.append': async ({ uploadId, offset, data }) => ({
      received: await staging().append(uploadId, offset, Buffer.from(data, 'base64')),
    }),
    'uploads.finish': async ({ uploadId }) => {
      const result = await staging().finish(uploadId);
      logger.info(
        result.skipped
          ? `kept the existing "${result.key}": a desktop file of that name was skipped`
          : `uploaded a desktop file (${result.etag})`,
      );
      return result;
    },
    'uploads.abort': async ({ uploadId }) => ({ aborted: await staging().abort(uploadId) }),
  };
}
