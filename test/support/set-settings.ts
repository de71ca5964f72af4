/**
 * A second process changing one setting many times (run with `node --import tsx`): what another
 * Ferry sharing the data folder does. Usage: set-settings.ts SETTINGS_FILE FIELD FIRST LAST
 */
import { SettingsStore } from '../../main/core/settings';

async function main(): Promise<void> {
  const [file, field, first, last] = process.argv.slice(2);
  const store = new SettingsStore(file!);
  for (let n = Number(first); n <= Number(last); n++) await store.set({ [field!]: n });
}

main().catch((err: Error) => {
  process.stderr.write(`${err.stack ?? err.message}\n`);
  process.exit(1);
});
