/** The `ferry` command tree, and the one place that turns every outcome into an exit code. */
import { Command, CommanderError } from 'commander';
import { ferryVersion } from '../app/services';
import { abortOrphansCommand, resumeCommand, tasksCommand } from './commands/tasks';
import { cpCommand } from './commands/cp';
import { lsCommand } from './commands/ls';
import { profileCommand } from './commands/profile';
import {
  EXIT_FAILED,
  EXIT_OK,
  EXIT_USAGE,
  OperationFailed,
  UsageError,
  describeError,
  errorShape,
} from './errors';

const EPILOG = `
Addresses:
  PROFILE:bucket/key   an object (PROFILE is an account id or name; "local" is the Local provider)
  PROFILE:bucket/dir/  a folder; as a cp destination the source name is appended
  PROFILE:             the account's buckets (ls)
  /path ./path ../path ~/path, or C:\\path on Windows
                       a file or folder on this computer ("." ".." "~" too); an existing
                       folder is a folder with or without a trailing "/". Examples:
                         ferry cp P:b/key ~/Downloads/
                         ferry cp -r ./photos/ P:b/backup/
                         ferry ls ~/

Data folder: --data-dir DIR, else FERRY_DATA_DIR, else the platform default (shared with the app).

Exit codes:
  0  the operation succeeded
  1  the operation failed; stderr says "ferry: CODE: message (request id ID)"
  2  usage error: bad address, unknown option, bad size or number`;

export function buildProgram(): Command {
  const program = new Command('ferry')
    .description('Ferry: copy and list objects on Alibaba Cloud OSS, S3-compatible stores and local folders')
    .version(ferryVersion(), '-V, --version')
    .option('--data-dir <dir>', 'the data folder (profiles, settings, checkpoints, Local buckets)')
    .addHelpText('after', EPILOG)
    .showHelpAfterError('(ferry --help lists commands and exit codes)');
  for (const sub of [
    profileCommand(),
    lsCommand(),
    cpCommand(),
    tasksCommand(),
    resumeCommand(),
    abortOrphansCommand(),
  ]) {
    program.addCommand(sub);
  }
  // Commander's own failures (unknown option, missing argument) must exit 2, not end the process.
  const override = (cmd: Command) => {
    cmd.exitOverride();
    cmd.commands.forEach(override);
  };
  override(program);
  return program;
}

/** Runs one command line and returns the exit code; never throws. */
export async function runCli(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return EXIT_OK;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version "errors" are successes; commander has already printed everything else.
      return err.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    }
    if (err instanceof UsageError) {
      process.stderr.write(`ferry: ${err.message}\n(ferry --help lists commands and exit codes)\n`);
      return EXIT_USAGE;
    }
    if (!(err instanceof OperationFailed && err.reported)) {
      process.stderr.write(`ferry: ${describeError(errorShape(err))}\n`);
    }
    return EXIT_FAILED;
  }
}
