/**
 * Buckets and folders as a person manages them: create a bucket (named by its service's rules, in a
 * region, private), look at one (region, creation date, versioning), delete one (an empty one at
 * once; a full one only when forced, as a resumable delete task), and make a folder marker. Every
 * refusal is decided before anything on the server changes.
 */
import type { BucketDetails } from '../../preload/shared/contract';
import { bucketNameProblem, type BucketDialect } from '../../preload/shared/bucket-names';
import { StorageError, isStorageError } from '../storage/errors';
import type { ObjectStore } from '../storage/provider';
import type { TaskService } from '../tasks/task-service';

const NO_BUCKET_OPS = (what: string) =>
  new StorageError({ status: 501, code: 'NotImplemented', message: `this service cannot ${what}` });

function dialectOf(store: ObjectStore): BucketDialect {
  return store.kind;
}

/** Whether a bucket of that name is ours, another account's, or free. */
async function ownerOf(store: ObjectStore, name: string): Promise<'ours' | 'other' | 'none'> {
  try {
    await store.bucketRegion(name, { signal: AbortSignal.timeout(30_000) });
    return 'ours';
  } catch (err) {
    if (!isStorageError(err)) throw err;
    if (err.status === 404 || err.code === 'NoSuchBucket') return 'none';
    if (err.status === 403) return 'other';
    throw err;
  }
}

export async function createBucket(
  store: ObjectStore,
  request: { name: string; region?: string; storageClass?: string },
): Promise<{ name: string; region?: string }> {
  const { name } = request;
  const problem = bucketNameProblem(name, dialectOf(store));
  if (problem)
    throw new StorageError({ status: 400, code: 'InvalidBucketName', message: `"${name}": ${problem}` });
  if (request.storageClass && store.kind !== 'oss')
    throw new StorageError({
      status: 400,
      code: 'InvalidArgument',
      message: 'only OSS gives a bucket a storage class; on S3 each object has its own',
    });
  if (!store.createBucket) throw NO_BUCKET_OPS('create buckets');
  const owner = await ownerOf(store, name);
  if (owner === 'ours')
    throw new StorageError({
      status: 409,
      code: 'BucketAlreadyOwnedByYou',
      message: `you already have a bucket named "${name}"`,
    });
  if (owner === 'other')
    throw new StorageError({
      status: 409,
      code: 'BucketAlreadyExists',
      message: `the name "${name}" is taken by another account (bucket names are shared by everyone on the service): choose another`,
    });
  try {
    await store.createBucket(name, request.region || undefined, {
      signal: AbortSignal.timeout(60_000),
      ...(request.storageClass ? { storageClass: request.storageClass } : {}),
    });
  } catch (err) {
    if (isStorageError(err) && err.code === 'BucketAlreadyExists')
      err.message = `the name "${name}" is taken by another account (bucket names are shared by everyone on the service): choose another`;
    throw err;
  }
  return request.region ? { name, region: request.region } : { name };
}

export async function bucketInfo(store: ObjectStore, bucket: string): Promise<BucketDetails> {
  if (!store.bucketDetails) throw NO_BUCKET_OPS('describe buckets');
  return store.bucketDetails(bucket, { signal: AbortSignal.timeout(30_000) });
}

/**
 * An empty bucket is deleted at once. One that holds anything — objects, versions, delete markers,
 * unfinished uploads — is refused by the server (nothing changes), and then emptied by a task only
 * when `force` says the person confirmed it.
 */
export async function deleteBucket(
  store: ObjectStore,
  tasks: TaskService,
  request: { profileId: string; bucket: string; force?: boolean },
): Promise<{ deleted: boolean; taskId?: string }> {
  const { bucket } = request;
  if (!store.deleteBucket) throw NO_BUCKET_OPS('delete buckets');
  try {
    await store.deleteBucket(bucket, { signal: AbortSignal.timeout(60_000) });
    return { deleted: true };
  } catch (err) {
    if (!isStorageError(err) || (err.code !== 'BucketNotEmpty' && err.status !== 409)) throw err;
  }
  if (!request.force)
    throw new StorageError({
      status: 409,
      code: 'BucketNotEmpty',
      message: `the bucket "${bucket}" is not empty: nothing was deleted. Deleting it deletes everything in it (every object and version) — confirm by typing its name in the app, or use --force`,
    });
  if (!tasks.removeObjects) throw NO_BUCKET_OPS('empty buckets');
  const versioning = store.bucketDetails
    ? (await store.bucketDetails(bucket, { signal: AbortSignal.timeout(30_000) })).versioning
    : 'Off';
  const taskId = await tasks.removeObjects(
    { profileId: request.profileId, bucket },
    { keys: [], bucket: true, versioned: versioning !== 'Off' },
  );
  return { deleted: false, taskId };
}

/** The zero-byte `path/` object the OSS console creates for a folder (writing it twice changes nothing). */
export async function createFolder(
  store: ObjectStore,
  bucket: string,
  key: string,
): Promise<{ key: string }> {
  if (!key.endsWith('/') || key.startsWith('/') || key.includes('//'))
    throw new StorageError({
      status: 400,
      code: 'InvalidFolderName',
      message: `"${key}" is not a folder name: it ends with "/" and has no empty part`,
    });
  await store.putObject(bucket, key, Buffer.alloc(0), 0, {}, { signal: AbortSignal.timeout(30_000) });
  return { key };
}
