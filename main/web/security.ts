/**
 * Request checks of the loopback web host. A web page on another site can make the browser send
 * requests to 127.0.0.1 (cross-site requests) or resolve its own name to 127.0.0.1 (DNS rebinding);
 * the Host and Origin checks stop both, and the per-launch token stops everything else on the machine
 * that did not get the URL.
 *
 * The token is never a cookie: browsers do not separate cookies by port, so a cookie for 127.0.0.1
 * would go to every other web server on this machine the user visits. It travels in the query of
 * `/ws` and `/api` requests or as a bearer header, and only those need it: the page and its assets
 * hold no secret.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Binding } from './bind-address';

export interface HostIdentity {
  /** host:port strings the server answers to, e.g. `127.0.0.1:5173`, `localhost:5173`. */
  allowedHosts: Set<string>;
  token: string;
}

/**
 * The Host values the server answers to: the loopback names on its port, the loopback address it
 * listens on, and the one name `--allow-remote` gave (never `0.0.0.0` or any other unnamed address).
 */
export function allowedHostsFor(binding: Binding, port: number): Set<string> {
  const bracket = (h: string) => (h.includes(':') && !h.startsWith('[') ? `[${h}]` : h);
  const loopback = ['127.0.0.1', 'localhost', '[::1]'];
  if (!binding.remote) loopback.push(binding.listenHost);
  const hosts = new Set(loopback.map((h) => `${bracket(h)}:${port}`));
  if (binding.remote) {
    const remotePort = binding.remote.port ?? port;
    hosts.add(`${binding.remote.host}:${remotePort}`);
    if (remotePort === 80) hosts.add(binding.remote.host); // browsers leave out the default port
  }
  return hosts;
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function tokenFromRequest(req: IncomingMessage): string | undefined {
  const url = new URL(req.url ?? '/', 'http://placeholder');
  const fromQuery = url.searchParams.get('token');
  if (fromQuery) return fromQuery;
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice(7);
  return undefined;
}

export type Verdict = { ok: true } | { ok: false; status: 401 | 403; reason: string };

/** The requests that act on Ferry: the WebSocket and the HTTP contract. Everything else is the static page. */
export function needsToken(pathname: string): boolean {
  return pathname === '/ws' || pathname === '/api' || pathname.startsWith('/api/');
}

export function checkRequest(
  req: IncomingMessage,
  identity: HostIdentity,
  options: { tokenRequired: boolean } = { tokenRequired: true },
): Verdict {
  const host = req.headers.host;
  if (!host || !identity.allowedHosts.has(host.toLowerCase())) {
    return { ok: false, status: 403, reason: 'unexpected Host header' };
  }
  const origin = req.headers.origin;
  if (origin !== undefined) {
    let originHost: string;
    try {
      const parsed = new URL(origin);
      originHost = parsed.protocol === 'http:' ? parsed.host : '';
    } catch {
      originHost = '';
    }
    if (!identity.allowedHosts.has(originHost))
      return { ok: false, status: 403, reason: 'cross-origin request' };
  }
  if (!options.tokenRequired) return { ok: true };
  const token = tokenFromRequest(req);
  if (!token || !safeEqual(token, identity.token))
    return { ok: false, status: 401, reason: 'missing or wrong token' };
  return { ok: true };
}
