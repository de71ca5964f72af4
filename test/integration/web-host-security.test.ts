import assert from 'node:assert/strict';
import { request } from 'node:http';
import { connect } from 'node:net';
import os from 'node:os';
import { after, before, describe, test } from 'node:test';
import { WebSocket } from 'ws';
import { startTestWebHost, type TestWebHost } from '../support/web-host';

interface RawReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** node:http rather than fetch: fetch refuses to set Host, which the DNS-rebinding tests need. */
function raw(
  port: number,
  options: { path?: string; method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: options.path ?? '/',
        method: options.method ?? 'GET',
        headers: options.headers,
        timeout: 10_000,
      },
      (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Resolves with the HTTP status of a refused upgrade, or 101 when the socket opened. */
function upgradeStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers, handshakeTimeout: 10_000 });
    ws.on('open', () => {
      ws.close();
      resolve(101);
    });
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.on('error', (err) => reject(err));
  });
}

function wsInvoke(
  ws: WebSocket,
  frame: string,
): Promise<{ id: unknown; reply: { ok: boolean; error?: { code: string } } }> {
  return new Promise((resolve) => {
    const onMessage = (data: Buffer) => {
      const msg = JSON.parse(data.toString()) as { type: string; id: unknown; reply: never };
      if (msg.type !== 'reply') return;
      ws.off('message', onMessage);
      resolve(msg);
    };
    ws.on('message', onMessage);
    ws.send(frame);
  });
}

function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 3000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

function openSocket(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { handshakeTimeout: 10_000 });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

