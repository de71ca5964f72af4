/**
 * Throws malformed and hostile payloads at the contract boundary — `dispatch` for every request name,
 * then the web host over HTTP and WebSocket — and checks that every answer is a typed error, nothing
 * escapes the data folder, Object.prototype stays clean and the host still answers afterwards.
 * Deterministic: a seeded generator, fixed counts.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { request } from 'node:http';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { WebSocket } from 'ws';
import { requests, type RequestName } from '../../preload/shared/contract';
import { dispatch, type DispatchReply } from '../../main/app/dispatch';
import { startTestWebHost, type TestWebHost } from '../support/web-host';

const SEED = Number(process.env.FERRY_FUZZ_SEED ?? 0x5eed);
const ROUNDS_PER_REQUEST = 60;

/** mulberry32: small, fast, and the same sequence on every machine. */
function generator(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  return { next, int, pick };
}
type Rng = ReturnType<typeof generator>;

const CANARY_NAME = 'canary.txt';
const HOSTILE_STRINGS = [
  '../../etc/passwd',
  '..\\..\\windows\\win.ini',
  `../../../${CANARY_NAME}`,
  `../../../../${CANARY_NAME}`,
  `a/../../../${CANARY_NAME}`,
  '/etc/passwd',
  'C:\\Windows\\system.ini',
  '..',
  '.',
  './',
  '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
  'key\u0000.txt',
  '\u0000',
  '__proto__',
  'constructor',
  'prototype',
  'constructor.prototype',
  '',
  ' ',
  '\ud800',
  '💥'.repeat(600),
  'x'.repeat(70_000),
  '<script>alert(1)</script>',
  "'; DROP TABLE profiles; --",
  'file:///etc/passwd',
  'http://user:pass@169.254.169.254/',
  '${process.exit()}',
];

function deepNest(depth: number): unknown {
  let v: unknown = 'bottom';
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
  return v;
}

function hostileValue(rng: Rng, depth = 0): unknown {
  switch (rng.int(14)) {
    case 0:
      return rng.pick(HOSTILE_STRINGS);
    case 1:
      return rng.pick([0, -1, 1.5, NaN, Infinity, -Infinity, Number.MAX_SAFE_INTEGER + 2, 1e308, -0]);
    case 2:
      return rng.pick([true, false, null, undefined]);
    case 3:
      return JSON.parse('{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}}');
    case 4:
      return { constructor: { prototype: { polluted: 'yes' } }, prototype: { polluted: 'yes' } };
    case 5:
      return deepNest(rng.pick([50, 500, 1500]));
    case 6:
      return depth > 3 ? [] : Array.from({ length: rng.int(5) }, () => hostileValue(rng, depth + 1));
    case 7:
      return depth > 3
        ? {}
        : Object.fromEntries(
            Array.from({ length: rng.int(5) }, () => [
              rng.pick(HOSTILE_STRINGS).slice(0, 40),
              hostileValue(rng, depth + 1),
            ]),
          );
    case 8:
      return String.fromCharCode(...Array.from({ length: rng.int(64) }, () => rng.int(0x10000)));
    case 9:
      return Array.from({ length: 2000 }, () => rng.pick(HOSTILE_STRINGS).slice(0, 30));
    case 10:
      return 'y'.repeat(1 + rng.int(4096));
    case 11:
      return Symbol.for('not-serialisable');
    case 12:
      return () => 'function';
    default:
      return BigInt(rng.int(1000));
  }
}

