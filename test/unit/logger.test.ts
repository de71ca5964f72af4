import assert from 'node:assert/strict';
import {
  chmodSync,
  existsSync,
  symlinkSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import type { LogLine } from '../../preload/shared/contract';
import { EventBus } from '../../main/core/events';
import { Logger } from '../../main/core/logger';

describe('Logger', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'ferry-log-'));
  });
  afterEach(() => {
    chmodSync(dir, 0o700);
    rmSync(dir, { recursive: true, force: true });
  });

  test('rotates when the file would pass maxBytes and keeps at most N old files', () => {
    const logger = new Logger({ dir, maxBytes: 1000, keep: 2 });
    for (let i = 0; i < 100; i++) logger.info(`line ${String(i).padStart(3, '0')} ${'x'.repeat(60)}`);
    const files = readdirSync(dir).sort();
    assert.deepEqual(files, ['ferry.log', 'ferry.log.1', 'ferry.log.2']);
    for (const f of files) assert.ok(statSync(path.join(dir, f)).size <= 1000, `${f} is over maxBytes`);
    // Newest lines in ferry.log, the ones before in .1, older in .2; the oldest are gone.
    const current = readFileSync(path.join(dir, 'ferry.log'), 'utf8');
    assert.match(current, /line 099/);
    const one = readFileSync(path.join(dir, 'ferry.log.1'), 'utf8');
    const two = readFileSync(path.join(dir, 'ferry.log.2'), 'utf8');
    const firstOf = (text: string) => Number(/line (\d+)/.exec(text)![1]);
    assert.ok(firstOf(two) < firstOf(one) && firstOf(one) < firstOf(current));
    assert.doesNotMatch(one + two + current, /line 000/);
  });

  test('continues counting from an existing file after a restart', () => {
    new Logger({ dir, maxBytes: 500, keep: 1 }).info('a'.repeat(400));
    new Logger({ dir, maxBytes: 500, keep: 1 }).info('b'.repeat(200));
    assert.match(readFileSync(path.join(dir, 'ferry.log.1'), 'utf8'), /a{400}/);
    assert.doesNotMatch(readFileSync(path.join(dir, 'ferry.log'), 'utf8'), /a{400}/);
  });

  test('redacts registered secrets in the file, the tail and the events', () => {
    const bus = new EventBus();
    const seen: LogLine[] = [];
    bus.subscribe((m) => {
      if (m.event === 'log.line') seen.push(m.payload);
    });
    const logger = new Logger({ dir, bus });
    logger.addSecret('s3cr3t-value-XYZ');
    logger.addSecret('tok');
    logger.addSecret(undefined);
    logger.error('signing failed with s3cr3t-value-XYZ and again s3cr3t-value-XYZ; tok stays');
    const file = readFileSync(path.join(dir, 'ferry.log'), 'utf8');
    assert.doesNotMatch(file, /s3cr3t-value-XYZ/);
    assert.match(file, /signing failed with \*\*\* and again \*\*\*; tok stays/);
    assert.equal(logger.recent(1)[0]!.message, 'signing failed with *** and again ***; tok stays');
    assert.equal(seen[0]!.message, 'signing failed with *** and again ***; tok stays');
    assert.equal(logger.redact('x s3cr3t-value-XYZ y'), 'x *** y');
  });

  test('redacts a secret percent-encoded as in a URL, and keys given in the environment', () => {
    const token = 'IQoJb3JpZ2luX2VjEB/abc+def==';
    const logger = new Logger({
      dir,
      env: { FERRY_SECRET_ACCESS_KEY: 'env-secret-key-123', FERRY_SESSION_TOKEN: 'env-token-456' },
    });
    logger.addSecret(token);
    logger.warn(`GET https://b.example/k?X-Amz-Security-Token=${encodeURIComponent(token)}&x=1 failed`);
    logger.warn('env keys env-secret-key-123 and env-token-456 leaked');
    const file = readFileSync(path.join(dir, 'ferry.log'), 'utf8');
    assert.ok(!file.includes(token) && !file.includes(encodeURIComponent(token)), file);
    assert.match(file, /X-Amz-Security-Token=\*\*\*&x=1 failed/);
    assert.match(file, /env keys \*\*\* and \*\*\* leaked/);
  });

  test('writes the log file readable by the owner only', { skip: process.platform === 'win32' }, () => {
    new Logger({ dir }).info('hello');
    assert.equal(statSync(path.join(dir, 'ferry.log')).mode & 0o777, 0o600);
  });

  test('a log folder that refuses writes does not throw and the in-memory tail keeps working', () => {
    // A regular file where the folder should be: every write fails (ENOTDIR), even for root, for
    // whom a read-only mode would not.
    const notADir = path.join(dir, 'not-a-folder');
    writeFileSync(notADir, 'x');
    const logger = new Logger({ dir: notADir, maxBytes: 200, keep: 2 });
    assert.doesNotThrow(() => {
      for (let i = 0; i < 20; i++) logger.warn(`still logging ${i} ${'y'.repeat(30)}`);
    });
    assert.equal(logger.recent(1)[0]!.message.startsWith('still logging 19'), true);
    assert.equal(readFileSync(notADir, 'utf8'), 'x');
  });

  test('a full disk (/dev/full) does not throw', { skip: !existsSync('/dev/full') }, () => {
    // The log file path points at /dev/full through a symlink: every append fails with ENOSPC.
    symlinkSync('/dev/full', path.join(dir, 'ferry.log'));
    const logger = new Logger({ dir, maxBytes: 10 * 1024 * 1024 });
    assert.doesNotThrow(() => logger.error('disk is full'));
    assert.equal(logger.recent(1)[0]!.message, 'disk is full');
  });

  test('keeps the tail bounded and returns the most recent lines', () => {
    const logger = new Logger({ dir, maxBytes: 50 * 1024 * 1024 });
    for (let i = 0; i < 5100; i++) logger.debug(`n${i}`);
    assert.equal(logger.recent(10000).length, 5000);
    assert.deepEqual(
      logger.recent(2).map((l) => l.message),
      ['n5098', 'n5099'],
    );
  });

  test('adds task and request ids to the line', () => {
    const logger = new Logger({ dir });
    logger.info('copied', { taskId: 't1', requestId: 'r-9' });
    assert.match(
      readFileSync(path.join(dir, 'ferry.log'), 'utf8'),
      /INFO {2}copied task=t1 request-id=r-9\n$/,
    );
  });

  test('a key with a line break, a terminal escape or a Unicode line separator cannot forge a log line', () => {
    const logger = new Logger({ dir });
    const forged = '2026-01-01T00:00:00.000Z INFO  task t1 done';
    const hostile = [
      `a\n${forged}`,
      `b\r\n${forged}`,
      `c\u2028${forged}`,
      `d\u2029${forged}`,
      `e\u0085${forged}`,
      `f\u001b[2K\u001b[1A${forged}`,
      `g\u202e${forged}`,
    ];
    for (const key of hostile)
      logger.warn(`copying "${key}"`, { requestId: `r\n${forged}`, taskId: `t\r${forged}` });
    const text = readFileSync(path.join(dir, 'ferry.log'), 'utf8');
    const lines = text.split('\n').slice(0, -1);
    assert.equal(lines.length, hostile.length, text);
    for (const line of lines) {
      assert.match(line, /^\d{4}-\d\d-\d\dT[\d:.]+Z WARN {2}copying "/);
      // eslint-disable-next-line no-control-regex
      assert.doesNotMatch(line, /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202e]/);
    }
    assert.ok(lines[0]!.includes(`copying "a\\n${forged}"`), lines[0]);
    assert.ok(lines[5]!.includes('\\u001b[2K\\u001b[1A'), lines[5]);
    assert.ok(lines[2]!.includes('\\u2028'), lines[2]);
    assert.match(lines[0]!, / task=t\\r2026.* request-id=r\\n2026/);
    // The log view and the log.line event get the same escaped text as the file.
    assert.equal(logger.recent(7)[0]!.message, `copying "a\\n${forged}"`);
  });
});
