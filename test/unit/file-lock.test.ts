import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { FileLockTimeout, withFileLock } from '../../main/core/file-lock';

const dir = mkdtempSync(path.join(os.tmpdir(), 'ferry-lock-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('the file lock around read-modify-writes of profiles, secrets and settings', () => {
  test('runs read-modify-writes of one process one at a time', async () => {
    const file = path.join(dir, 'counter.json');
    writeFileSync(file, '0');
    const { readFile, writeFile } = await import('node:fs/promises');
    await Promise.all(
      Array.from({ length: 30 }, () =>
        withFileLock(file, async () => {
          const n = Number(await readFile(file, 'utf8'));
          await new Promise((r) => setTimeout(r, 1));
          await writeFile(file, String(n + 1));
        }),
      ),
    );
    assert.equal(Number(await readFile(file, 'utf8')), 30);
    assert.equal(existsSync(`${file}.lock`), false, 'the lock is gone once released');
  });

  test('takes over a lock left by a process that no longer exists', async () => {
    const file = path.join(dir, 'dead-owner.json');
    // A pid far above any live one on this machine, on this host: its process is gone.
    writeFileSync(
      `${file}.lock`,
      JSON.stringify({ pid: 2 ** 22 + 12345, host: os.hostname(), nonce: 'x', at: 0 }),
    );
    const started = Date.now();
    assert.equal(await withFileLock(file, async () => 'ran', { timeoutMs: 2000 }), 'ran');
    assert.ok(Date.now() - started < 1500);
    assert.equal(existsSync(`${file}.lock`), false);
  });

  test('takes over a lock older than the stale limit, whoever holds it', async () => {
    const file = path.join(dir, 'old.json');
    writeFileSync(
      `${file}.lock`,
      JSON.stringify({ pid: process.ppid, host: 'elsewhere', nonce: 'y', at: 0 }),
    );
    const old = new Date(Date.now() - 60_000);
    utimesSync(`${file}.lock`, old, old);
    assert.equal(await withFileLock(file, async () => 'ran', { timeoutMs: 2000, staleMs: 30_000 }), 'ran');
  });

  test('waits for a live holder and gives up with a clear error after the timeout', async () => {
    const file = path.join(dir, 'held.json');
    writeFileSync(
      `${file}.lock`,
      JSON.stringify({ pid: process.ppid, host: os.hostname(), nonce: 'z', at: Date.now() }),
    );
    await assert.rejects(
      withFileLock(file, async () => 'ran', { timeoutMs: 300 }),
      (err: Error) => err instanceof FileLockTimeout && err.message.includes(`process ${process.ppid}`),
    );
    assert.equal(existsSync(`${file}.lock`), true, "a live holder's lock is left alone");
  });
});
