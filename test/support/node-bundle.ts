/**
 * esbuild as the tests use it: one entry bundled into a CommonJS file Node runs, the way
 * scripts/build.mjs builds the hosts (Electron and the optional native WebSocket helpers left out).
 */
import path from 'node:path';
import { build, type BuildOptions } from 'esbuild';

export const repoRoot = path.resolve(__dirname, '..', '..');

export const nodeBundleOptions = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  logLevel: 'warning',
  external: ['electron', 'bufferutil', 'utf-8-validate'],
} satisfies BuildOptions;

/** Bundles `entry` (relative to the repository, or absolute) into `outfile`; `extra` overrides any option. */
export async function bundleForNode(entry: string, outfile: string, extra: BuildOptions = {}): Promise<void> {
  await build({
    ...nodeBundleOptions,
    entryPoints: [path.resolve(repoRoot, entry)],
    outfile,
    ...extra,
  });
}

/** The `ferry` CLI alone (the full build also needs the renderer, which CLI tests are not about). */
export function bundleCli(outfile: string, extra: BuildOptions = {}): Promise<void> {
  return bundleForNode('main/cli/index.ts', outfile, extra);
}
