/**
 * Desktop drops over the web host's real WebSocket and HTTP: upload slots belong to the connection
 * that began them, and are given back when it drops, when its sender goes quiet, and when `finish`
 * finds bytes missing — never held until a restart.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { WebSocket } from 'ws';
import { appServiceOptions, createApp } from '../../main/app/wiring';
import { startTestWebHost, type TestWebHost } from '../support/web-host';

type Reply<T = unknown> = { ok: boolean; result: T; error?: { code: string; message: string } };

async function post<T = unknown>(web: TestWebHost, name: string, arg?: unknown): Promise<Reply<T>> {
  const res = await fetch(`${web.origin}/api/invoke`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${web.host.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ name, arg }),
    signal: AbortSignal.timeout(15_000),
  });
  return (await res.json()) as Reply<T>;
}

function openSocket(web: TestWebHost): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${web.host.port}/ws?token=${web.host.token}`, {
      handshakeTimeout: 10_000,
    });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

let nextId = 1;
function wsInvoke<T = unknown>(ws: WebSocket, name: string, arg?: unknown): Promise<Reply<T>> {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} got no reply`)), 15_000);
    const onMessage = (data: Buffer) => {
      const msg = JSON.parse(data.toString()) as { type: string; id: unknown; reply: Reply<T> };
      if (msg.type !== 'reply' || msg.id !== id) return;
      clearTimeout(timer);
      ws.off('message', onMessage);
      resolve(msg.reply);
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ type: 'invoke', id, name, arg }));
  });
}

const closed = (ws: WebSocket) =>
  new Promise<void>((resolve) => {
    if (ws.readyState === ws.CLOSED) resolve();
    else ws.once('close', () => resolve());
  });

const target = (i: number, size = 1000) => ({
  profileId: 'local',
  bucket: 'sample-photos',
  key: `dropped/file-${i}.bin`,
  size,
});

/** Polls until `check` holds (slots are released when the server sees the close, a moment later). */
async function eventually(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function withHost(
  body: (web: TestWebHost) => Promise<void>,
  options: { idleMs?: number; dataDir?: string } = {},
): Promise<void> {
  const web = await startTestWebHost({
    dataDir: options.dataDir,
    services: (dataDir) =>
      createApp({ ...appServiceOptions(dataDir, 'web'), uploads: { idleMs: options.idleMs } }),
  });
  try {
    await body(web);
  } finally {
    await web.close();
  }
}

const stagingFiles = (web: TestWebHost) => {
  const dir = path.join(web.dataDir, 'uploads');
  return existsSync(dir) ? readdirSync(dir) : [];
};

describe('desktop upload slots', () => {
  test('eight uploads begun over sockets that then drop leave every slot free for the next upload', async () => {
    await withHost(async (web) => {
      const sockets = await Promise.all(Array.from({ length: 8 }, () => openSocket(web)));
      for (const [i, ws] of sockets.entries()) {
        const begun = await wsInvoke(ws, 'uploads.begin', target(i));
        assert.equal(begun.ok, true, JSON.stringify(begun.error));
      }
      const refused = await post(web, 'uploads.begin', target(99));
      assert.equal(refused.error?.code, 'TooManyUploads', 'control: eight slots are taken');
      for (const ws of sockets) ws.terminate();
      await Promise.all(sockets.map(closed));
      await eventually(() => web.services.uploads!.open === 0, 'slots released after the sockets dropped');
      for (let i = 0; i < 8; i++) {
        const again = await post(web, 'uploads.begin', target(100 + i));
        assert.equal(again.ok, true, JSON.stringify(again.error));
      }
      assert.equal(stagingFiles(web).length, 8, 'the dropped uploads left no staging file');
    });
  });

  test('a page reloaded mid-upload gives its slot back, and its half-received file is removed', async () => {
    await withHost(async (web) => {
      const page = await openSocket(web);
      const { result } = await wsInvoke<{ uploadId: string }>(page, 'uploads.begin', target(1, 10));
      const half = await wsInvoke(page, 'uploads.append', {
        uploadId: result.uploadId,
        offset: 0,
        data: Buffer.from('hello').toString('base64'),
      });
      assert.equal(half.ok, true);
      page.close(); // what a reload does to the old page's socket
      await closed(page);
      await eventually(() => stagingFiles(web).length === 0, 'the staging file removed');
      const reloaded = await openSocket(web);
      try {
        for (let i = 0; i < 8; i++) {
          const begun = await wsInvoke(reloaded, 'uploads.begin', target(10 + i));
          assert.equal(begun.ok, true, JSON.stringify(begun.error));
        }
        const gone = await wsInvoke(reloaded, 'uploads.append', {
          uploadId: result.uploadId,
          offset: 5,
          data: Buffer.from('world').toString('base64'),
        });
        assert.equal(gone.error?.code, 'NoSuchUpload');
      } finally {
        reloaded.close();
      }
    });
  });

  test('finish with bytes missing refuses, and frees the slot', async () => {
    await withHost(async (web) => {
      const ids: string[] = [];
      for (let i = 0; i < 8; i++) {
        const begun = await post<{ uploadId: string }>(web, 'uploads.begin', target(i, 10));
        assert.equal(begun.ok, true, JSON.stringify(begun.error));
        ids.push(begun.result.uploadId);
      }
      for (const uploadId of ids) {
        const finished = await post(web, 'uploads.finish', { uploadId });
        assert.equal(finished.ok, false);
        assert.match(finished.error!.message, /received 0 of 10 bytes/);
      }
      assert.equal(stagingFiles(web).length, 0);
      const next = await post(web, 'uploads.begin', target(50));
      assert.equal(next.ok, true, JSON.stringify(next.error));
    });
  });

  test('uploads begun over HTTP whose sender goes quiet are released after the idle timeout', async () => {
    await withHost(
      async (web) => {
        for (let i = 0; i < 8; i++) {
          const begun = await post(web, 'uploads.begin', target(i));
          assert.equal(begun.ok, true, JSON.stringify(begun.error));
        }
        assert.equal((await post(web, 'uploads.begin', target(9))).error?.code, 'TooManyUploads');
        await eventually(() => web.services.uploads!.open === 0, 'idle slots released', 10_000);
        assert.equal(stagingFiles(web).length, 0);
        const next = await post(web, 'uploads.begin', target(20));
        assert.equal(next.ok, true, JSON.stringify(next.error));
      },
      { idleMs: 300 },
    );
  });

  test('an upload that keeps sending is not released as idle', async () => {
    await withHost(
      async (web) => {
        const body = Buffer.alloc(40, 7);
        const { result } = await post<{ uploadId: string }>(web, 'uploads.begin', target(1, body.length));
        for (let offset = 0; offset < body.length; offset += 10) {
          await new Promise((r) => setTimeout(r, 150)); // each gap shorter than the idle timeout
          const r = await post(web, 'uploads.append', {
            uploadId: result.uploadId,
            offset,
            data: body.subarray(offset, offset + 10).toString('base64'),
          });
          assert.equal(r.ok, true, JSON.stringify(r.error));
        }
        const finished = await post(web, 'uploads.finish', { uploadId: result.uploadId });
        assert.equal(finished.ok, true, JSON.stringify(finished.error));
      },
      { idleMs: 400 },
    );
  });

  test('the lock holder empties what a previous run left in the staging folder at start', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ferry-web-'));
    mkdirSync(path.join(dataDir, 'uploads'), { recursive: true });
    writeFileSync(path.join(dataDir, 'uploads', 'left-by-a-crash'), 'half a file');
    await withHost(
      async (web) => {
        assert.deepEqual(stagingFiles(web), []);
      },
      { dataDir },
    );
  });
});
