/**
 * Log forging: keys holding a line break, a carriage return, a Unicode line separator or an ANSI
 * escape are copied for real (multipart, so the engine logs each key), and ferry.log is read back:
 * every line is one of Ferry's own, starting with its time stamp, and no control character reaches it.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { appServiceOptions, createApp, type App } from '../../main/app/wiring';

const FORGED = '2026-01-01T00:00:00.000Z INFO  task tforged done';
const KEYS = [
  `nl-x\n${FORGED}`,
  `cr-\r\n${FORGED}`,
  `ls-\u2028${FORGED}`,
  `ansi-\u001b[1A\u001b[2K${FORGED}`,
];

describe('log forging through a real Local copy', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ferry-logforge-'));
  let services: App;

  before(async () => {
    for (const key of KEYS) {
      mkdirSync(path.join(dataDir, 'local', 'forge-src', 'in'), { recursive: true });
      writeFileSync(path.join(dataDir, 'local', 'forge-src', 'in', key), Buffer.alloc(3000, 7));
    }
    mkdirSync(path.join(dataDir, 'local', 'forge-dst'), { recursive: true });
    services = createApp(appServiceOptions(dataDir, 'cli'));
    await services.tasks.start({ autoResume: false });
  });
  after(async () => {
    await services.tasks.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('keys with line breaks and terminal escapes copied in parts write no forged line into ferry.log', async () => {
    const [id] = await services.tasks.copy(
      [{ profileId: 'local', bucket: 'forge-src', key: 'in/', isFolder: true }],
      { profileId: 'local', bucket: 'forge-dst', prefix: '' },
      { metadataDirective: 'COPY', conflict: 'overwrite', multipartThreshold: 1024, partSize: 1024 },
    );
    const done = await services.tasks.waitFor(id!);
    assert.equal(done.state, 'done', JSON.stringify(done.error));
    for (const key of KEYS)
      assert.equal(readFileSync(path.join(dataDir, 'local', 'forge-dst', 'in', key)).length, 3000);

    const log = readFileSync(path.join(dataDir, 'logs', 'ferry.log'), 'utf8');
    const lines = log.split('\n').slice(0, -1);
    // The copy logged each key (completing its upload), escaped.
    assert.ok(log.includes(`in/nl-x\\n${FORGED}`), log);
    assert.ok(log.includes('\\u001b[1A\\u001b[2K'), log);
    assert.ok(log.includes('\\u2028'), log);
    for (const line of lines) {
      assert.match(
        line,
        /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (DEBUG|INFO |WARN |ERROR) /,
        `forged: ${line}`,
      );
      assert.ok(!line.startsWith(FORGED), `forged line: ${line}`);
      // eslint-disable-next-line no-control-regex
      assert.doesNotMatch(line, /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/, `control character in: ${line}`);
    }
  });
});
