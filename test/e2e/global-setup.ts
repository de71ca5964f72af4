// Builds the app once before the suite (a no-op when dist/ is newer than the sources).
import { spawnSync } from 'node:child_process';
import path from 'node:path';

export default function globalSetup(): void {
  const root = path.join(__dirname, '..', '..');
  const r = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs'), '--if-needed'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (r.status !== 0) throw new Error('the build failed; the end-to-end tests need dist/');
}
