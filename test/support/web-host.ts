/**
 * Web hosts for tests: `startTestWebHost` builds the app's real services on a temp data folder and
 * starts the loopback host in-process; `spawnWebHost` runs the built `node dist/main/web.js` as a user
 * would. Both clean up their data folder on close.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startWebHost, type WebHost } from '../../main/web/server';
import { appServiceOptions, createApp, type App } from '../../main/app/wiring';

export interface TestWebHost {
  dataDir: string;
  services: App;
  host: WebHost;
  /** `http://127.0.0.1:PORT` without the token. */
  origin: string;
  close(): Promise<void>;
}

const repoRoot = path.resolve(__dirname, '..', '..');

export async function startTestWebHost(
  options: { host?: string; dataDir?: string; services?: (dataDir: string) => App } = {},
): Promise<TestWebHost> {
  const dataDir = options.dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'ferry-web-'));
  const services = options.services?.(dataDir) ?? createApp(appServiceOptions(dataDir, 'web'));
  await services.tasks.start({ autoResume: false });
  const host = await startWebHost({
    services,
    rendererDir: path.join(repoRoot, 'dist', 'renderer'),
    host: options.host,
  });
  return {
    dataDir,
    services,
    host,
    origin: `http://127.0.0.1:${host.port}`,
    close: async () => {
      await host.close();
      await services.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface SpawnedWebHost {
  dataDir: string;
  url: string;
  token: string;
  origin: string;
  child: ChildProcess;
  stderr: () => string;
  close(): Promise<void>;
}

/** Runs the built web host (`npm run build` first); resolves once it prints its URL. */
export async function spawnWebHost(timeoutMs = 20_000): Promise<SpawnedWebHost> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ferry-webproc-'));
  const child = spawn(
    process.execPath,
    [path.join(repoRoot, 'dist', 'main', 'web.js'), '--no-open', '--data-dir', dataDir],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`web host did not start: ${err}`)), timeoutMs);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Ferry web host: (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`web host exited with ${code}: ${err}`));
    });
  });
  const parsed = new URL(url);
  return {
    dataDir,
    url,
    token: parsed.searchParams.get('token')!,
    origin: parsed.origin,
    child,
    stderr: () => err,
    close: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
