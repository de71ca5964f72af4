#!/usr/bin/env node
// Builds Ferry: main process, web host and CLI with esbuild (bundled CommonJS for Node/Electron),
// the preload bridge (one file, as a sandboxed preload must be), and the renderer with Vite.
// `--if-needed` skips the build when dist/ is newer than every source file.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const dist = path.join(root, 'dist');

function newestSource() {
  let newest = 0;
  for (const dir of ['main', 'preload', 'renderer']) {
    for (const f of readdirSync(path.join(root, dir), { recursive: true })) {
      const full = path.join(root, dir, String(f));
      const st = statSync(full);
      if (st.isFile()) newest = Math.max(newest, st.mtimeMs);
    }
  }
  for (const f of ['package.json', 'package-lock.json'])
    newest = Math.max(newest, statSync(path.join(root, f)).mtimeMs);
  return newest;
}

const outputs = [
  'main/index.js',
  'main/web.js',
  'main/cli.js',
  'preload/index.js',
  'renderer/index.html',
].map((f) => path.join(dist, f));
if (process.argv.includes('--if-needed') && outputs.every(existsSync)) {
  const oldest = Math.min(...outputs.map((f) => statSync(f).mtimeMs));
  if (oldest > newestSource()) process.exit(0);
}

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
  // Electron is provided by the runtime; optional native helpers of ws stay optional.
  external: ['electron', 'bufferutil', 'utf-8-validate'],
};

const entries = [
  { in: 'main/electron/index.ts', out: 'main/index.js' },
  { in: 'main/web/index.ts', out: 'main/web.js' },
  { in: 'main/cli/index.ts', out: 'main/cli.js' },
];
for (const e of entries) {
  if (!existsSync(path.join(root, e.in))) continue;
  await build({ ...common, entryPoints: [path.join(root, e.in)], outfile: path.join(dist, e.out) });
}
await build({
  ...common,
  platform: 'browser',
  target: 'chrome120',
  entryPoints: [path.join(root, 'preload/index.ts')],
  outfile: path.join(dist, 'preload/index.js'),
});

const vite = spawnSync(
  process.execPath,
  [
    path.join(root, 'node_modules/vite/bin/vite.js'),
    'build',
    '--config',
    'renderer/vite.config.ts',
    '--logLevel',
    'warn',
  ],
  {
    cwd: root,
    stdio: 'inherit',
  },
);
if (vite.status !== 0) process.exit(vite.status ?? 1);
