/** `ferry cp SRC DST`: queues one copy task on the app's engine and waits for it to end. */
import { Command, Option } from 'commander';
import { parseAddress } from '../address';
import { planDestination, planOptions, planSource, type CpFlags } from '../copy-request';
import { OperationFailed } from '../errors';
import { waitForTasks } from '../run-tasks';
import { resolveProfileId } from '../session';
import { parseIntOption, withSession } from './common';

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function cpCommand(): Command {
  return new Command('cp')
    .description('copy an object, or a folder with --recursive, and wait until the copy ends')
    .argument('<src>', 'PROFILE:bucket/key or a path on this computer (a folder with --recursive)')
    .argument(
      '<dst>',
      'PROFILE:bucket/folder/ (ending in "/": the source name is appended), PROFILE:bucket/key, or a path',
    )
    .option('-r, --recursive', 'copy every object under the source folder (prefix)')
    .addOption(
      new Option('--metadata-directive <d>', 'COPY keeps the metadata, REPLACE sets the given one').choices([
        'COPY',
        'REPLACE',
      ]),
    )
    .option('--meta <name=value>', 'user metadata for REPLACE (repeatable)', collect)
    .option('--content-type <type>', 'Content-Type for REPLACE')
    .option('--cache-control <value>', 'Cache-Control for REPLACE')
    .option('--storage-class <class>', 'storage class of the copies')
    .addOption(
      new Option('--conflict <policy>', 'when the destination exists (default overwrite)').choices([
        'overwrite',
        'skip',
        'skip-if-same',
        'keep-both',
      ]),
    )
    .option(
      '--multipart-threshold <size>',
      'objects at least this big copy in parts (e.g. 64MiB; default: settings)',
    )
    .option('--part-size <size>', 'part size (e.g. 8MiB; default: settings)')
    .option('--jobs <n>', 'objects in flight (default: settings)')
    .action(
      async (srcText: string, dstText: string, flags: CpFlags & { jobs?: string }, command: Command) => {
        const source = planSource(parseAddress(srcText), Boolean(flags.recursive));
        const destination = planDestination(parseAddress(dstText), source);
        const jobs = flags.jobs === undefined ? undefined : parseIntOption(flags.jobs, '--jobs', 1, 256);
        const settings = jobs === undefined ? {} : { objectsInFlight: jobs };
        const ok = await withSession(command, { settings, startTasks: true }, async (services) => {
          const src = parseAddress(srcText);
          const dst = parseAddress(dstText);
          const dstProfileId = resolveProfileId(services, dst.profile);
          const { minPartSize } = services.stores.storeFor(dstProfileId).capabilities;
          const options = planOptions(flags, minPartSize);
          const { taskIds } = await services.handlers['tasks.copy']({
            sources: [{ profileId: resolveProfileId(services, src.profile), ...source }],
            destination: { profileId: dstProfileId, ...destination },
            options,
          });
          const interrupt = () => {
            process.stderr.write('\nferry: interrupted; run `ferry resume` to finish the copy\n');
            void services.close().finally(() => process.exit(130));
          };
          process.once('SIGINT', interrupt);
          try {
            return await waitForTasks(services, taskIds);
          } finally {
            process.off('SIGINT', interrupt);
          }
        });
        if (!ok) throw new OperationFailed('CopyFailed', 'the copy did not complete', undefined, true);
      },
    );
}
