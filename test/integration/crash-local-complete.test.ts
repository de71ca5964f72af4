/**
 * A kill during a Local multipart Complete: the Complete joins the parts into one temp file the size
 * of the object, and a SIGKILL of Ferry's own node process (the CLI run from source, no wrapper) in
 * the middle left that file in `.ferry/tmp` forever. The next Ferry that holds the engine lock sweeps
 * it; a `ferry ls` (which never takes the lock) leaves it alone; the resumed copy is byte-identical.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';

const root = path.resolve(__dirname, '..', '..');
const CLI_ENTRY = path.join(root, 'main', 'cli', 'index.ts');
const MiB = 1024 * 1024;
const RUN_TIMEOUT_MS = 120_000;

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs `ferry ARGS`; `killWhen` is polled every 2 ms and SIGKILLs the child the first time it is true. */
async function ferry(dataDir: string, args: string[], killWhen?: () => boolean): Promise<Run> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('FERRY_')));
  const child = spawn(process.execPath, ['--import', 'tsx', CLI_ENTRY, '--data-dir', dataDir, ...args], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), RUN_TIMEOUT_MS);
  const poll = killWhen
    ? setInterval(() => {
        if (killWhen()) {
          clearInterval(poll);
          child.kill('SIGKILL');
        }
      }, 2)
    : undefined;
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    child.on('close', (c, s) => resolve([c, s])),
  );
  clearTimeout(timer);
  clearInterval(poll);
  return { code, signal, stdout, stderr };
}

const filesIn = (dir: string) => {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
};

describe('a kill during a Local multipart Complete', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ferry-crash-local-'));
  const local = path.join(dataDir, 'local');
  const tmpDir = path.join(local, '.ferry', 'tmp');
  const uploadsDir = path.join(local, '.ferry', 'uploads');
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  test('SIGKILL during a Local Complete leaves no temp file after the next start, and the resumed object is right', async () => {
    const big = randomBytes(192 * MiB);
    const digest = createHash('sha256').update(big).digest('hex');
    mkdirSync(path.join(local, 'crash-src'), { recursive: true });
    mkdirSync(path.join(local, 'crash-dst'), { recursive: true });
    writeFileSync(path.join(local, 'crash-src', 'big.bin'), big);

    // Killed once the Complete's temp file (the only writer of .ferry/tmp in this run) has grown.
    let leftover = '';
    const killed = await ferry(
      dataDir,
      [
        'cp',
        '--multipart-threshold',
        '16MiB',
        '--part-size',
        '16MiB',
        'local:crash-src/big.bin',
        'local:crash-dst/',
      ],
      () => {
        for (const name of filesIn(tmpDir)) {
          try {
            if (statSync(path.join(tmpDir, name)).size >= 16 * MiB) {
              leftover = name;
              return true;
            }
          } catch {
            // renamed into place meanwhile
          }
        }
        return false;
      },
    );
    assert.equal(
      killed.signal,
      'SIGKILL',
      `the copy ended before the kill: ${killed.stdout}${killed.stderr}`,
    );
    assert.ok(leftover, 'killed during the Complete');
    assert.ok(filesIn(tmpDir).includes(leftover), 'the kill left the Complete temp file behind');
    assert.ok(statSync(path.join(tmpDir, leftover)).size >= 16 * MiB);

    // A command that does not take the engine lock never sweeps (it could be another process's file).
    const ls = await ferry(dataDir, ['ls', 'local:crash-dst/']);
    assert.equal(ls.code, 0, ls.stderr);
    assert.ok(filesIn(tmpDir).includes(leftover), '`ferry ls` removed a temp file it does not own');

    const resumed = await ferry(dataDir, ['resume']);
    assert.equal(resumed.code, 0, `${resumed.stdout}${resumed.stderr}`);
    assert.deepEqual(filesIn(tmpDir), [], 'a temp file is left in .ferry/tmp');
    for (const id of filesIn(uploadsDir))
      assert.deepEqual(
        filesIn(path.join(uploadsDir, id)).filter((n) => n.endsWith('.tmp')),
        [],
        `a part temp file is left in upload ${id}`,
      );
    assert.deepEqual(filesIn(uploadsDir), [], 'the resumed copy completed its upload');
    const copied = readFileSync(path.join(local, 'crash-dst', 'big.bin'));
    assert.equal(copied.length, big.length);
    assert.equal(createHash('sha256').update(copied).digest('hex'), digest);
    const log = readFileSync(path.join(dataDir, 'logs', 'ferry.log'), 'utf8');
    assert.match(log, /removed 1 temp file\(s\) left by an interrupted run: \.ferry\/tmp\//);
  });
});
