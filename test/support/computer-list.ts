/**
 * `node --import tsx test/support/computer-list.ts STATE_DIR BUCKET PREFIX`: one shallow listing of
 * the computer provider, printed as JSON (`{ ok, keys }` or `{ ok: false, code, message }`). Run in
 * a child so a test can take away the permissions a root test runner would otherwise have.
 */
import { ComputerStore } from '../../main/storage/computer/computer-store';
import { StorageError } from '../../main/storage/errors';

async function main(): Promise<void> {
  const [stateDir = '', bucket = '', prefix = ''] = process.argv.slice(2);
  try {
    const page = await new ComputerStore(stateDir).listObjects(bucket, { prefix, delimiter: '/' });
    console.log(JSON.stringify({ ok: true, keys: [...page.prefixes, ...page.objects.map((o) => o.key)] }));
  } catch (err) {
    const e = err as StorageError;
    console.log(JSON.stringify({ ok: false, code: e.code, message: e.message }));
  }
}

void main();
