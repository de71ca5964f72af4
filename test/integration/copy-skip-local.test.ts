/**
 * skip-if-same on the Local provider, whose files were written by someone else than Ferry (their
 * tags derive from size and time, so only their bytes can show they are the same).
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { appServiceOptions, createApp, type App } from '../../main/app/wiring';

describe('skip-if-same on Local files Ferry did not write', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ferry-skip-'));
  let services: App;
  const file = (bucket: string, key: string) => path.join(dataDir, 'local', bucket, ...key.split('/'));
  const put = (bucket: string, key: string, body: string, mtime: number) => {
    mkdirSync(path.dirname(file(bucket, key)), { recursive: true });
    writeFileSync(file(bucket, key), body);
    utimesSync(file(bucket, key), mtime, mtime);
  };

  before(async () => {
    // Same bytes, other times: "same" must come from the content. Same size, other bytes: must copy.
    put('src', 'set/same.txt', 'identical bytes', 1_600_000_000);
    put('dst', 'set/same.txt', 'identical bytes', 1_700_000_000);
    put('src', 'set/differs.txt', 'version two....', 1_600_000_000);
    put('dst', 'set/differs.txt', 'version one....', 1_700_000_000);
    services = createApp(appServiceOptions(dataDir, 'cli'));
    await services.tasks.start({ autoResume: false });
  });
  after(async () => {
    await services.tasks.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('an identical file is left alone and a same-sized different one is copied', async () => {
    const sameBefore = statSync(file('dst', 'set/same.txt')).mtimeMs;
    const [id] = await services.tasks.copy(
      [{ profileId: 'local', bucket: 'src', key: 'set/', isFolder: true }],
      { profileId: 'local', bucket: 'dst', prefix: '' },
      { metadataDirective: 'COPY', conflict: 'skip-if-same' },
    );
    const done = await services.tasks.waitFor(id!);
    assert.equal(done.state, 'done', JSON.stringify(done.error));
    assert.equal(
      statSync(file('dst', 'set/same.txt')).mtimeMs,
      sameBefore,
      'the identical file was rewritten',
    );
    assert.equal(readFileSync(file('dst', 'set/differs.txt'), 'utf8'), 'version two....');
    const log = readFileSync(path.join(dataDir, 'logs', 'ferry.log'), 'utf8');
    assert.match(log, /skipped "set\/same\.txt"/);
    assert.doesNotMatch(log, /skipped "set\/differs\.txt"/);
  });

  test('skip leaves every existing file alone, different or not, and copies the new ones', async () => {
    put('src', 'more/new.txt', 'only in the source', 1_600_000_000);
    put('src', 'more/old.txt', 'the source version', 1_600_000_000);
    put('dst', 'more/old.txt', 'kept as it is', 1_700_000_000);
    const [id] = await services.tasks.copy(
      [{ profileId: 'local', bucket: 'src', key: 'more/', isFolder: true }],
      { profileId: 'local', bucket: 'dst', prefix: '' },
      { metadataDirective: 'COPY', conflict: 'skip' },
    );
    const done = await services.tasks.waitFor(id!);
    assert.equal(done.state, 'done', JSON.stringify(done.error));
    assert.equal(readFileSync(file('dst', 'more/old.txt'), 'utf8'), 'kept as it is');
    assert.equal(readFileSync(file('dst', 'more/new.txt'), 'utf8'), 'only in the source');
    const log = readFileSync(path.join(dataDir, 'logs', 'ferry.log'), 'utf8');
    assert.match(log, /skipped "more\/old\.txt": the destination already exists/);
  });
});
