/**
 * Where the web host listens, and which Host names it answers to. It speaks clear HTTP and the token
 * is its only protection, so it listens on loopback unless the user explicitly names the address
 * browsers on the network will use (`--allow-remote HOST[:PORT]`): the Host check then lets that name
 * in, instead of refusing a LAN browser while a client that sniffed the token and spoofed a loopback
 * Host gets through.
 */
import { isIP } from 'node:net';

export interface RemoteName {
  /** Lower-case host name or address as browsers send it in Host (IPv6 in brackets). */
  host: string;
  /** The port browsers use, when it differs from the one Ferry listens on (a port forward). */
  port?: number;
}

export interface Binding {
  /** The address given to listen(). */
  listenHost: string;
  /** The host shown in the printed URL. */
  urlHost: string;
  /** Set when the host is reachable from other machines. */
  remote?: RemoteName;
}

export class BindingError extends Error {
  readonly code = 'InvalidHost';
}

export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) {
    if (h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(h);
    return mapped !== null && mapped[1]!.startsWith('127.');
  }
  return false;
}

/** `HOST`, `HOST:PORT`, `[V6]` or `[V6]:PORT`, as a browser's Host header would carry it. */
export function parseRemoteName(text: string): RemoteName {
  const m = /^(\[[0-9a-fA-F:.]+\]|[^:[\]\s/]+)(?::(\d{1,5}))?$/.exec(text.trim());
  const port = m?.[2] === undefined ? undefined : Number(m[2]);
  const host = m?.[1]?.toLowerCase();
  const validName =
    host !== undefined &&
    (host.startsWith('[')
      ? isIP(host.slice(1, -1)) === 6
      : isIP(host) === 4 || /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/.test(host));
  if (!validName || (port !== undefined && (port < 1 || port > 65535))) {
    throw new BindingError(
      `--allow-remote takes the host name browsers will use, as HOST or HOST:PORT (e.g. nas.lan or 192.168.1.20:8080), not "${text}"`,
    );
  }
  if (isLoopbackHost(host))
    throw new BindingError(
      `--allow-remote names the address other machines use, not a loopback one ("${text}")`,
    );
  if (host === '0.0.0.0' || host === '[::]')
    throw new BindingError('--allow-remote names the address browsers use; 0.0.0.0 is not one');
  return { host, port };
}

/**
 * Loopback (the default, `127.x`, `::1`, `localhost`) is always allowed; any other address only with
 * `allowRemote`, which names the Host the server will accept besides the loopback ones.
 */
export function resolveBinding(host: string | undefined, allowRemote: string | undefined): Binding {
  const given = (host ?? '127.0.0.1').trim();
  if (!given) throw new BindingError('--host is empty');
  const bare = given.replace(/^\[|\]$/g, '');
  if (isLoopbackHost(bare)) {
    if (allowRemote !== undefined)
      throw new BindingError(
        `--allow-remote is for a --host other machines can reach; ${given} is loopback, only this machine can`,
      );
    // `localhost` may resolve to anything /etc/hosts says: listen on the loopback address itself.
    const listenHost = bare.toLowerCase().endsWith('localhost') ? '127.0.0.1' : bare;
    return { listenHost, urlHost: bare.includes(':') ? `[${bare}]` : bare };
  }
  if (allowRemote === undefined) {
    throw new BindingError(
      `--host ${given} would let other machines reach Ferry over clear HTTP, with the token as the only ` +
        'protection; Ferry listens on loopback only unless you also pass --allow-remote HOST[:PORT] naming ' +
        'the address browsers will use',
    );
  }
  const remote = parseRemoteName(allowRemote);
  return { listenHost: bare, urlHost: remote.host, remote };
}

/** The warning printed when the host is reachable from other machines. */
export function remoteWarning(binding: Binding, url: string): string | undefined {
  if (!binding.remote) return undefined;
  return (
    `Warning: Ferry's web host listens on ${binding.listenHost} and answers to ${new URL(url).host} over clear HTTP ` +
    '(no TLS): the token in the URL is the only protection, and anyone who can see this traffic can read it ' +
    'and every key and object sent. Use it only on a network you trust, or over an SSH tunnel instead.'
  );
}
