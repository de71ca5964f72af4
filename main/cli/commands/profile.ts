/**
 * `ferry profile add|list|remove`. Keys come from flags, from FERRY_ACCESS_KEY_ID /
 * FERRY_SECRET_ACCESS_KEY (the profile then keeps reading them from the environment), or from a
 * prompt on a terminal. A secret is never printed.
 */
import { Command, Option } from 'commander';
import { credentialsFromEnvironment } from '../../accounts/secrets';
import type { Profile, ProfileInput } from '../../../preload/shared/contract';
import { UsageError } from '../errors';
import { askLine, askSecret, isInteractive } from '../prompt';
import { resolveProfileId } from '../session';
import { print, withSession } from './common';

interface AddOptions {
  provider: 'oss' | 's3';
  endpoint: string;
  region: string;
  pathStyle?: boolean;
  signatureVersion?: 'v1' | 'v4';
  readOnly?: boolean;
  accessKeyId?: string;
  secretAccessKey?: string;
}

type KeySource = { keys: { accessKeyId: string; secretAccessKey: string } } | { fromEnvironment: true };

async function keySource(options: AddOptions): Promise<KeySource> {
  if (options.accessKeyId || options.secretAccessKey) {
    if (!options.accessKeyId || !options.secretAccessKey) {
      throw new UsageError('give both --access-key-id and --secret-access-key');
    }
    return { keys: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey } };
  }
  if (credentialsFromEnvironment()) return { fromEnvironment: true };
  if (isInteractive()) {
    const accessKeyId = await askLine('Access key id: ');
    const secretAccessKey = await askSecret('Secret access key: ');
    if (!accessKeyId || !secretAccessKey)
      throw new UsageError('both the access key id and the secret are needed');
    return { keys: { accessKeyId, secretAccessKey } };
  }
  throw new UsageError(
    'no keys: give --access-key-id and --secret-access-key, or set FERRY_ACCESS_KEY_ID and FERRY_SECRET_ACCESS_KEY',
  );
}

export function describeProfile(p: Profile): string {
  const flags = [p.pathStyle ? 'path-style' : '', p.readOnly ? 'read-only' : '', p.signatureVersion ?? '']
    .filter(Boolean)
    .join(',');
  const keys = p.secretStore === 'none' ? 'no keys' : `keys: ${p.secretStore}`;
  return [p.id, p.name, p.provider, p.endpoint ?? '-', p.region ?? '-', flags || '-', keys].join('\t');
}

export function profileCommand(): Command {
  const profile = new Command('profile').description('add, list and remove accounts');

  profile
    .command('add')
    .description('save an account (keys go to the secret store, never to profiles.json)')
    .argument('<name>', 'a name for the account; its id is derived from it')
    .addOption(new Option('--provider <kind>', 'oss or s3').choices(['oss', 's3']).makeOptionMandatory())
    .requiredOption('--endpoint <url>', 'service endpoint, e.g. https://oss-cn-hangzhou.aliyuncs.com')
    .requiredOption('--region <region>', 'region, e.g. cn-hangzhou or us-east-1')
    .option('--path-style', 'address buckets as https://endpoint/bucket (S3 compatibles like Ceph, MinIO)')
    .addOption(new Option('--signature-version <v>', 'OSS signature version').choices(['v1', 'v4']))
    .option('--read-only', 'refuse every write through this account')
    .option('--access-key-id <id>', 'access key id (or FERRY_ACCESS_KEY_ID, or a prompt)')
    .option(
      '--secret-access-key <secret>',
      'secret (visible to other users in ps: prefer the environment or the prompt)',
    )
    .action(async (name: string, options: AddOptions, command: Command) => {
      const source = await keySource(options);
      await withSession(command, {}, async (services) => {
        const input: ProfileInput = {
          name,
          provider: options.provider,
          endpoint: options.endpoint,
          region: options.region,
          pathStyle: Boolean(options.pathStyle),
          signatureVersion: options.signatureVersion,
          readOnly: Boolean(options.readOnly),
          ...('keys' in source ? source.keys : {}),
        };
        if ('keys' in source) services.logger.addSecret(source.keys.secretAccessKey);
        const saved = await services.profiles.save(input, {
          keysFromEnvironment: 'fromEnvironment' in source,
        });
        services.logger.info(
          `account "${saved.name}" saved from the CLI (${saved.provider}, ${saved.endpoint ?? ''})`,
        );
        print(`saved account ${saved.id} (${saved.provider}, ${saved.endpoint}, keys: ${saved.secretStore})`);
      });
    });

  profile
    .command('list')
    .description('list accounts: id, name, provider, endpoint, region, flags, where the keys live')
    .action(async (_options: unknown, command: Command) => {
      await withSession(command, {}, async (services) => {
        for (const p of services.profiles.list()) print(describeProfile(p));
      });
    });

  profile
    .command('remove')
    .description('remove an account and its stored keys')
    .argument('<name>', 'account id or name')
    .action(async (name: string, _options: unknown, command: Command) => {
      await withSession(command, {}, async (services) => {
        const id = resolveProfileId(services, name);
        await services.profiles.remove(id);
        services.stores.forget(id);
        print(`removed account ${id}`);
      });
    });

  return profile;
}