/** A valid-looking argument per request, so mutations probe past the first schema check. */
function validArg(name: RequestName): unknown {
  const loc = { profileId: 'local', bucket: 'sample-photos' };
  const args: Record<RequestName, unknown> = {
    'host.info': undefined,
    'profiles.list': undefined,
    'profiles.save': {
      name: 'fuzz',
      provider: 's3',
      endpoint: 'http://127.0.0.1:9',
      region: 'us-east-1',
      accessKeyId: 'AK',
      secretAccessKey: 'SK',
    },
    'profiles.remove': { id: 'no-such' },
    'profiles.test': { id: 'local' },
    'profiles.testDraft': {
      name: 'fuzz draft',
      provider: 's3',
      endpoint: 'http://127.0.0.1:9',
      region: 'us-east-1',
      accessKeyId: 'AK',
      secretAccessKey: 'SK',
    },
    'storage.listBuckets': { profileId: 'local' },
    'storage.listObjects': { ...loc, prefix: '' },
    'storage.headObject': { ...loc, key: 'README.txt' },
    'storage.presign': { ...loc, key: 'README.txt', expiresSeconds: 60 },
    'storage.deleteObjects': { profileId: 'local', bucket: 'sample-backup', keys: ['does-not-exist.txt'] },
    'tasks.list': undefined,
    'tasks.copy': {
      sources: [{ ...loc, key: 'README.txt', isFolder: false }],
      destination: { profileId: 'local', bucket: 'sample-backup', prefix: 'fuzz/' },
      options: { metadataDirective: 'COPY', conflict: 'overwrite' },
    },
    'tasks.pause': { id: 'nope' },
    'tasks.resume': { id: 'nope' },
    'tasks.cancel': { id: 'nope' },
    'tasks.retry': { id: 'nope' },
    'tasks.pauseAll': undefined,
    'tasks.resumeAll': undefined,
    'tasks.clearFinished': undefined,
    'tasks.remove': { id: 'nope' },
    'orphans.list': loc,
    'orphans.abort': { ...loc, uploads: [{ key: 'a', uploadId: 'b' }] },
    'computer.places': undefined,
    'computer.pin': { bucket: 'root', prefix: 'tmp/' },
    'computer.unpin': { bucket: 'root', prefix: 'tmp/' },
    'computer.resolvePaths': { paths: ['/tmp'] },
    'settings.get': undefined,
    'settings.set': { theme: 'dark' },
    'logs.tail': { limit: 5 },
    'uploads.begin': { profileId: 'local', bucket: 'sample-backup', key: 'fuzz-upload.txt', size: 3 },
    'uploads.append': { uploadId: 'nope', offset: 0, data: 'YWJj' },
    'uploads.finish': { uploadId: 'nope' },
    'uploads.abort': { uploadId: 'nope' },
  };
  return args[name];
}

/** Replaces one field somewhere in a valid argument (or the whole argument) with a hostile value. */
function mutate(rng: Rng, arg: unknown): unknown {
  if (arg === undefined || arg === null || typeof arg !== 'object' || rng.int(6) === 0)
    return hostileValue(rng);
  const copy: Record<string, unknown> = Array.isArray(arg) ? ([...arg] as never) : { ...(arg as object) };
  const keys = Object.keys(copy);
  const key =
    rng.int(4) === 0 || keys.length === 0
      ? rng.pick(['__proto__', 'constructor', 'extra', 'prototype'])
      : rng.pick(keys);
  copy[key] = rng.int(2) === 0 && typeof copy[key] === 'object' ? mutate(rng, copy[key]) : hostileValue(rng);
  if (rng.int(5) === 0) delete copy[rng.pick(keys.length ? keys : ['x'])];
  return copy;
}

function assertTyped(reply: DispatchReply, context: string): void {
  assert.equal(typeof reply, 'object', context);
  if (reply.ok) return;
  assert.equal(typeof reply.error.code, 'string', context);
  assert.equal(typeof reply.error.message, 'string', context);
  assert.ok(reply.error.code.length > 0, context);
  // InternalError means a handler threw something untyped (a TypeError, a raw fs error): a bug.
  assert.notEqual(reply.error.code, 'InternalError', `${context}: ${reply.error.message}`);
}

function assertPrototypesClean(): void {
  assert.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype was polluted');
  assert.equal(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted'), false);
  assert.equal(([] as unknown as Record<string, unknown>).polluted, undefined);
}

/** Every file under `dir`, as relative paths with their sizes. */
function tree(dir: string, skip: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const full = path.join(entry.parentPath, entry.name);
    if (full === skip || full.startsWith(skip + path.sep)) continue;
    out.set(path.relative(dir, full), entry.isFile() ? statSync(full).size : -1);
  }
  return out;
}

function post(port: number, token: string, body: Buffer | string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      // A fresh connection each time: a kept-alive one the host closed after its 5 s idle timeout
      // (a slow test in between) would fail the next request with ECONNRESET.
      {
        host: '127.0.0.1',
        port,
        path: `/api/invoke?token=${token}`,
        method: 'POST',
        timeout: 30_000,
        agent: false,
      },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end(body);
  });
}

