/**
 * `--host` and `--allow-remote` on the built web host: loopback unless the user names the address
 * browsers on the network will use, and then told plainly what protects it.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { spawnWebHost } from '../support/web-host';

const webJs = path.join(__dirname, '..', '..', 'dist', 'main', 'web.js');

function status(address: string, port: number, host: string, token: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: address,
        port,
        path: '/api/invoke',
        method: 'POST',
        agent: false,
        headers: { Host: host, Authorization: `Bearer ${token}` },
        timeout: 10_000,
      },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('timeout', () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    req.end(JSON.stringify({ name: 'host.info' }));
  });
}

describe('web host --host', () => {
  test('refuses --host 0.0.0.0 without --allow-remote, says why, and opens nothing', () => {
    for (const host of ['0.0.0.0', '::', 'example.lan']) {
      const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ferry-bind-'));
      try {
        const r = spawnSync(
          process.execPath,
          [webJs, '--host', host, '--port', '0', '--no-open', '--data-dir', dataDir],
          {
            encoding: 'utf8',
            timeout: 20_000,
          },
        );
        assert.equal(r.status, 1, r.stderr);
        assert.equal(r.stdout, '', 'no URL printed');
        assert.match(r.stderr, /clear HTTP/);
        assert.match(r.stderr, /--allow-remote HOST\[:PORT\]/);
        assert.equal(existsSync(path.join(dataDir, 'checkpoints')), false, 'the data folder was not opened');
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    }
  });

  test('treats --host localhost as loopback: no warning, and it answers', async () => {
    const web = await spawnWebHost(20_000, { args: ['--host', 'localhost'] });
    try {
      assert.match(web.url, /^http:\/\/localhost:\d+\/\?token=/);
      assert.doesNotMatch(web.stderr(), /Warning/);
      const port = Number(new URL(web.url).port);
      assert.equal(await status('127.0.0.1', port, `localhost:${port}`, web.token), 200);
    } finally {
      await web.close();
    }
  });

  test('with --allow-remote, warns over what it runs and admits the named Host only', async () => {
    const web = await spawnWebHost(20_000, {
      args: ['--host', '0.0.0.0', '--allow-remote', 'ferry-test.lan'],
    });
    try {
      const port = Number(new URL(web.url).port);
      assert.equal(web.url, `http://ferry-test.lan:${port}/?token=${web.token}`);
      assert.match(web.stderr(), /Warning: .*clear HTTP.*the token in the URL is the only protection/);
      assert.equal(await status('127.0.0.1', port, `ferry-test.lan:${port}`, web.token), 200);
      assert.equal(await status('127.0.0.1', port, `other.lan:${port}`, web.token), 403);
      assert.equal(await status('127.0.0.1', port, `0.0.0.0:${port}`, web.token), 403);
      assert.equal(await status('127.0.0.1', port, `ferry-test.lan:${port}`, 'wrong-token'), 401);
      const lan = Object.values(os.networkInterfaces())
        .flat()
        .find((a) => a && !a.internal && a.family === 'IPv4');
      if (lan) assert.equal(await status(lan.address, port, `ferry-test.lan:${port}`, web.token), 200);
    } finally {
      await web.close();
    }
  });
});
