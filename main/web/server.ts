/**
 * The loopback web host: the same services and the same renderer bundle as the Electron app, over
 * HTTP + WebSocket on 127.0.0.1, for machines without the Electron binary and for headless boxes.
 *
 * Wire protocol (WebSocket `/ws`, JSON text frames):
 *   client → server  { type: 'invoke', id, name, arg }
 *   server → client  { type: 'reply', id, reply }      reply = { ok, result } | { ok: false, error }
 *   server → client  { type: 'event', event, payload } every EventBus event
 * `POST /api/invoke` with `{ name, arg }` answers the same reply as JSON (scripts, tests).
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import sirv from 'sirv';
import { WebSocketServer, type WebSocket } from 'ws';
import { dispatch } from '../app/dispatch';
import type { App } from '../app/wiring';
import { allowedHostsFor, checkRequest, TOKEN_COOKIE, type HostIdentity } from './security';

export interface WebHostOptions {
  services: App;
  rendererDir: string;
  port?: number;
  /** 127.0.0.1 unless explicitly asked otherwise. */
  host?: string;
  token?: string;
}

export interface WebHost {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const MAX_BODY = 1024 * 1024;

export function contentSecurityPolicy(): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

function securityHeaders(res: ServerResponse): void {
  res.setHeader('Content-Security-Policy', contentSecurityPolicy());
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  res.setHeader('Cache-Control', 'no-store');
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw Object.assign(new Error('request body too large'), { status: 413 });
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const { services } = options;
  const bindHost = options.host ?? '127.0.0.1';
  const token = options.token ?? randomBytes(24).toString('base64url');
  const identity: HostIdentity = { allowedHosts: new Set(), token };
  const assets = sirv(options.rendererDir, {
    dev: false,
    etag: true,
    gzip: false,
    brotli: false,
    single: true,
  });

  const server: Server = createServer((req, res) => {
    securityHeaders(res);
    const verdict = checkRequest(req, identity);
    if (!verdict.ok) {
      sendJson(res, verdict.status, {
        error: { code: verdict.status === 401 ? 'Unauthorized' : 'Forbidden', message: verdict.reason },
      });
      return;
    }
    // The token came in the URL once; the cookie carries it for the page's own asset requests.
    res.setHeader('Set-Cookie', `${TOKEN_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict`);
    const url = new URL(req.url ?? '/', 'http://placeholder');
    if (url.pathname === '/api/invoke') {
      if (req.method !== 'POST') {
        sendJson(res, 405, { error: { code: 'MethodNotAllowed', message: 'use POST' } });
        return;
      }
      void handleInvoke(req, res);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendJson(res, 405, { error: { code: 'MethodNotAllowed', message: 'only GET' } });
      return;
    }
    assets(req, res, () => sendJson(res, 404, { error: { code: 'NotFound', message: 'no such page' } }));
  });

  async function handleInvoke(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let message: unknown;
    try {
      message = JSON.parse(await readBody(req));
    } catch (err) {
      const status = (err as { status?: number }).status ?? 400;
      sendJson(res, status, {
        ok: false,
        error: { code: 'InvalidRequest', message: (err as Error).message },
      });
      return;
    }
    const m = (message ?? {}) as { name?: unknown; arg?: unknown };
    const reply = await dispatch(services.handlers, m.name, m.arg, services.logger);
    sendJson(res, 200, reply);
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_BODY });
  server.on('upgrade', (req, socket, head) => {
    const verdict = checkRequest(req, identity);
    const url = new URL(req.url ?? '/', 'http://placeholder');
    if (!verdict.ok || url.pathname !== '/ws') {
      const status = verdict.ok ? 404 : verdict.status;
      socket.end(
        `HTTP/1.1 ${status} ${status === 401 ? 'Unauthorized' : status === 403 ? 'Forbidden' : 'Not Found'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`,
      );
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  wss.on('connection', (ws: WebSocket) => {
    const unsubscribe = services.bus.subscribe((message) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ type: 'event', ...message }));
    });
    ws.on('close', unsubscribe);
    ws.on('error', () => ws.close());
    ws.on('message', (data, isBinary) => {
      if (isBinary) {
        ws.send(
          JSON.stringify({
            type: 'reply',
            id: null,
            reply: {
              ok: false,
              error: { code: 'InvalidRequest', message: 'binary frames are not accepted' },
            },
          }),
        );
        return;
      }
      let message: { type?: unknown; id?: unknown; name?: unknown; arg?: unknown };
      try {
        message = JSON.parse(data.toString()) as typeof message;
      } catch {
        ws.send(
          JSON.stringify({
            type: 'reply',
            id: null,
            reply: { ok: false, error: { code: 'InvalidRequest', message: 'not JSON' } },
          }),
        );
        return;
      }
      const id = typeof message?.id === 'number' || typeof message?.id === 'string' ? message.id : null;
      if (message?.type !== 'invoke' || id === null) {
        ws.send(
          JSON.stringify({
            type: 'reply',
            id,
            reply: {
              ok: false,
              error: { code: 'InvalidRequest', message: 'expected { type: "invoke", id, name, arg }' },
            },
          }),
        );
        return;
      }
      void dispatch(services.handlers, message.name, message.arg, services.logger).then((reply) => {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ type: 'reply', id, reply }));
      });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, bindHost, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  for (const h of allowedHostsFor(bindHost, port)) identity.allowedHosts.add(h);
  const shownHost = bindHost.includes(':') ? `[${bindHost}]` : bindHost;
  return {
    url: `http://${shownHost}:${port}/?token=${token}`,
    port,
    token,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
    },
  };
}

export function defaultRendererDir(): string {
  return path.join(__dirname, '..', 'renderer');
}
