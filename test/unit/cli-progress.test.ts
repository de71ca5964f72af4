import assert from 'node:assert/strict';
import { test } from 'node:test';
import { combineProgress, formatDuration, renderProgressLine } from '../../main/cli/progress';

const progress = (bytesDone: number, bytesTotal: number, rate = 0, etaSeconds: number | null = null) => ({
  id: 't',
  bytesDone,
  bytesTotal,
  rate,
  etaSeconds,
  partsDone: 0,
  partsTotal: 0,
  objectsDone: 0,
  objectsTotal: 1,
});

test('the progress line shows bytes, percent, rate and ETA', () => {
  const line = renderProgressLine(progress(512 * 1024, 1024 * 1024, 256 * 1024, 2), 100);
  assert.match(line, /^\[#+\.+\]/);
  assert.match(line, / 50% {2}512 KiB \/ 1\.0 MiB {2}256 KiB\/s {2}ETA 0:02$/);
  assert.ok(line.length < 100);
});

test('the progress line fits a narrow terminal by dropping the bar', () => {
  const line = renderProgressLine(progress(1, 4, 0, null), 30);
  assert.ok(line.length < 30);
  assert.doesNotMatch(line, /\[/);
});

test('progress of several tasks is summed and the ETA is the slowest', () => {
  const sum = combineProgress([progress(10, 100, 5, 3), progress(20, 50, 1, 30)]);
  assert.equal(sum.bytesDone, 30);
  assert.equal(sum.bytesTotal, 150);
  assert.equal(sum.rate, 6);
  assert.equal(sum.etaSeconds, 30);
  assert.equal(combineProgress([progress(1, 2, 0, null), progress(1, 2, 0, 5)]).etaSeconds, null);
});

test('durations read as m:ss or h:mm:ss', () => {
  assert.equal(formatDuration(5), '0:05');
  assert.equal(formatDuration(125), '2:05');
  assert.equal(formatDuration(3725), '1:02:05');
});
