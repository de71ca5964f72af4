/**
 * Request checks of the loopback web host. A web page on another site can make the browser send
 * requests to 127.0.0.1 (cross-site requests) or resolve its own name to 127.0.0.1 (DNS rebinding);
 * the Host and Origin checks stop both, and the per-launch token stops everything else on the machine
 * that did not get the URL.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const TOKEN_COOKIE = 'ferry_token';

export interface HostIdentity {
  /** host:port strings the server answers to, e.g. `127.0.0.1:5173`, `localhost:5173`. */
  allowedHosts: Set<string>;
  token: string;
}

export function allowedHostsFor(bindHost: string, port: number): Set<string> {
  const names = new Set([bindHost, '127.0.0.1', 'localhost', '[::1]']);
  return new Set([...names].map((h) => `${h.includes(':') && !h.startsWith('[') ? `[${h}]` : h}:${port}`));
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
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === TOKEN_COOKIE) return rest.join('=');
  }
  return undefined;
}

export type Verdict = { ok: true } | { ok: false; status: 401 | 403; reason: string };

export function checkRequest(req: IncomingMessage, identity: HostIdentity): Verdict {
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
  const token = tokenFromRequest(req);
  if (!token || !safeEqual(token, identity.token))
    return { ok: false, status: 401, reason: 'missing or wrong token' };
  return { ok: true };
}
