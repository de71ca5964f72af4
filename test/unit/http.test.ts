import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import type { StorageError } from '../../main/storage/errors';
import { bodyStream, HttpClient, readBody, readText, type HttpEvent } from '../../main/storage/http';
import { toHeaderBytes, fromHeaderBytes } from '../../main/storage/encoding';

type Handler = (req: IncomingMessage, res: ServerResponse, body: Buffer) => void;

describe('HttpClient', () => {
  let server: Server;
  let origin: string;
  let handler: Handler = (_req, res) => res.end();
  const rawHeaders: string[][] = [];

  before(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        rawHeaders.push(req.rawHeaders);
        handler(req, res, Buffer.concat(chunks));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  it('sends the path byte-for-byte, without collapsing dot segments or double slashes', async () => {
    let seen = '';
    handler = (req, res) => {
      seen = req.url ?? '';
      res.end();
    };
    const client = new HttpClient();
    const path = '/bucket/a/../b/./c//d%20e%2B?x=1';
    const res = await client.request({ method: 'GET', origin, path, headers: {} });
    await readBody(res);
    assert.equal(seen, path);
    await client.close();
  });

  it('streams a request body and a response body', async () => {
    handler = (_req, res, body) => res.end(Buffer.concat([body, body]));
    const client = new HttpClient();
    const payload = Buffer.alloc(300_000, 7);
    const res = await client.request({
      method: 'PUT',
      origin,
      path: '/x',
      headers: { 'content-length': String(payload.length) },
      body: Readable.from([payload.subarray(0, 1000), payload.subarray(1000)]),
    });
    const back = await readBody(res);
    assert.equal(back.length, 600_000);
    await client.close();
  });

  it('sends and receives non-ASCII header values as UTF-8 bytes', async () => {
    let received: Buffer | undefined;
    handler = (req, res) => {
      const i = req.rawHeaders.findIndex((h) => h.toLowerCase() === 'x-amz-meta-name');
      received = Buffer.from(req.rawHeaders[i + 1]!, 'latin1');
      res.setHeader('x-amz-meta-name', Buffer.from('café 文件', 'utf8').toString('latin1'));
      res.end();
    };
    const client = new HttpClient();
    const res = await client.request({
      method: 'GET',
      origin,
      path: '/',
      headers: { 'x-amz-meta-name': toHeaderBytes('café 文件') },
    });
    await readBody(res);
    assert.deepEqual(received, Buffer.from('café 文件', 'utf8'));
    assert.equal(fromHeaderBytes(res.headers['x-amz-meta-name']!), 'café 文件');
    await client.close();
  });

  it('refuses header values that undici would mangle', async () => {
    const client = new HttpClient();
    await assert.rejects(
      client.request({ method: 'GET', origin, path: '/', headers: { 'x-amz-meta-a': '文件' } }),
      (e: StorageError) => e.code === 'InvalidHeaderValue',
    );
  });

  it('times out when the server never answers, with the undici code', async () => {
    handler = () => {
      /* hang */
    };
    const client = new HttpClient({ headersTimeoutMs: 200 });
    await assert.rejects(
      client.request({ method: 'GET', origin, path: '/hang', headers: {} }),
      (e: StorageError) => e.status === 0 && e.code === 'UND_ERR_HEADERS_TIMEOUT' && e.retryable,
    );
    await client.close().catch(() => undefined);
  });

  it('reports a stalled body as a StorageError from the stream', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('partial');
    };
    const client = new HttpClient({ bodyTimeoutMs: 200 });
    const res = await client.request({ method: 'GET', origin, path: '/stall', headers: {} });
    await assert.rejects(
      readText({ ...res, body: bodyStream(res) }),
      (e: StorageError) => e.code === 'UND_ERR_BODY_TIMEOUT',
    );
    await client.close().catch(() => undefined);
  });

  it('maps a refused connection to ECONNREFUSED with a clear message', async () => {
    const client = new HttpClient();
    await assert.rejects(
      client.request({ method: 'GET', origin: 'http://127.0.0.1:1', path: '/', headers: {} }),
      (e: StorageError) => e.code === 'ECONNREFUSED' && /refused/.test(e.message),
    );
    await client.close();
  });

  it('cancels on abort with RequestAborted', async () => {
    handler = () => {
      /* hang */
    };
    const client = new HttpClient();
    const ctl = new AbortController();
    const p = client.request({ method: 'GET', origin, path: '/hang', headers: {}, signal: ctl.signal });
    setTimeout(() => ctl.abort(), 50);
    await assert.rejects(p, (e: StorageError) => e.code === 'RequestAborted' && !e.retryable);
    await client.close().catch(() => undefined);
  });

  it('tells an observer about each request and its outcome', async () => {
    handler = (_req, res) => {
      res.writeHead(404, { 'x-amz-request-id': 'req-1' });
      res.end();
    };
    const events: HttpEvent[] = [];
    const client = new HttpClient({ observe: (e) => events.push(e) });
    const res = await client.request({ method: 'HEAD', origin, path: '/k', headers: {} });
    await readBody(res);
    assert.equal(res.status, 404);
    assert.deepEqual(
      events.map((e) => e.phase),
      ['request', 'response'],
    );
    const done = events[1]!;
    assert.ok(done.phase === 'response' && done.headers['x-amz-request-id'] === 'req-1');
    await client.close();
  });

  it('keeps at most maxConnections requests in flight per origin', async () => {
    let inFlight = 0;
    let peak = 0;
    handler = (_req, res) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      setTimeout(() => {
        inFlight--;
        res.end('x');
      }, 30);
    };
    const client = new HttpClient({ maxConnections: 2 });
    await Promise.all(
      Array.from({ length: 6 }, async () =>
        readBody(await client.request({ method: 'GET', origin, path: '/', headers: {} })),
      ),
    );
    assert.equal(peak, 2);
    await client.close();
  });
});
