/**
 * The tools the benchmark compares, each as its own process from its own command line: Ferry's CLI
 * (bundled from source here), Debian's rclone and awscli as a typical user runs them and tuned, and
 * the bare ceiling script. None of them reads the user's configuration.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { bundleCli, bundleForNode } from '../support/node-bundle';
import type { Server } from './server';
import { runTimed, type Timed } from './timed';

export type RunOptions = Parameters<typeof runTimed>[3];

export interface Tools {
  ferry(args: string[], dataDir: string, opts?: RunOptions): Promise<Timed>;
  rclone(args: string[], opts?: RunOptions): Promise<Timed>;
  /** `aws s3 …` with its defaults (`tuned: false`) or with the tuned profile the bench writes. */
  aws(args: string[], tuned: boolean, opts?: RunOptions): Promise<Timed>;
  ceiling(env: Record<string, string>): Promise<Timed>;
  /** The bare streamed ceiling (stream-ceiling.ts): MODE download, upload or copy. */
  streamCeiling(env: Record<string, string>): Promise<Timed>;
  rcloneVersion: string;
  awsVersion: string;
}

/** Debian's awscli; a Python awscli earlier on PATH (pyenv shims, pip --user) would be another tool. */
function awsBinary(): string {
  if (process.env.FERRY_BENCH_AWS) return process.env.FERRY_BENCH_AWS;
  return existsSync('/usr/bin/aws') ? '/usr/bin/aws' : 'aws';
}

export async function prepareTools(
  server: Server,
  work: string,
  proxyEndpoint: () => string,
): Promise<Tools> {
  // Ferry's CLI and the ceiling script are bundled from source here, so a concurrent rebuild of dist/
  // cannot change what is measured half-way.
  const cli = path.join(work, 'ferry-cli.js');
  const ceiling = path.join(work, 'ceiling.js');
  const streamCeiling = path.join(work, 'stream-ceiling.js');
  await bundleCli(cli);
  await bundleForNode(path.join(__dirname, 'ceiling.ts'), ceiling);
  await bundleForNode(path.join(__dirname, 'stream-ceiling.ts'), streamCeiling);
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !k.startsWith('FERRY_') && !k.startsWith('RCLONE_') && !k.startsWith('AWS_'),
    ),
  );
  // rclone: a remote for the server, one for the proxy and one for the second user, from the environment and an empty config
  // file, never the user's. Debian's rclone 1.60 refuses to start when AWS_CA_BUNDLE is set (dropped above).
  const rcloneConf = path.join(work, 'rclone.conf');
  writeFileSync(rcloneConf, '');
  const remote = (
    name: string,
    endpoint: string,
    keys: { accessKeyId: string; secretAccessKey: string } = server,
  ) => ({
    [`RCLONE_CONFIG_${name}_TYPE`]: 's3',
    [`RCLONE_CONFIG_${name}_PROVIDER`]: 'Ceph',
    [`RCLONE_CONFIG_${name}_ENDPOINT`]: endpoint,
    [`RCLONE_CONFIG_${name}_ACCESS_KEY_ID`]: keys.accessKeyId,
    [`RCLONE_CONFIG_${name}_SECRET_ACCESS_KEY`]: keys.secretAccessKey,
    [`RCLONE_CONFIG_${name}_REGION`]: 'us-east-1',
    [`RCLONE_CONFIG_${name}_FORCE_PATH_STYLE`]: 'true',
  });
  const rcloneEnv = () => ({
    ...clean,
    ...remote('RGW', server.endpoint),
    ...remote('PRX', proxyEndpoint()),
    ...(server.secondUser ? remote('RGW2', server.endpoint, server.secondUser) : {}),
  });
  const version = spawnSync('rclone', ['version'], { env: rcloneEnv(), encoding: 'utf8' });
  if (version.status !== 0)
    throw new Error(`rclone is needed for the comparison: ${version.error ?? version.stderr}`);

  // awscli: a config file of our own; "tuned" is the 64 requests in flight and 64 MiB parts.
  const awsConfig = path.join(work, 'aws-config');
  writeFileSync(
    awsConfig,
    [
      '[default]',
      'region = us-east-1',
      's3 =',
      '  addressing_style = path',
      '[profile tuned]',
      'region = us-east-1',
      's3 =',
      '  addressing_style = path',
      '  max_concurrent_requests = 64',
      '  multipart_chunksize = 64MB',
      '',
    ].join('\n'),
  );
  // A named profile ignores the environment's keys, so both profiles get them from a file.
  const awsCredentials = path.join(work, 'aws-credentials');
  const keys = [
    `aws_access_key_id = ${server.accessKeyId}`,
    `aws_secret_access_key = ${server.secretAccessKey}`,
  ];
  writeFileSync(awsCredentials, ['[default]', ...keys, '[tuned]', ...keys, ''].join('\n'));
  const awsEnv = {
    ...clean,
    AWS_CONFIG_FILE: awsConfig,
    AWS_SHARED_CREDENTIALS_FILE: awsCredentials,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PAGER: '',
  };
  const aws = awsBinary();
  const awsVersion = spawnSync(aws, ['--version'], { env: awsEnv, encoding: 'utf8' });
  if (awsVersion.status !== 0)
    throw new Error(`awscli is needed for the comparison: ${awsVersion.error ?? awsVersion.stderr}`);

  return {
    ferry: (args, dataDir, opts) =>
      runTimed(process.execPath, [cli, '--data-dir', dataDir, ...args], clean, opts),
    rclone: (args, opts) => runTimed('rclone', ['--config', rcloneConf, ...args], rcloneEnv(), opts),
    aws: (args, tuned, opts) =>
      runTimed(
        aws,
        ['--endpoint-url', server.endpoint, ...(tuned ? ['--profile', 'tuned'] : []), ...args],
        awsEnv,
        opts,
      ),
    ceiling: (env) => runTimed(process.execPath, [ceiling], { ...clean, ...env }),
    streamCeiling: (env) => runTimed(process.execPath, [streamCeiling], { ...clean, ...env }),
    rcloneVersion: version.stdout.split('\n')[0]!.trim(),
    awsVersion: awsVersion.stdout.trim().split(' ')[0] ?? '',
  };
}
