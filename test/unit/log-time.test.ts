/** The log view's time column: local time, fixed width. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatLogTime } from '../../renderer/features/logs/log-time';

describe('log times', () => {
  it('shows the local time of a UTC line, to the millisecond', () => {
    const before = process.env.TZ;
    process.env.TZ = 'Asia/Shanghai';
    try {
      assert.equal(formatLogTime('2026-11-29T23:05:07.009Z'), '2026-11-30 07:05:07.009');
    } finally {
      if (before === undefined) delete process.env.TZ;
      else process.env.TZ = before;
    }
  });

  it('is always the same width, and leaves what it cannot read as it is', () => {
    for (const iso of ['2026-01-02T03:04:05.006Z', '2026-12-31T23:59:59.999Z'])
      assert.equal(formatLogTime(iso).length, 23);
    assert.equal(formatLogTime('not a time'), 'not a time');
  });
});
