/**
 * Object keys OSS refuses are refused before any request is sent, with a message that says what is
 * wrong (docs/PROTOCOL.md §2.1): 1 to 1,023 bytes of UTF-8, not starting with `/` or `\`. Sent anyway,
 * OSS answers 400 InvalidObjectName (or a long key a bare 400) only after the source was read.
 */
import { StorageError } from '../errors';

export const OSS_MAX_KEY_BYTES = 1023;

/** Why `key` cannot be an OSS object name, or undefined when it can. */
export function ossKeyProblem(key: string): string | undefined {
  if (key === '') return 'an object name cannot be empty';
  const bytes = Buffer.byteLength(key, 'utf8');
  if (bytes > OSS_MAX_KEY_BYTES)
    return `the name is ${bytes} bytes long; OSS object names are at most ${OSS_MAX_KEY_BYTES} bytes of UTF-8`;
  if (key.startsWith('/')) return 'OSS object names cannot start with "/"';
  if (key.startsWith('\\')) return 'OSS object names cannot start with "\\"';
  if (/[\ud800-\udfff]/.test(key.replace(/[\ud800-\udbff][\udc00-\udfff]/g, '')))
    return 'the name holds a lone UTF-16 surrogate, which has no UTF-8 form';
  return undefined;
}

/** Throws a 400 StorageError naming the key and what is wrong with it. */
export function assertOssKey(key: string): void {
  const problem = ossKeyProblem(key);
  if (!problem) return;
  const shown = key.length > 60 ? `${key.slice(0, 60)}…` : key;
  throw new StorageError({
    status: 400,
    code: Buffer.byteLength(key, 'utf8') > OSS_MAX_KEY_BYTES ? 'KeyTooLongError' : 'InvalidObjectName',
    message: `${JSON.stringify(shown)} cannot be stored on OSS: ${problem}`,
  });
}
