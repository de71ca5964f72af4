/**
 * What a script can rely on: exit 0 when the operation worked, 1 when it failed (the service's error
 * code, message and request id on stderr), 2 when the command line itself was wrong.
 */
import { ProfileError } from '../accounts/profiles';
import { errorInfo, isStorageError, type Redact } from '../storage/errors';

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/** A mistake on the command line: bad address, bad size, unknown option. Exits 2. */
export class UsageError extends Error {
  readonly exitCode = EXIT_USAGE;
}

/** The operation ran and did not succeed (a task failed, nothing matched). Exits 1. */
export class OperationFailed extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly requestId?: string,
    /** True when the details were already printed (a failed task's own error lines). */
    readonly reported = false,
  ) {
    super(message);
  }
}

export interface ErrorShape {
  code: string;
  message: string;
  requestId?: string;
}

/** `NoSuchBucket: The specified bucket does not exist (request id tx00…)` */
export function describeError(err: ErrorShape): string {
  const id = err.requestId ? ` (request id ${err.requestId})` : '';
  return `${err.code}: ${err.message}${id}`;
}

/**
 * `redact` is the session's when one is open; a StorageError that ends a command was already
 * redacted by withSession (commands/common.ts) while the session knew the secrets.
 */
export function errorShape(err: unknown, redact: Redact = (s) => s): ErrorShape {
  if (err instanceof OperationFailed)
    return { code: err.code, message: err.message, requestId: err.requestId };
  const info = errorInfo(err, redact);
  if (isStorageError(err)) return { code: info.code, message: info.message, requestId: info.requestId };
  if (err instanceof ProfileError) return { code: info.code, message: info.message };
  const e = err as { path?: unknown };
  const code = info.code;
  let message = info.message;
  // Node's file errors read "ENOSPC: no space left on device, write": the code is printed once, and
  // the file is named where the message leaves it out.
  if (message.startsWith(`${code}: `)) message = message.slice(code.length + 2);
  if (typeof e?.path === 'string' && !message.includes(e.path)) message += ` (${e.path})`;
  return { code, message };
}