describe('contract fuzzing', { timeout: 180_000 }, () => {
  let web: TestWebHost;
  let sandbox: string;
  let before_: Map<string, number>;
  const canary = () => path.join(sandbox, CANARY_NAME);

  before(async () => {
    // The data folder sits inside a sandbox folder holding a canary file that traversal keys aim at.
    sandbox = mkdtempSync(path.join(os.tmpdir(), 'ferry-fuzz-'));
    writeFileSync(canary(), 'canary');
    web = await startTestWebHost({ dataDir: path.join(sandbox, 'data') });
    before_ = tree(sandbox, web.dataDir);
  });
  after(async () => {
    await web.close();
    rmSync(sandbox, { recursive: true, force: true });
  });

  test('dispatch answers typed errors for hostile arguments to every request', async () => {
    const rng = generator(SEED);
    const names = Object.keys(requests) as RequestName[];
    for (const name of names) {
      for (let round = 0; round < ROUNDS_PER_REQUEST; round++) {
        const arg = mutate(rng, validArg(name));
        let reply: DispatchReply;
        try {
          reply = await dispatch(web.services.handlers, name, arg, web.services.logger);
        } catch (err) {
          assert.fail(`dispatch threw for ${name} round ${round}: ${(err as Error).message}`);
        }
        assertTyped(reply, `${name} round ${round} (seed ${SEED})`);
      }
    }
    assertPrototypesClean();
  });

  test('settings.set with an explicit undefined field keeps that setting as it was', async () => {
    const before = web.services.settings.get().theme;
    const reply = await dispatch(web.services.handlers, 'settings.set', { theme: undefined });
    assertTyped(reply, 'settings.set { theme: undefined }');
    assert.equal(reply.ok, true);
    assert.equal(web.services.settings.get().theme, before);
  });

  test('dispatch refuses unknown names, huge strings and prototype keys as request names', async () => {
    const huge = 'z'.repeat(10 * 1024 * 1024);
    for (const name of [
      'nope',
      '__proto__',
      'constructor',
      'toString',
      'hasOwnProperty',
      huge,
      '',
      42,
      null,
      undefined,
      {},
      ['host.info'],
    ]) {
      const reply = await dispatch(web.services.handlers, name, undefined);
      assert.equal(reply.ok, false);
      assert.equal(!reply.ok && reply.error.code, 'UnknownRequest');
      assert.ok(!reply.ok && reply.error.message.length < 200, 'the error message echoes the whole name');
    }
    for (const name of ['storage.headObject', 'profiles.save', 'storage.deleteObjects'] as const) {
      const reply = await dispatch(web.services.handlers, name, {
        profileId: 'local',
        bucket: 'sample-photos',
        key: huge,
        name: huge,
        keys: [huge],
      });
      assert.equal(!reply.ok && reply.error.code, 'InvalidRequest');
      assert.ok(!reply.ok && reply.error.message.length < 1000);
    }
  });

  test('path traversal in bucket, key and profile names is refused and reaches no file outside the data folder', async () => {
    const keys = HOSTILE_STRINGS.filter((k) => k.length > 0 && k.length < 1000);
    const h = web.services.handlers;
    for (const key of keys) {
      for (const reply of [
        await dispatch(h, 'storage.headObject', { profileId: 'local', bucket: 'sample-photos', key }),
        await dispatch(h, 'storage.deleteObjects', {
          profileId: 'local',
          bucket: 'sample-photos',
          keys: [key],
        }),
        await dispatch(h, 'storage.listObjects', {
          profileId: 'local',
          bucket: 'sample-photos',
          prefix: key,
        }),
        await dispatch(h, 'storage.listObjects', { profileId: 'local', bucket: key, prefix: '' }),
        await dispatch(h, 'storage.listBuckets', { profileId: key }),
        await dispatch(h, 'profiles.remove', { id: key }),
      ]) {
        assertTyped(reply, `traversal ${JSON.stringify(key.slice(0, 40))}`);
      }
    }
    assert.equal(readFileSync(canary(), 'utf8'), 'canary');
  });

  test('the web host answers typed errors over HTTP for hostile bodies', async () => {
    const rng = generator(SEED + 1);
    const { port, token } = web.host;
    const bodies: (string | Buffer)[] = [
      '',
      'null',
      '[]',
      '"host.info"',
      '{not json',
      Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x80]),
      '{"name":"host.info"'.repeat(3),
      '['.repeat(200_000),
      '{"name":"__proto__","arg":{"__proto__":{"polluted":"yes"}}}',
      '{"__proto__":{"polluted":"yes"},"name":"settings.set","arg":{"__proto__":{"polluted":"yes"}}}',
      JSON.stringify({ name: 'profiles.save', arg: { constructor: { prototype: { polluted: 'yes' } } } }),
      JSON.stringify({ name: 'storage.headObject\u0000', arg: {} }),
      JSON.stringify({
        name: 'storage.headObject',
        arg: { profileId: 'local', bucket: 'sample-photos', key: 'a\u0000b' },
      }),
    ];
    for (let i = 0; i < 80; i++) {
      const name = rng.pick(Object.keys(requests) as RequestName[]);
      const arg = mutate(rng, validArg(name));
      bodies.push(
        JSON.stringify({ name, arg }, (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v)) ?? 'null',
      );
    }
    for (const body of bodies) {
      const res = await post(port, token, body);
      assert.ok([200, 400].includes(res.status), `status ${res.status} for ${String(body).slice(0, 60)}`);
      assertTyped(JSON.parse(res.body) as DispatchReply, `HTTP ${String(body).slice(0, 60)}`);
      if (res.status === 400) assert.equal((JSON.parse(res.body) as { ok: boolean }).ok, false);
    }
    assertPrototypesClean();
  });

  test('the web host refuses a 10 MB body with 413 and keeps serving', async () => {
    const res = await post(
      web.host.port,
      web.host.token,
      JSON.stringify({ name: 'host.info', arg: 'q'.repeat(10 * 1024 * 1024) }),
    ).catch((err: NodeJS.ErrnoException) => ({
      status: err.code === 'ECONNRESET' || err.code === 'EPIPE' ? 413 : 0,
      body: '',
    }));
    assert.equal(res.status, 413);
    const ok = await post(web.host.port, web.host.token, '{"name":"host.info"}');
    assert.equal((JSON.parse(ok.body) as DispatchReply).ok, true);
  });

  test('the web host answers typed errors over WebSocket for hostile frames, binary included', async () => {
    const rng = generator(SEED + 2);
    const ws = new WebSocket(`ws://127.0.0.1:${web.host.port}/ws?token=${web.host.token}`, {
      handshakeTimeout: 10_000,
    });
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    const replies: { id: unknown; reply: DispatchReply }[] = [];
    ws.on('message', (data: Buffer) => {
      const msg = JSON.parse(data.toString()) as { type: string; id: unknown; reply: DispatchReply };
      if (msg.type === 'reply') replies.push(msg);
    });
    const frames: (string | Buffer)[] = [
      'not json',
      '',
      'null',
      '42',
      '[1,2,3]',
      '['.repeat(200_000),
      '{"type":"invoke"}',
      '{"type":"invoke","id":{"__proto__":{"polluted":"yes"}},"name":"host.info"}',
      '{"type":"invoke","id":1,"name":"__proto__"}',
      '{"type":"invoke","id":2,"name":"settings.set","arg":{"__proto__":{"polluted":"yes"}}}',
      Buffer.from([0, 1, 2, 3, 0xff]),
    ];
    for (let i = 0; i < 80; i++) {
      const name = rng.pick([...(Object.keys(requests) as RequestName[]), 'nope', '__proto__']);
      const arg = mutate(rng, validArg(name as RequestName));
      frames.push(
        JSON.stringify({ type: 'invoke', id: 100 + i, name, arg }, (_k, v: unknown) =>
          typeof v === 'bigint' ? Number(v) : v,
        ),
      );
    }
    for (const frame of frames) ws.send(frame, { binary: Buffer.isBuffer(frame) });
    const deadline = Date.now() + 60_000;
    while (replies.length < frames.length && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    assert.equal(replies.length, frames.length, 'every frame gets exactly one reply');
    for (const { reply } of replies) assertTyped(reply, 'WebSocket');
    assert.equal(
      replies.filter(
        (r) => r.reply.ok === false && r.reply.error.message === 'binary frames are not accepted',
      ).length,
      1,
    );
    // The socket is still usable.
    ws.send(JSON.stringify({ type: 'invoke', id: 'last', name: 'host.info' }));
    while (!replies.some((r) => r.id === 'last') && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    assert.equal(replies.find((r) => r.id === 'last')?.reply.ok, true);
    ws.close();
    assertPrototypesClean();
  });

  test('a 10 MB WebSocket frame closes that socket with 1009 and the host keeps serving', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${web.host.port}/ws?token=${web.host.token}`, {
      handshakeTimeout: 10_000,
    });
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.on('error', () => undefined);
    ws.send(JSON.stringify({ type: 'invoke', id: 1, name: 'host.info', arg: 'w'.repeat(10 * 1024 * 1024) }));
    assert.equal(await closed, 1009);
    const ok = await post(web.host.port, web.host.token, '{"name":"host.info"}');
    assert.equal((JSON.parse(ok.body) as DispatchReply).ok, true);
  });

  test('afterwards: no file appeared or changed outside the data folder and valid requests still work', async () => {
    assert.deepEqual(tree(sandbox, web.dataDir), before_);
    assert.equal(readFileSync(canary(), 'utf8'), 'canary');
    assertPrototypesClean();
    const info = await dispatch(web.services.handlers, 'host.info', undefined);
    assert.equal(info.ok, true);
    const list = await dispatch(web.services.handlers, 'storage.listObjects', {
      profileId: 'local',
      bucket: 'sample-photos',
      prefix: '',
    });
    assert.equal(list.ok, true);
  });
});
