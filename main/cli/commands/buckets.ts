/**
 * `ferry mb`, `ferry rb`, `ferry info` and `ferry mkdir`: buckets and folders. `rb --force` and
 * `rm -r` run as delete tasks on the app's engine (resumable with `ferry resume`).
 */
import { Command } from 'commander';
import { bucketNameProblem } from '../../../preload/shared/bucket-names';
import { parseAddress, parseBucketAddress } from '../address';
import { OperationFailed, UsageError } from '../errors';
import { waitForTasks } from '../run-tasks';
import { resolveProfileId } from '../session';
import { print, withSession } from './common';
import type { App } from '../../app/wiring';

/** `PROFILE:name`, without the contract's own bucket check: the account's rules decide (mb). */
function parseNewBucket(text: string): { profile: string; name: string } {
  const colon = text.indexOf(':');
  const name = colon < 0 ? '' : text.slice(colon + 1).replace(/\/$/, '');
  if (colon <= 0 || name === '' || name.includes('/'))
    throw new UsageError(`"${text}" does not name a bucket: write PROFILE:bucket-name`);
  return { profile: text.slice(0, colon), name };
}

async function waitInterruptible(services: App, ids: string[], what: string): Promise<boolean> {
  const interrupt = () => {
    process.stderr.write(`\nferry: interrupted; run \`ferry resume\` to finish ${what}\n`);
    void services.close().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupt);
  try {
    return await waitForTasks(services, ids);
  } finally {
    process.off('SIGINT', interrupt);
  }
}

export function mbCommand(): Command {
  return new Command('mb')
    .description("make a bucket (private), named by the account service's rules")
    .argument('<bucket>', 'PROFILE:bucket-name')
    .option('--region <region>', "the bucket's region (default: the account's)")
    .option('--storage-class <class>', 'OSS: the default storage class (Standard, IA, Archive, …)')
    .action(async (text: string, options: { region?: string; storageClass?: string }, command: Command) => {
      const { profile, name } = parseNewBucket(text);
      await withSession(command, {}, async (services) => {
        const profileId = resolveProfileId(services, profile);
        const problem = bucketNameProblem(name, services.stores.storeFor(profileId).kind);
        if (problem) throw new UsageError(`"${name}" cannot be a bucket name: ${problem}`);
        const made = await services.handlers['buckets.create']({
          profileId,
          name,
          region: options.region,
          storageClass: options.storageClass,
        });
        print(`made bucket ${profile}:${made.name}${made.region ? ` in ${made.region}` : ''}`);
      });
    });
}

export function rbCommand(): Command {
  return new Command('rb')
    .description('remove a bucket: an empty one, or with --force everything in it first')
    .argument('<bucket>', 'PROFILE:bucket')
    .option(
      '--force',
      'delete every object, version, delete marker and unfinished upload, then the bucket (a resumable task)',
    )
    .action(async (text: string, options: { force?: boolean }, command: Command) => {
      const address = parseBucketAddress(text);
      if (address.key !== '') throw new UsageError(`"${text}" names a folder: rb takes PROFILE:bucket`);
      const ok = await withSession(command, { startTasks: Boolean(options.force) }, async (services) => {
        const profileId = resolveProfileId(services, address.profile);
        const result = await services.handlers['buckets.delete']({
          profileId,
          bucket: address.bucket,
          force: Boolean(options.force),
        });
        if (result.deleted) {
          print(`removed bucket ${address.profile}:${address.bucket}`);
          return true;
        }
        return waitInterruptible(services, [result.taskId!], 'deleting the bucket');
      });
      if (!ok) throw new OperationFailed('DeleteFailed', 'the bucket was not deleted', undefined, true);
    });
}

export function rmCommand(): Command {
  return new Command('rm')
    .description('delete an object, or a folder and everything under it with --recursive (a resumable task)')
    .argument('<address>', 'PROFILE:bucket/key (a folder with --recursive)')
    .option('-r, --recursive', 'delete every object under the folder (prefix)')
    .action(async (text: string, options: { recursive?: boolean }, command: Command) => {
      const address = parseBucketAddress(text);
      if (address.key === '')
        throw new UsageError('rm deletes objects and folders: to delete a bucket, use rb');
      const folder = address.key.endsWith('/') || options.recursive;
      if (folder && !options.recursive)
        throw new UsageError(
          `"${address.key}" is a folder: add --recursive to delete it and everything in it`,
        );
      const key = folder && !address.key.endsWith('/') ? `${address.key}/` : address.key;
      const ok = await withSession(command, { startTasks: true }, async (services) => {
        const { taskId } = await services.handlers['tasks.delete']({
          profileId: resolveProfileId(services, address.profile),
          bucket: address.bucket,
          keys: [key],
        });
        return waitInterruptible(services, [taskId], 'the delete');
      });
      if (!ok) throw new OperationFailed('DeleteFailed', 'the delete did not complete', undefined, true);
    });
}

export function infoCommand(): Command {
  return new Command('info')
    .description("a bucket's region, creation date and versioning state")
    .argument('<bucket>', 'PROFILE:bucket')
    .action(async (text: string, _options: unknown, command: Command) => {
      const address = parseBucketAddress(text);
      await withSession(command, {}, async (services) => {
        const info = await services.handlers['buckets.info']({
          profileId: resolveProfileId(services, address.profile),
          bucket: address.bucket,
        });
        print(`bucket      ${info.name}`);
        print(`region      ${info.region ?? '-'}`);
        print(`created     ${info.creationDate ?? '-'}`);
        print(`versioning  ${info.versioning}`);
        if (info.storageClass) print(`class       ${info.storageClass}`);
      });
    });
}

export function mkdirCommand(): Command {
  return new Command('mkdir')
    .description('make a folder: the zero-byte "path/" marker, as the OSS console does')
    .argument('<folder>', 'PROFILE:bucket/path/')
    .action(async (text: string, _options: unknown, command: Command) => {
      const address = parseAddress(text);
      if (address.bucket === undefined || address.key === '')
        throw new UsageError(`"${text}" names no folder: write PROFILE:bucket/path/`);
      const key = address.key.endsWith('/') ? address.key : `${address.key}/`;
      await withSession(command, {}, async (services) => {
        await services.handlers['storage.createFolder']({
          profileId: resolveProfileId(services, address.profile),
          bucket: address.bucket!,
          key,
        });
        print(`made folder ${address.profile}:${address.bucket}/${key}`);
      });
    });
}
