/**
 * Part planning, kept apart from sending so it can be tested on its own and recomputed on resume:
 * a plan is fully described by (size, partSize), which is what a checkpoint stores.
 */
import type { ProviderCapabilities } from '../storage/provider';

export interface PlannedPart {
  number: number;
  /** First byte, inclusive. */
  start: number;
  /** Last byte, inclusive. */
  end: number;
}

export type PartLimits = Pick<ProviderCapabilities, 'minPartSize' | 'maxPartSize' | 'maxParts'>;

/**
 * The part size to use for an object: the preferred size, raised to the dialect's minimum and to
 * whatever keeps the part count within `maxParts` (docs/PROTOCOL.md §5.2), never above `maxPartSize`.
 */
export function choosePartSize(size: number, preferred: number, limits: PartLimits): number {
  let partSize = Math.max(preferred, limits.minPartSize, 1);
  partSize = Math.max(partSize, Math.ceil(size / limits.maxParts));
  if (partSize > limits.maxPartSize) {
    throw new RangeError(
      `an object of ${size} bytes cannot be split into at most ${limits.maxParts} parts of at most ${limits.maxPartSize} bytes`,
    );
  }
  return partSize;
}

/** Splits `size` bytes into consecutive parts of `partSize` (the last one shorter). An empty object has one empty part. */
export function planParts(size: number, partSize: number): PlannedPart[] {
  if (!Number.isSafeInteger(size) || size < 0) throw new RangeError(`invalid object size ${size}`);
  if (!Number.isSafeInteger(partSize) || partSize < 1) throw new RangeError(`invalid part size ${partSize}`);
  if (size === 0) return [{ number: 1, start: 0, end: -1 }];
  const parts: PlannedPart[] = [];
  for (let start = 0, number = 1; start < size; start += partSize, number++) {
    parts.push({ number, start, end: Math.min(start + partSize, size) - 1 });
  }
  return parts;
}

export const partLength = (part: PlannedPart): number => part.end - part.start + 1;
