import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';

const root = path.resolve(__dirname, '..', '..');
const URL_LINE = /^Ferry web host: http:\/\/127\.0\.0\.1:(\d+)\/\?token=([A-Za-z0-9_-]{20,})$/;

function electronInstalled(): boolean {
  try {
    const binary = createRequire(__filename)('electron') as unknown;
    return typeof binary === 'string' && existsSync(binary);
  } catch {
    return false;
  }
}

/** Runs a launcher until it prints its URL line, collecting stdout and stderr. */
function launch(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const child = spawn(cmd, args, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group: `npm run` and `npm start` leave the web host as a grandchild, and the
    // whole group must stop with the test (as Ctrl-C stops it in a terminal).
    detached: true,
  });
  let stdout = '';
  let stderr = '';
  const ready = new Promise<{ port: number; token: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL line within 120 s; stderr: ${stderr}`)), 120_000);
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      const m = URL_LINE.exec(stdout.split('\n')[0] ?? '');
      if (m && stdout.includes('\n')) {
        clearTimeout(timer);
        resolve({ port: Number(m[1]), token: m[2]! });
      }
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) =>
      reject(new Error(`exited with ${code} before printing its URL; stderr: ${stderr}`)),
    );
  });
  return { child, ready, output: () => ({ stdout, stderr }) };
}

async function stop(child: ChildProcess): Promise<void> {
  const group = -child.pid!;
  if (child.exitCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    process.kill(group, 'SIGTERM');
    await exited;
  }
  // The launcher has gone; wait for the rest of its group (the web host flushing its checkpoints).
  for (let i = 0; i < 100; i++) {
    try {
      process.kill(group, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  process.kill(group, 'SIGKILL');
  assert.fail('the web host did not stop within 10 s of SIGTERM');
}

describe('starting Ferry', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const d = mkdtempSync(path.join(os.tmpdir(), 'ferry-start-'));
    dirs.push(d);
    return d;
  };
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  test('`npm run web -- --port 0 --data-dir DIR --no-open` prints exactly one line and serves the seeded Local buckets', async () => {
    const dataDir = tempDir();
    const run = launch('npm', ['run', 'web', '--', '--port', '0', '--data-dir', dataDir, '--no-open']);
    try {
      const { port, token } = await run.ready;
      await new Promise((r) => setTimeout(r, 300)); // anything printed after the URL line would show up here
      assert.equal(run.output().stdout.trimEnd().split('\n').length, 1, `stdout: ${run.output().stdout}`);
      const page = await fetch(`http://127.0.0.1:${port}/?token=${token}`);
      assert.equal(page.status, 200);
      assert.match(await page.text(), /<div id="root">|<html/i);
      const reply = await fetch(`http://127.0.0.1:${port}/api/invoke?token=${token}`, {
        method: 'POST',
        body: JSON.stringify({ name: 'storage.listBuckets', arg: { profileId: 'local' } }),
      });
      const body = (await reply.json()) as { ok: boolean; result: { name: string }[] };
      assert.deepEqual(
        body.result.map((b) => b.name),
        ['sample-backup', 'sample-photos'],
      );
      assert.ok(readdirSync(path.join(dataDir, 'local')).includes('sample-photos'));
      const info = await fetch(`http://127.0.0.1:${port}/api/invoke?token=${token}`, {
        method: 'POST',
        body: JSON.stringify({ name: 'host.info' }),
      });
      assert.equal(((await info.json()) as { result: { kind: string } }).result.kind, 'web');
    } finally {
      await stop(run.child);
    }
  });

  test('FERRY_DATA_DIR chooses the data folder when --data-dir is absent', async () => {
    const dataDir = tempDir();
    const run = launch(process.execPath, ['dist/main/web.js', '--port', '0', '--no-open'], {
      FERRY_DATA_DIR: dataDir,
    });
    try {
      await run.ready;
      assert.ok(existsSync(path.join(dataDir, 'local', 'sample-photos')));
      assert.ok(existsSync(path.join(dataDir, 'logs', 'ferry.log')));
    } finally {
      await stop(run.child);
    }
  });

  test('`npm start` falls back to the web host with a one-line explanation when the Electron binary is missing', async (t) => {
    if (electronInstalled()) {
      t.skip(
        'the Electron binary is installed here, so npm start launches Electron (covered by test/e2e/electron.spec.ts)',
      );
      return;
    }
    const dataDir = tempDir();
    const run = launch('npm', ['start', '--', '--port', '0', '--data-dir', dataDir, '--no-open'], {
      FERRY_NO_ELECTRON_DOWNLOAD: '1',
    });
    try {
      await run.ready;
      const explanation = run
        .output()
        .stderr.split('\n')
        .filter((l) => /Electron binary is not installed/.test(l));
      assert.equal(explanation.length, 1, `stderr: ${run.output().stderr}`);
    } finally {
      await stop(run.child);
    }
  });
});
