/**
 * Addresses on the command line: `PROFILE:bucket/key`. The profile ends at the first `:`, the bucket at
 * the first `/`; everything after is the key, taken verbatim (spaces, `:`, unicode) because providers
 * never normalise keys. `PROFILE:` alone names the account itself (its buckets). A path on this
 * computer (`/…`, `./…`, `../…`, `~…`, `C:\…`) is an address of the computer provider (local-path.ts).
 */
import { BucketName, LIMITS } from '../../preload/shared/contract';
import { UsageError } from './errors';
import { currentPathContext, looksLikePath, parseLocalPath, type PathContext } from './local-path';

export interface Address {
  profile: string;
  /** Absent for `PROFILE:` alone. */
  bucket?: string;
  /** The key or prefix; '' for the bucket root. */
  key: string;
}

const FORMAT =
  'addresses look like PROFILE:bucket/key (for example local:photos/2024/a.jpg), or a path on this computer (/…, ./…, ../…, ~/…)';

export function parseAddress(text: string, paths: PathContext = currentPathContext()): Address {
  if (looksLikePath(text, paths.platform)) {
    const local = parseLocalPath(text, paths);
    if (Buffer.byteLength(local.key) > LIMITS.keyBytes)
      throw new UsageError(
        `the path "${text.slice(0, 60)}…" is longer than ${LIMITS.keyBytes} bytes of UTF-8`,
      );
    return local;
  }
  const colon = text.indexOf(':');
  if (colon < 0) throw new UsageError(`"${text}" is not an address: ${FORMAT}`);
  const profile = text.slice(0, colon);
  if (profile === '') throw new UsageError(`"${text}" has no account before the ":": ${FORMAT}`);
  const rest = text.slice(colon + 1);
  if (rest === '') return { profile, key: '' };
  const slash = rest.indexOf('/');
  const bucket = slash < 0 ? rest : rest.slice(0, slash);
  const key = slash < 0 ? '' : rest.slice(slash + 1);
  if (bucket === '') throw new UsageError(`"${text}" has no bucket after "${profile}:": ${FORMAT}`);
  const valid = BucketName.safeParse(bucket);
  if (!valid.success)
    throw new UsageError(`"${bucket}" is not a bucket name: ${valid.error.issues[0]?.message}`);
  if (Buffer.byteLength(key) > LIMITS.keyBytes) {
    throw new UsageError(
      `the key in "${text.slice(0, 60)}…" is longer than ${LIMITS.keyBytes} bytes of UTF-8`,
    );
  }
  return { profile, bucket, key };
}

/** Like parseAddress, for commands that need a bucket. */
export function parseBucketAddress(text: string): Address & { bucket: string } {
  const address = parseAddress(text);
  if (address.bucket === undefined) throw new UsageError(`"${text}" names no bucket: ${FORMAT}`);
  return address as Address & { bucket: string };
}

export function formatAddress(profile: string, bucket: string, key: string): string {
  return `${profile}:${bucket}/${key}`;
}
