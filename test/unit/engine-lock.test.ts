import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { acquireEngineLock } from '../../main/tasks/engine-lock';

describe('the task engine lock of a data folder', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ferry-lock-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  let n = 0;
  const file = () => path.join(dir, `engine-${n++}.lock`);

  test('is taken and released, naming its owner', () => {
    const f = file();
    const lock = acquireEngineLock(f, 'web');
    const owner = JSON.parse(readFileSync(f, 'utf8')) as { pid: number; kind: string };
    assert.equal(owner.pid, process.pid);
    assert.equal(owner.kind, 'web');
    lock.release();
    assert.equal(existsSync(f), false);
  });

  test('refuses a second engine while the owner process lives, with a message naming it', () => {
    const f = file();
    // The parent of this test process is alive and is not us: it stands for another Ferry.
    writeFileSync(
      f,
      JSON.stringify({ pid: process.ppid, host: os.hostname(), kind: 'electron', since: 'then' }),
    );
    assert.throws(
      () => acquireEngineLock(f, 'cli'),
      (err: Error & { code?: string }) =>
        err.code === 'DataFolderInUse' &&
        err.message.includes(`process ${process.ppid}`) &&
        err.message.includes('electron'),
    );
    assert.equal(
      (JSON.parse(readFileSync(f, 'utf8')) as { pid: number }).pid,
      process.ppid,
      'the owner keeps its lock',
    );
  });

  test('takes over a lock left by a process that was killed', () => {
    const f = file();
    const dead = spawnSync(process.execPath, [
      '-e',
      'process.stdout.write(String(process.pid))',
    ]).stdout.toString();
    writeFileSync(f, JSON.stringify({ pid: Number(dead), host: os.hostname(), kind: 'cli', since: 'then' }));
    const lock = acquireEngineLock(f, 'web');
    assert.equal((JSON.parse(readFileSync(f, 'utf8')) as { pid: number }).pid, process.pid);
    lock.release();
  });

  test('takes over a damaged lock file, and release leaves a lock it no longer owns alone', () => {
    const f = file();
    writeFileSync(f, '{"pid":');
    const lock = acquireEngineLock(f, 'web');
    writeFileSync(f, JSON.stringify({ pid: process.ppid, host: os.hostname(), kind: 'cli', since: 'now' }));
    lock.release();
    assert.equal(existsSync(f), true);
  });
});
