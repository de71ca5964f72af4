/**
 * The parts of an OSS request that its signatures cover, shared by the V1 and V4 signers and the
 * presigners. Values are the logical (Unicode) strings: the signers hash their UTF-8 bytes, and the
 * transport sends the same UTF-8 bytes on the wire (docs/PROTOCOL.md §1.1), so the two always agree.
 */

export interface OssCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  /** STS token; sent as `x-oss-security-token` (header auth) or in the query (presigned URLs). */
  securityToken?: string;
}

export interface OssSignable {
  method: string;
  /** Absent for service-level calls (GetService). */
  bucket?: string;
  /** Absent or '' for bucket-level calls. Exactly as the user gave it — never normalised. */
  key?: string;
  /** Decoded query parameters; '' means a bare name (`?uploads`). */
  query: Record<string, string>;
  /** Header names in lower case. */
  headers: Record<string, string>;
}

/** The resource both signature versions start from: `/`, `/bucket/` or `/bucket/key`. */
export function ossResourcePath(bucket?: string, key?: string): string {
  if (!bucket) return '/';
  return `/${bucket}/${key ?? ''}`;
}

/** Byte-order comparison, as the servers sort (not `localeCompare`). */
export function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** RFC 1123 GMT date, the V1 `Date` header format (`Wed, 28 Dec 2022 10:27:41 GMT`). */
export function rfc1123(ms: number): string {
  return new Date(ms).toUTCString();
}

/** ISO 8601 basic UTC timestamp, the V4 `x-oss-date` format (`20231216T162057Z`). */
export function iso8601Basic(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}
