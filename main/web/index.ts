/**
 * `npm run web` / `node dist/main/web.js`: runs Ferry's services behind the loopback web host.
 * Prints exactly one line on stdout when ready (`Ferry web host: URL`); everything else goes to the
 * log file and stderr.
 */
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { resolveDataDir } from '../core/data-dir';
import { defaultRendererDir, startWebHost } from './server';
import { startAppServices } from '../app/wiring';

function openInBrowser(url: string): void {
  const [cmd, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '', url]]
        : ['xdg-open', [url]];
  try {
    const child = spawn(cmd, args as string[], { stdio: 'ignore', detached: true });
    child.on('error', () => process.stderr.write(`No browser could be opened; open ${url} yourself.\n`));
    child.unref();
  } catch {
    process.stderr.write(`No browser could be opened; open ${url} yourself.\n`);
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      host: { type: 'string' },
      'data-dir': { type: 'string' },
      'no-open': { type: 'boolean', default: false },
      token: { type: 'string' },
    },
    strict: true,
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port must be 0–65535, not "${values.port}"`);
  if (values.host && values.host !== '127.0.0.1') {
    process.stderr.write(
      `Warning: binding ${values.host} as asked; anyone who can reach it and has the token can use your accounts.\n`,
    );
  }
  const services = await startAppServices(resolveDataDir(values['data-dir']), 'web');
  const host = await startWebHost({
    services,
    rendererDir: defaultRendererDir(),
    port,
    host: values.host,
    token: values.token,
  });
  process.stdout.write(`Ferry web host: ${host.url}\n`);
  if (!values['no-open']) openInBrowser(host.url);

  let closing = false;
  const shutdown = async () => {
    if (closing) return;
    closing = true;
    await host.close();
    await services.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
}

main().catch((err: Error) => {
  process.stderr.write(`Ferry web host failed to start: ${err.message}\n`);
  process.exit(1);
});
