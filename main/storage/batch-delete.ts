/**
 * Batch delete for both dialects. A key XML 1.0 cannot hold (a C0 control character other than tab,
 * LF or CR; docs/PROTOCOL.md §3.5) never goes into the `<Delete>` document — written raw the whole
 * batch is refused, and it has no legal character reference either — so it is deleted on its own,
 * where the key travels percent-encoded in the path. Every other key goes in batches of 1,000, its
 * tab, LF and CR as character references (`escapeXmlText`).
 */
import { StorageError } from './errors';
import { fitsXml } from './xml';

export interface DeleteFailure {
  key: string;
  code: string;
  message: string;
}

export const DELETE_BATCH = 1000;

export async function deleteInBatches(
  keys: string[],
  deleteOne: (key: string) => Promise<void>,
  deleteBatch: (batch: string[]) => Promise<DeleteFailure[]>,
): Promise<DeleteFailure[]> {
  const failed: DeleteFailure[] = [];
  const batchable: string[] = [];
  for (const key of keys) {
    if (fitsXml(key)) {
      batchable.push(key);
      continue;
    }
    try {
      await deleteOne(key);
    } catch (err) {
      if (!(err instanceof StorageError)) throw err;
      failed.push({ key, code: err.code, message: err.message });
    }
  }
  for (let i = 0; i < batchable.length; i += DELETE_BATCH) {
    failed.push(...(await deleteBatch(batchable.slice(i, i + DELETE_BATCH))));
  }
  return failed;
}
