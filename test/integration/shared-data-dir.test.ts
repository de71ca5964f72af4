/**
 * The web host and `ferry` commands on one data folder at once, as a user runs them: the CLI adding
 * accounts while the app saves its own, and CLI commands while the app is receiving a desktop drop.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import path from 'node:path';
import { describe, test } from 'node:test';
import { EncryptedFileSecretStore } from '../../main/accounts/secrets';
import { spawnWebHost, type SpawnedWebHost } from '../support/web-host';

const root = path.resolve(__dirname, '..', '..');
const cli = path.join(root, 'dist', 'main', 'cli.js');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], timeoutMs = 60_000): Promise<Run> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('FERRY_')));
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const ferry = (dataDir: string, args: string[]) => run([cli, '--data-dir', dataDir, ...args]);

/** POST /api/invoke on a fresh connection, with a timeout. */
function invoke<T = unknown>(
  web: SpawnedWebHost,
  name: string,
  arg?: unknown,
): Promise<{ ok: boolean; result: T; error?: { code: string; message: string } }> {
  const body = JSON.stringify({ name, arg });
  const url = new URL(web.origin);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: '/api/invoke',
        method: 'POST',
        agent: false,
        headers: { Authorization: `Bearer ${web.token}`, 'Content-Type': 'application/json' },
        timeout: 30_000,
      },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve(JSON.parse(text) as never));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${name} timed out`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** Runs `jobs` with at most `limit` at once. */
async function bounded(limit: number, jobs: (() => Promise<void>)[]): Promise<void> {
  const queue = [...jobs];
  await Promise.all(
    Array.from({ length: limit }, async () => {
      for (let job = queue.shift(); job; job = queue.shift()) await job();
    }),
  );
}

describe('the app and the CLI on one data folder', () => {
  test('20 accounts added by the CLI while the web host adds 20 over its contract: all 40 kept, each with its keys', async () => {
    const web = await spawnWebHost();
    try {
      const n = 20;
      const fromCli = Array.from({ length: n }, (_, i) => async () => {
        const r = await ferry(web.dataDir, [
          'profile',
          'add',
          `cli-${i}`,
          '--provider',
          's3',
          '--endpoint',
          'http://127.0.0.1:9',
          '--region',
          'us-east-1',
          '--path-style',
          '--access-key-id',
          `AKCLI${i}`,
          '--secret-access-key',
          `secret-cli-${i}`,
        ]);
        assert.equal(r.code, 0, r.stderr);
      });
      const fromApp = Array.from({ length: n }, (_, i) => async () => {
        const reply = await invoke(web, 'profiles.save', {
          name: `web-${i}`,
          provider: 's3',
          endpoint: 'http://127.0.0.1:9',
          region: 'us-east-1',
          pathStyle: true,
          accessKeyId: `AKWEB${i}`,
          secretAccessKey: `secret-web-${i}`,
        });
        assert.equal(reply.ok, true, JSON.stringify(reply.error));
      });
      await Promise.all([bounded(3, fromCli), bounded(2, fromApp)]);

      const expected = [
        ...Array.from({ length: n }, (_, i) => `cli-${i}`),
        ...Array.from({ length: n }, (_, i) => `web-${i}`),
      ].sort();
      const stored = (
        JSON.parse(readFileSync(path.join(web.dataDir, 'profiles.json'), 'utf8')) as { id: string }[]
      )
        .map((p) => p.id)
        .sort();
      assert.deepEqual(stored, expected, 'profiles.json keeps every account');
      const seenByApp = await invoke<{ id: string }[]>(web, 'profiles.list');
      assert.deepEqual(
        seenByApp.result
          .map((p) => p.id)
          .filter((id) => id !== 'local' && id !== 'computer') // the built-in ones
          .sort(),
        expected,
        'the running app sees the accounts the CLI added',
      );
      const listed = await ferry(web.dataDir, ['profile', 'list']);
      assert.equal(listed.code, 0, listed.stderr);
      for (const id of expected) assert.match(listed.stdout, new RegExp(`^${id}\\t`, 'm'));

      const secrets = new EncryptedFileSecretStore(path.join(web.dataDir, 'secrets'));
      for (const id of expected) {
        const [who, i] = id.split('-');
        assert.equal(secrets.get(id)?.secretAccessKey, `secret-${who}-${i}`, `keys of ${id}`);
      }
    } finally {
      await web.close();
    }
  });

  test('settings changed by two processes at once keep both changes', async () => {
    const web = await spawnWebHost();
    try {
      const other = run([
        '--import',
        'tsx',
        path.join(root, 'test', 'support', 'set-settings.ts'),
        path.join(web.dataDir, 'settings.json'),
        'partsInFlight',
        '1',
        '20',
      ]);
      for (let i = 1; i <= 20; i++) {
        const reply = await invoke(web, 'settings.set', { objectsInFlight: i });
        assert.equal(reply.ok, true, JSON.stringify(reply.error));
      }
      const done = await other;
      assert.equal(done.code, 0, done.stderr);
      const stored = JSON.parse(readFileSync(path.join(web.dataDir, 'settings.json'), 'utf8')) as {
        objectsInFlight: number;
        partsInFlight: number;
      };
      assert.equal(stored.objectsInFlight, 20, "the app's last change is kept");
      assert.equal(stored.partsInFlight, 20, "the other process's last change is kept");
      // One more change by the app keeps what the other process saved.
      await invoke(web, 'settings.set', { theme: 'dark' });
      const after = await invoke<{ partsInFlight: number; theme: string }>(web, 'settings.get');
      assert.equal(after.result.partsInFlight, 20);
      assert.equal(after.result.theme, 'dark');
    } finally {
      await web.close();
    }
  });

  test('ferry ls and ferry tasks leave the upload the web host is receiving in place', async () => {
    const web = await spawnWebHost();
    try {
      const body = Buffer.from('dropped from the desktop, in two chunks');
      const half = 16;
      const begun = await invoke<{ uploadId: string }>(web, 'uploads.begin', {
        profileId: 'local',
        bucket: 'sample-photos',
        key: 'dropped/staged.txt',
        size: body.length,
      });
      assert.equal(begun.ok, true, JSON.stringify(begun.error));
      const { uploadId } = begun.result;
      const first = await invoke(web, 'uploads.append', {
        uploadId,
        offset: 0,
        data: body.subarray(0, half).toString('base64'),
      });
      assert.equal(first.ok, true, JSON.stringify(first.error));
      const staged = path.join(web.dataDir, 'uploads', uploadId);
      assert.equal(existsSync(staged), true, 'control: the staging file exists');

      for (const args of [['ls', 'local:'], ['ls', 'local:sample-photos/'], ['tasks']]) {
        const r = await ferry(web.dataDir, args);
        assert.equal(r.code, 0, `ferry ${args.join(' ')}: ${r.stderr}`);
        assert.equal(existsSync(staged), true, `ferry ${args.join(' ')} deleted the app's staged upload`);
      }

      const rest = await invoke(web, 'uploads.append', {
        uploadId,
        offset: half,
        data: body.subarray(half).toString('base64'),
      });
      assert.equal(rest.ok, true, JSON.stringify(rest.error));
      const finished = await invoke(web, 'uploads.finish', { uploadId });
      assert.equal(finished.ok, true, JSON.stringify(finished.error));
      const landed = path.join(web.dataDir, 'local', 'sample-photos', 'dropped', 'staged.txt');
      assert.deepEqual(readFileSync(landed), body);
    } finally {
      await web.close();
    }
  });
});
