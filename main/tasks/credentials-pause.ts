/**
 * Temporary credentials (OSS STS, AWS session tokens) expire, often in the middle of a long copy.
 * That is not a failure of the copy: the task pauses, keeps every finished part and upload, says
 * which account needs new keys, and runs on once that account is saved again (profile save →
 * `CopyEngine.credentialsRenewed`). Revoked permanent keys (`InvalidAccessKeyId`) are treated the
 * same way: the remedy — new keys for the account — is the same.
 */
import type { CredentialsExpired } from '../../preload/shared/contract';
import { errorInfo, isStorageError, type Redact } from '../storage/errors';
import type { Endpoint } from '../copy/context';

/** OSS (`SecurityTokenExpired`, `InvalidSecurityToken`, `InvalidAccessKeyId`) and S3 (`ExpiredToken`, …) codes. */
const EXPIRED_CODES = new Set([
  'SecurityTokenExpired',
  'InvalidSecurityToken',
  'InvalidAccessKeyId',
  'ExpiredToken',
  'InvalidToken',
  'TokenRefreshRequired',
]);

export function credentialsExpired(err: unknown): boolean {
  return isStorageError(err) && (err.status === 400 || err.status === 403) && EXPIRED_CODES.has(err.code);
}

/**
 * Which account's keys were refused. With one cloud account at either end it is that one; with two,
 * each is asked for one key of its bucket and the one refused with the same kind of code is named.
 */
export async function expiredAccount(
  err: unknown,
  src: Endpoint,
  dst: Endpoint,
  redact: Redact,
): Promise<CredentialsExpired> {
  const info = errorInfo(err, redact);
  const candidates = [src, dst].filter((e) => e.store.kind !== 'local');
  let account = candidates[0] ?? dst;
  if (candidates.length === 2 && src.profileId !== dst.profileId) {
    for (const end of candidates) {
      try {
        await end.store.listObjects(end.bucket, { maxKeys: 1 }, { signal: AbortSignal.timeout(15_000) });
      } catch (probe) {
        if (credentialsExpired(probe)) {
          account = end;
          break;
        }
      }
    }
  }
  return { profileId: account.profileId, code: info.code, message: info.message };
}
