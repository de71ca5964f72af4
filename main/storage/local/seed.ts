/**
 * First-run content for the Local provider, so a fresh install has something to browse and copy
 * without any cloud account: two buckets, a few small files in folders, and one larger file whose copy
 * takes long enough to watch the progress bar.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const MARKER = path.join('.ferry', 'seeded');

function pseudoRandom(size: number, seed: number): Buffer {
  const buf = Buffer.allocUnsafe(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i += 4) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    buf.writeUInt32LE(x >>> 0, Math.min(i, size - 4));
  }
  return buf;
}

/** Seeds `root` once; returns true when it wrote the samples. Never touches an existing setup. */
export function seedLocalBuckets(root: string, options: { largeFileBytes?: number } = {}): boolean {
  if (existsSync(path.join(root, MARKER))) return false;
  mkdirSync(path.join(root, '.ferry'), { recursive: true });
  const files: Record<string, string | Buffer> = {
    'sample-photos/README.txt':
      'Sample bucket created by Ferry on first run. Drag anything here onto another bucket.\n',
    'sample-photos/2024/harbour.txt': 'A picture of a harbour would be here.\n',
    'sample-photos/2024/lighthouse.txt': 'A picture of a lighthouse would be here.\n',
    'sample-photos/2025/ferry at dawn.txt': 'Keys with spaces work too.\n',
    'sample-photos/2025/渡船.txt': 'Unicode keys work too.\n',
    'sample-photos/videos/crossing.bin': pseudoRandom(options.largeFileBytes ?? 48 * 1024 * 1024, 7),
    'sample-backup/README.txt': 'An empty-ish bucket to copy into.\n',
  };
  for (const [rel, body] of Object.entries(files)) {
    const file = path.join(root, ...rel.split('/'));
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, body);
  }
  writeFileSync(path.join(root, MARKER), new Date().toISOString());
  return true;
}
