/**
 * Percent-encoding for object-store requests, shared by the S3 and OSS dialects. Keys are encoded
 * byte-for-byte from UTF-8 with the RFC 3986 unreserved set, so `+`, `%`, `?`, `#`, `&`, spaces and
 * `..`/`//` segments reach the server unchanged (docs/PROTOCOL.md §1.1, §1.5, §4.1). Nothing here goes
 * through `new URL()`, which would normalise dot segments and rewrite the key.
 */

const HEX = '0123456789ABCDEF';

function isUnreserved(byte: number): boolean {
  return (
    (byte >= 0x41 && byte <= 0x5a) || // A-Z
    (byte >= 0x61 && byte <= 0x7a) || // a-z
    (byte >= 0x30 && byte <= 0x39) || // 0-9
    byte === 0x2d || // -
    byte === 0x2e || // .
    byte === 0x5f || // _
    byte === 0x7e // ~
  );
}

function encodeBytes(value: string, keepSlash: boolean): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    if (isUnreserved(byte) || (keepSlash && byte === 0x2f)) out += String.fromCharCode(byte);
    else out += '%' + HEX[byte >> 4] + HEX[byte & 15];
  }
  return out;
}

/** RFC 3986 encoding of one query name or value: everything but `A-Za-z0-9-._~` becomes `%XX`. */
export function encodeRfc3986(value: string): string {
  return encodeBytes(value, false);
}

/** Encodes an object key (or any path) for the request line, keeping `/` as the separator. */
export function encodePath(path: string): string {
  return encodeBytes(path, true);
}

/** One query parameter; an empty value is a sub-resource such as `uploads` or `delete`. */
export type QueryParam = readonly [name: string, value: string];

export interface QueryFormat {
  /** S3 writes empty values as `name=`, OSS V4 as `name` (docs/PROTOCOL.md §1.4). */
  emptyValueEquals: boolean;
}

/**
 * The canonical query string: names and values RFC 3986-encoded, sorted by name then value. It is
 * sent exactly as signed, so the wire and the signature can never disagree.
 */
export function formatQuery(
  params: readonly QueryParam[],
  format: QueryFormat = { emptyValueEquals: true },
): string {
  return params
    .map(([name, value]) => [encodeRfc3986(name), encodeRfc3986(value)] as const)
    .sort(([an, av], [bn, bv]) => (an < bn ? -1 : an > bn ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([name, value]) => (value === '' && !format.emptyValueEquals ? name : `${name}=${value}`))
    .join('&');
}

/**
 * The value of `x-amz-copy-source` / `x-oss-copy-source`: bucket, then the key encoded with `/`
 * kept (the form every service accepts, docs/PROTOCOL.md §4.1), then an optional version id.
 */
export function encodeCopySource(
  bucket: string,
  key: string,
  versionId?: string,
  leadingSlash = false,
): string {
  const source = `${leadingSlash ? '/' : ''}${bucket}/${encodePath(key)}`;
  return versionId ? `${source}?versionId=${encodeRfc3986(versionId)}` : source;
}

/**
 * Decodes a field of a listing made with `encoding-type=url` (docs/PROTOCOL.md §3.3). Services write a
 * space as `+` and a literal `+` as `%2B`, so `+` → space is safe.
 */
export function decodeUrlEncoded(value: string): string {
  return decodeURIComponent(value.replace(/\+/g, '%20'));
}

/**
 * HTTP header values travel as bytes and undici reads and writes them as latin1 strings (one char per
 * byte). These two convert between a JS string and that byte-per-char form, so non-ASCII metadata
 * goes out as UTF-8 bytes and comes back as the same text (docs/PROTOCOL.md §1.1).
 */
export function toHeaderBytes(value: string): string {
  return Buffer.from(value, 'utf8').toString('latin1');
}

export function fromHeaderBytes(value: string): string {
  // Pure ASCII needs no work; anything else is re-read as the UTF-8 bytes it was on the wire.
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\x7f]*$/.test(value)) return value;
  const bytes = Buffer.from(value, 'latin1');
  const text = bytes.toString('utf8');
  // A value that is not valid UTF-8 (a server sending real latin1) stays as it arrived.
  return Buffer.from(text, 'utf8').equals(bytes) ? text : value;
}
