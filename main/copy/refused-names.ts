/**
 * An object whose name a service refuses (too long for it, a leading `/` on OSS, a NUL on S3) is one
 * object's problem, not the folder's: a folder copy reports it and copies the rest. It stays in the
 * checkpoint's unfinished jobs, so a retry tries it again (and says the same) without touching the
 * objects already copied.
 */
import { StorageError } from '../storage/errors';
import type { ObjectJob } from './job';

const NAME_CODES = new Set(['InvalidObjectName', 'KeyTooLongError']);

export function isRefusedName(err: unknown): err is StorageError {
  return err instanceof StorageError && err.status === 400 && NAME_CODES.has(err.code);
}

const SHOWN = 3;

/** One error for the task that names the refused objects (the first few) and why. */
export function refusedNamesError(refused: { job: ObjectJob; err: StorageError }[]): StorageError {
  const first = refused[0]!.err;
  const lines = refused.slice(0, SHOWN).map(({ err }) => err.message);
  const more = refused.length > SHOWN ? `; and ${refused.length - SHOWN} more` : '';
  const count = refused.length === 1 ? '1 object was' : `${refused.length} objects were`;
  return new StorageError({
    status: 400,
    code: first.code,
    message: `${count} not copied because the service refuses the name (the other objects were copied): ${lines.join('; ')}${more}`,
  });
}
