/**
 * Keep-both across tasks: two tasks copying the same file into the same folder at once must end up
 * with two copies, not one name written twice (main/copy/claims.ts).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { DestinationClaims } from '../../main/copy/claims';
import { EventBus } from '../../main/core/events';
import { DEFAULT_SETTINGS } from '../../main/core/settings';
import { LocalStore } from '../../main/storage/local/local-store';
import type { ObjectStore } from '../../main/storage/provider';
import { CopyEngine } from '../../main/tasks/copy-engine';

describe('destination claims', () => {
  it('a key belongs to the first task that claims it until that task is released', () => {
    const claims = new DestinationClaims();
    assert.equal(claims.claim('t1', 'p', 'b', 'a.txt'), true);
    assert.equal(claims.claim('t1', 'p', 'b', 'a.txt'), true, 'claiming again is harmless');
    assert.equal(claims.claim('t2', 'p', 'b', 'a.txt'), false);
    assert.equal(claims.takenByOther('t2', 'p', 'b', 'a.txt'), true);
    assert.equal(claims.takenByOther('t1', 'p', 'b', 'a.txt'), false);
    assert.equal(claims.takenByOther('t2', 'p', 'other', 'a.txt'), false, 'per bucket');
    assert.equal(claims.takenByOther('t2', 'q', 'b', 'a.txt'), false, 'per account');
    claims.release('t1');
    assert.equal(claims.claim('t2', 'p', 'b', 'a.txt'), true);
    claims.release('t2');
    assert.equal(claims.size, 0);
  });
});

describe('keep-both across tasks', () => {
  it('two tasks copying the same file into one folder at once write "x.bin" and "x (1).bin"', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ferry-claims-'));
    const root = path.join(dataDir, 'local');
    const local = new LocalStore(root);
    await fs.mkdir(path.join(root, 'bkt'), { recursive: true });
    await local.putObject('bkt', 'src/x.bin', Buffer.from('the only x'), 10, { metadata: { userMeta: {} } });
    // The first copy is held until the second task has chosen its name.
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    let held: () => void = () => undefined;
    const holding = new Promise<void>((r) => (held = r));
    let copies = 0;
    const store = new Proxy(local, {
      get(target, prop) {
        const value = Reflect.get(target, prop, target) as unknown;
        if (typeof value !== 'function') return value;
        if (prop !== 'copyObject') return (value as (...a: unknown[]) => unknown).bind(target);
        return async (...args: unknown[]) => {
          if (copies++ === 0) {
            held();
            await gate;
          }
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    }) as unknown as ObjectStore;
    const engine = new CopyEngine({
      layout: { checkpoints: path.join(dataDir, 'checkpoints') },
      stores: { storeFor: () => store },
      settings: { get: () => DEFAULT_SETTINGS },
      bus: new EventBus(),
      logger: { debug() {}, info() {}, warn() {}, error() {}, redact: (s: string) => s },
    });
    const copy = () =>
      engine.copy(
        [{ profileId: 'p', bucket: 'bkt', key: 'src/x.bin', isFolder: false }],
        { profileId: 'p', bucket: 'bkt', prefix: 'dst/' },
        { metadataDirective: 'COPY', conflict: 'keep-both' },
      );
    const [first] = await copy();
    await holding; // the first task has claimed dst/x.bin and is writing it
    const [second] = await copy();
    const b = await engine.waitFor(second!);
    release();
    const a = await engine.waitFor(first!);
    await engine.close();
    assert.equal(a.state, 'done', JSON.stringify(a.error));
    assert.equal(b.state, 'done', JSON.stringify(b.error));
    assert.equal(readFileSync(path.join(root, 'bkt', 'dst', 'x.bin'), 'utf8'), 'the only x');
    assert.equal(readFileSync(path.join(root, 'bkt', 'dst', 'x (1).bin'), 'utf8'), 'the only x');
  });
});
