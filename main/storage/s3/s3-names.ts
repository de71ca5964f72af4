/**
 * Bucket names and keys an S3 server would refuse — or answer confusingly — are refused before any
 * request is sent, with a message that says what is wrong. Without this, Ceph RGW answers a GET on
 * bucket `a..b` with NoSuchKey, a key holding NUL with a bare 400 BadRequest, and a key over the
 * 1,024-byte limit with 500s that are retried as if transient.
 */
import { StorageError } from '../errors';

const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;
const MAX_KEY_BYTES = 1024;

/** Why `bucket` is not an S3 bucket name (AWS naming rules), or undefined when it is one. */
export function bucketNameProblem(bucket: string): string | undefined {
  if (bucket.length < 3 || bucket.length > 63) return 'bucket names are 3 to 63 characters long';
  if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(bucket))
    return 'bucket names are lower-case letters, digits, dots and hyphens, and start and end with a letter or digit';
  if (bucket.includes('..')) return 'a bucket name cannot hold two dots in a row';
  if (bucket.includes('.-') || bucket.includes('-.'))
    return 'a bucket name cannot hold a dot next to a hyphen';
  if (IPV4.test(bucket)) return 'a bucket name cannot look like an IP address';
  return undefined;
}

/** Why `key` cannot be sent as an S3 key, or undefined when it can. */
export function keyProblem(key: string): string | undefined {
  const bytes = Buffer.byteLength(key, 'utf8');
  if (bytes > MAX_KEY_BYTES)
    return `the key is ${bytes} bytes long; S3 keys are at most ${MAX_KEY_BYTES} bytes of UTF-8`;
  if (key.includes('\u0000')) return 'the key holds a NUL character (U+0000), which S3 servers refuse';
  if (/[\ud800-\udfff]/.test(key.replace(/[\ud800-\udbff][\udc00-\udfff]/g, '')))
    return 'the key holds a lone UTF-16 surrogate, which has no UTF-8 form';
  return undefined;
}

/** Throws a 400 StorageError naming the bucket or key and what is wrong with it. */
export function assertS3Names(operation: string, bucket?: string, key?: string): void {
  if (bucket !== undefined) {
    const problem = bucketNameProblem(bucket);
    if (problem)
      throw new StorageError({
        status: 400,
        code: 'InvalidBucketName',
        message: `${operation}: "${bucket}" is not a valid bucket name: ${problem}`,
      });
  }
  if (key !== undefined) {
    const problem = keyProblem(key);
    if (problem) {
      const shown = key.length > 60 ? `${key.slice(0, 60)}…` : key;
      throw new StorageError({
        status: 400,
        code: Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES ? 'KeyTooLongError' : 'InvalidObjectName',
        message: `${operation}: ${JSON.stringify(shown)}: ${problem}`,
      });
    }
  }
}
