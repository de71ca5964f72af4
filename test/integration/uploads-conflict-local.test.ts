/**
 * Desktop files meet existing names with the same policies as copies, decided in the main process:
 * overwrite, skip, skip-if-same (by content) and keep-both (`name (1).ext`).
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import type { ConflictPolicy } from '../../preload/shared/contract';
import { LocalStore } from '../../main/storage/local/local-store';
import { DesktopDropStaging } from '../../main/app/desktop-drops';

describe('desktop uploads onto existing names', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ferry-upload-conflict-'));
  const root = path.join(dir, 'local');
  mkdirSync(path.join(root, 'dst'), { recursive: true });
  const store = new LocalStore(root);
  const staging = new DesktopDropStaging(path.join(dir, 'uploads'), () => store);
  const file = (key: string) => path.join(root, 'dst', ...key.split('/'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  async function upload(key: string, body: string, conflict?: ConflictPolicy) {
    const bytes = Buffer.from(body);
    const id = await staging.begin({ profileId: 'local', bucket: 'dst', key, size: bytes.length, conflict });
    await staging.append(id, 0, bytes);
    return staging.finish(id);
  }

  test('overwrite (the default) replaces the existing object', async () => {
    writeFileSync(file('a.txt'), 'old');
    assert.deepEqual((await upload('a.txt', 'new')).skipped, false);
    assert.equal(readFileSync(file('a.txt'), 'utf8'), 'new');
  });

  test('skip leaves the existing object and says so', async () => {
    writeFileSync(file('b.txt'), 'keep me');
    const result = await upload('b.txt', 'dropped', 'skip');
    assert.equal(result.skipped, true);
    assert.equal(readFileSync(file('b.txt'), 'utf8'), 'keep me');
    assert.equal((await upload('b-new.txt', 'fresh', 'skip')).skipped, false);
    assert.equal(readFileSync(file('b-new.txt'), 'utf8'), 'fresh');
  });

  test('skip-if-same skips identical bytes and replaces different ones of the same size', async () => {
    writeFileSync(file('c.txt'), 'same bytes');
    writeFileSync(file('d.txt'), 'old bytes!');
    assert.equal((await upload('c.txt', 'same bytes', 'skip-if-same')).skipped, true);
    assert.equal((await upload('d.txt', 'new bytes!', 'skip-if-same')).skipped, false);
    assert.equal(readFileSync(file('d.txt'), 'utf8'), 'new bytes!');
  });

  test('keep-both writes the first free numbered name and leaves the original', async () => {
    writeFileSync(file('e.txt'), 'first');
    writeFileSync(file('e (1).txt'), 'second');
    const result = await upload('e.txt', 'third', 'keep-both');
    assert.equal(result.key, 'e (2).txt');
    assert.equal(readFileSync(file('e.txt'), 'utf8'), 'first');
    assert.equal(readFileSync(file('e (2).txt'), 'utf8'), 'third');
  });
});
