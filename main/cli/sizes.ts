/**
 * Sizes as people type them: `8MiB`, `1GB`, `500KB`, `100k`, `1048576`. Binary units (KiB, MiB …)
 * are powers of 1024; decimal ones (KB, MB …) powers of 1000, as the storage services count them.
 * A bare `K`/`M`/`G` means binary, the way part sizes are usually meant.
 */
import { UsageError } from './errors';

const UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1024,
  m: 1024 ** 2,
  g: 1024 ** 3,
  t: 1024 ** 4,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  tib: 1024 ** 4,
  kb: 1000,
  mb: 1000 ** 2,
  gb: 1000 ** 3,
  tb: 1000 ** 4,
};

export function parseSize(text: string, what = 'size'): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(text);
  const unit = match ? UNITS[match[2]!.toLowerCase()] : undefined;
  if (!match || unit === undefined) {
    throw new UsageError(`${what} "${text}" is not a size (examples: 8MiB, 1GB, 500KB, 1048576)`);
  }
  const bytes = Number(match[1]) * unit;
  if (!Number.isSafeInteger(bytes) || bytes <= 0) {
    throw new UsageError(`${what} "${text}" must be a whole, positive number of bytes`);
  }
  return bytes;
}

/** `1.5 MiB`, `512 B`: binary units, to match what `--part-size` accepts. */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let value = bytes / 1024;
  let i = 0;
  while (value >= 1024 && i < units.length - 1) {
    value /= 1024;
    i++;
  }
  return `${value >= 100 ? value.toFixed(0) : value.toFixed(1)} ${units[i]}`;
}
