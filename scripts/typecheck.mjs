#!/usr/bin/env node
// `npm run typecheck`: each process's config (listed as references in tsconfig.json) checked on
// its own, so the renderer sees DOM globals only, main/CLI/preload see Node's, shared code neither.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
// tsconfig.json has comments, which JSON.parse does not take.
const solution = readFileSync(path.join(root, 'tsconfig.json'), 'utf8').replace(/^\s*\/\/.*$/gm, '');
const projects = JSON.parse(solution).references.map((ref) => ref.path);
const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
let failed = 0;
for (const project of projects) {
  const r = spawnSync(process.execPath, [tsc, '-p', project, ...process.argv.slice(2)], {
    cwd: root,
    stdio: 'inherit',
  });
  if (r.status !== 0) {
    console.error(`typecheck failed: ${project}`);
    failed++;
  }
}
process.exit(failed ? 1 : 0);