describe('loopback web host security', () => {
  let web: TestWebHost;
  let port: number;
  let token: string;

  before(async () => {
    web = await startTestWebHost();
    port = web.host.port;
    token = web.host.token;
  });
  after(async () => {
    await web.close();
  });

  const invokeBody = JSON.stringify({ name: 'host.info' });

  test('refuses an HTTP request without the token with 401', async () => {
    const res = await raw(port, { path: '/api/invoke', method: 'POST', body: invokeBody });
    assert.equal(res.status, 401);
    assert.equal((JSON.parse(res.body) as { error: { code: string } }).error.code, 'Unauthorized');
  });

  test('refuses a wrong token with 401, in the query or a bearer header', async () => {
    const wrong = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
    const variants: { path: string; headers?: Record<string, string> }[] = [
      { path: `/api/invoke?token=${wrong}` },
      { path: '/api/invoke', headers: { Authorization: `Bearer ${wrong}` } },
      { path: `/api/invoke?token=${token}x` },
    ];
    for (const variant of variants) {
      const res = await raw(port, { ...variant, method: 'POST', body: invokeBody });
      assert.equal(res.status, 401, JSON.stringify(variant));
    }
  });

  test('accepts the token from the query and a bearer header', async () => {
    const variants: { path: string; headers?: Record<string, string> }[] = [
      { path: `/api/invoke?token=${token}` },
      { path: '/api/invoke', headers: { Authorization: `Bearer ${token}` } },
    ];
    for (const variant of variants) {
      const res = await raw(port, { ...variant, method: 'POST', body: invokeBody });
      assert.equal(res.status, 200, JSON.stringify(variant));
      const reply = JSON.parse(res.body) as { ok: boolean; result: { kind: string } };
      assert.equal(reply.ok, true);
      assert.equal(reply.result.kind, 'web');
    }
  });

  test('never sets a cookie and takes no token from one: cookies for 127.0.0.1 reach every port', async () => {
    for (const path of [`/?token=${token}`, '/', '/index.html']) {
      const res = await raw(port, { path });
      assert.equal(res.headers['set-cookie'], undefined, path);
    }
    const api = await raw(port, {
      path: '/api/invoke',
      method: 'POST',
      headers: { Cookie: `ferry_token=${token}; token=${token}` },
      body: invokeBody,
    });
    assert.equal(api.status, 401);
  });

  test('serves the page without the token, and the page holds no secret', async () => {
    const page = await raw(port, { path: '/' });
    assert.equal(page.status, 200);
    assert.match(page.body, /<html/i);
    assert.equal(page.body.includes(token), false);
    const withToken = await raw(port, { path: `/?token=${token}` });
    assert.equal(withToken.body.includes(token), false, 'the page does not echo the token');
  });

  test('refuses a foreign Origin with 403 even with the right token', async () => {
    for (const origin of [
      'https://evil.example',
      `http://evil.example:${port}`,
      'null',
      `https://127.0.0.1:${port}`,
    ]) {
      const res = await raw(port, {
        path: `/api/invoke?token=${token}`,
        method: 'POST',
        headers: { Origin: origin },
        body: invokeBody,
      });
      assert.equal(res.status, 403, origin);
    }
    const same = await raw(port, {
      path: `/api/invoke?token=${token}`,
      method: 'POST',
      headers: { Origin: `http://127.0.0.1:${port}` },
      body: invokeBody,
    });
    assert.equal(same.status, 200);
  });

  test('refuses a foreign Host header (DNS rebinding) with 403 even with the right token', async () => {
    for (const host of [`evil.example:${port}`, 'evil.example', `127.0.0.1:${port + 1}`, `127.0.0.1`]) {
      const res = await raw(port, {
        path: `/api/invoke?token=${token}`,
        method: 'POST',
        headers: { Host: host },
        body: invokeBody,
      });
      assert.equal(res.status, 403, host);
    }
    const ok = await raw(port, {
      path: `/api/invoke?token=${token}`,
      method: 'POST',
      headers: { Host: `localhost:${port}` },
      body: invokeBody,
    });
    assert.equal(ok.status, 200);
  });

  test('refuses WebSocket upgrades without the token, with a wrong one, or from a foreign origin', async () => {
    const base = `ws://127.0.0.1:${port}/ws`;
    assert.equal(await upgradeStatus(base), 401);
    assert.equal(await upgradeStatus(`${base}?token=nope`), 401);
    assert.equal(await upgradeStatus(`${base}?token=${token}`, { Origin: 'https://evil.example' }), 403);
    assert.equal(await upgradeStatus(`${base}?token=${token}`, { Host: 'evil.example' }), 403);
    assert.equal(await upgradeStatus(`ws://127.0.0.1:${port}/other?token=${token}`), 404);
    assert.equal(await upgradeStatus(base, { Cookie: `ferry_token=${token}` }), 401);
    assert.equal(await upgradeStatus(`${base}?token=${token}`), 101);
  });

  test('binds 127.0.0.1 only by default', async () => {
    assert.match(web.host.url, /^http:\/\/127\.0\.0\.1:\d+\//);
    assert.equal(await canConnect('127.0.0.1', port), true, 'control: loopback must answer');
    // This machine's own non-loopback addresses must not answer: nothing listens there.
    const ownAddresses = Object.values(os.networkInterfaces())
      .flat()
      .filter((a) => a && !a.internal)
      .map((a) => a!.address);
    for (const address of ownAddresses) {
      assert.equal(await canConnect(address, port), false, `the web host answered on ${address}`);
    }
  });

  test('sends a strict CSP, nosniff and no-referrer on every response, refused ones included', async () => {
    for (const res of [
      await raw(port, { path: `/?token=${token}` }),
      await raw(port, { path: '/' }),
      await raw(port, { path: '/', headers: { Host: 'evil.example' } }),
    ]) {
      const csp = String(res.headers['content-security-policy']);
      assert.match(csp, /default-src 'none'/);
      assert.match(csp, /frame-ancestors 'none'/);
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
      assert.equal(res.headers['x-content-type-options'], 'nosniff');
      assert.equal(res.headers['referrer-policy'], 'no-referrer');
    }
  });

  test('POST /api/invoke validates messages and answers typed errors', async () => {
    const post = async (body: string) => {
      const res = await raw(port, { path: `/api/invoke?token=${token}`, method: 'POST', body });
      return {
        status: res.status,
        reply: JSON.parse(res.body) as { ok: boolean; error: { code: string; message: string } },
      };
    };
    const notJson = await post('{not json');
    assert.equal(notJson.status, 400);
    assert.equal(notJson.reply.error.code, 'InvalidRequest');
    const unknown = await post(JSON.stringify({ name: 'fs.readFile', arg: { path: '/etc/passwd' } }));
    assert.equal(unknown.reply.ok, false);
    assert.equal(unknown.reply.error.code, 'UnknownRequest');
    const bad = await post(
      JSON.stringify({ name: 'storage.listObjects', arg: { profileId: '../x', bucket: 'b' } }),
    );
    assert.equal(bad.reply.error.code, 'InvalidRequest');
    const get = await raw(port, { path: `/api/invoke?token=${token}` });
    assert.equal(get.status, 405);
  });

  test('the WebSocket validates messages and answers typed errors', async () => {
    const ws = await openSocket(`ws://127.0.0.1:${port}/ws?token=${token}`);
    try {
      assert.equal((await wsInvoke(ws, 'nope')).reply.error?.code, 'InvalidRequest');
      assert.equal(
        (await wsInvoke(ws, JSON.stringify({ type: 'invoke', name: 'host.info' }))).reply.error?.code,
        'InvalidRequest',
      );
      const unknown = await wsInvoke(ws, JSON.stringify({ type: 'invoke', id: 7, name: 'shell.exec' }));
      assert.equal(unknown.id, 7);
      assert.equal(unknown.reply.error?.code, 'UnknownRequest');
      const invalid = await wsInvoke(
        ws,
        JSON.stringify({ type: 'invoke', id: 8, name: 'logs.tail', arg: { limit: -1 } }),
      );
      assert.equal(invalid.reply.error?.code, 'InvalidRequest');
      const good = await wsInvoke(ws, JSON.stringify({ type: 'invoke', id: 9, name: 'host.info' }));
      assert.equal(good.reply.ok, true);
    } finally {
      ws.close();
    }
  });
});
