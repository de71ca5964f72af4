/**
 * A copy whose destination lies inside its own source never ends: the folder listing meets the
 * copies the task made (`a/` into `a/` writes `a/a/…`, which the listing then hands out again as
 * `a/a/a/…`). The engine refuses such a task whoever asks — the contract, the CLI, a retry, a
 * checkpoint reloaded after a restart — on every provider; the renderer's own check only spares
 * the user a dialog.
 */
import type { CopyOptions, CopySource, Location } from '../../preload/shared/contract';
import { StorageError } from '../storage/errors';

export interface CopyRequestShape {
  kind: 'object' | 'folder' | 'delete';
  /** For a folder: its prefix, ending in `/` (or empty: the whole bucket). */
  source: Pick<CopySource, 'profileId' | 'bucket' | 'key' | 'versionId'>;
  destination: Pick<Location, 'profileId' | 'bucket'>;
  /** Where the task writes: the object's key, or the folder prefix its objects go under. */
  destinationKey: string;
  options: Pick<CopyOptions, 'conflict' | 'move'>;
}

/**
 * Why the task would copy into itself, or undefined. Same account and bucket only: a destination
 * prefix starting with the source folder's prefix (a whole-bucket source contains every prefix).
 * Onto itself exactly — the folder into its own parent — is a no-op with "skip if same" and allowed;
 * with any other policy it would rewrite every object onto itself, invent `name (1)` copies the
 * listing would meet again (keep-both), or, for a move, delete what it just "copied".
 */
export function selfCopyProblem(task: CopyRequestShape): string | undefined {
  const { source, destination, destinationKey, options } = task;
  if (task.kind === 'delete') return undefined;
  if (source.profileId !== destination.profileId || source.bucket !== destination.bucket) return undefined;
  const where = (key: string) => `${source.profileId}:${source.bucket}/${key}`;
  if (task.kind === 'folder') {
    const prefix = source.key;
    if (!destinationKey.startsWith(prefix)) return undefined;
    if (destinationKey !== prefix)
      return `the folder "${where(prefix)}" cannot be copied into itself: "${where(destinationKey)}" lies inside it, so the copy would meet its own copies and never end`;
    if (options.move) return `moving the folder "${where(prefix)}" onto itself would only delete it`;
    if (options.conflict !== 'skip-if-same')
      return `the folder "${where(prefix)}" would be copied onto itself; choose another destination (only "skip if same" makes this a no-op)`;
    return undefined;
  }
  if (destinationKey !== source.key) return undefined;
  if (options.move) return `moving "${where(source.key)}" onto itself would only delete it`;
  // An older version copied over its own key is how a version is restored.
  if (options.conflict === 'overwrite' && !source.versionId)
    return `"${where(source.key)}" would be copied onto itself`;
  return undefined;
}

export function assertNotIntoItself(task: CopyRequestShape): void {
  const problem = selfCopyProblem(task);
  if (problem) throw new StorageError({ status: 400, code: 'CopyIntoItself', message: problem });
}
