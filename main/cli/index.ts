/** Entry of `dist/main/cli.js` (bin/ferry.js): runs the command line and exits with its code. */
import { runCli } from './program';

void runCli(process.argv.slice(2)).then((code) => {
  // Exit explicitly (idle keep-alive sockets would hold the process open), but only once stdout and
  // stderr are flushed: a piped stdout is asynchronous and process.exit would cut it short.
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
});
