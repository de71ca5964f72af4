/**
 * CRC-64 of what a streamed copy sends, computed while the bytes pass through (docs/PROTOCOL.md
 * §6.2): compared with the source's `x-oss-hash-crc64ecma` it shows the bytes read are the source's,
 * and with the destination's that the bytes arrived as sent. Computed only where an end has a CRC
 * to compare with (OSS on either side): elsewhere it would cost CPU and prove nothing.
 */
import { crc64Combine } from '../storage/crc64';
import type { ObjectCopyContext } from './context';
import type { DonePart } from './job';

export function streamsWithCrc(ctx: Pick<ObjectCopyContext, 'src' | 'dst'>): boolean {
  return ctx.src.store.capabilities.wholeObjectCrc64 || ctx.dst.store.capabilities.wholeObjectCrc64;
}

/**
 * The whole object's CRC-64 from its parts' (each the CRC of that part's bytes), or undefined when
 * a part has none (recorded by a version that did not keep them, or listed by a store that has none).
 */
export function combinedCrc64(parts: DonePart[], count: number): string | undefined {
  if (parts.length !== count) return undefined;
  const sorted = [...parts].sort((a, b) => a.number - b.number);
  let crc: bigint | undefined;
  for (const p of sorted) {
    if (!p.crc64) return undefined;
    crc = crc === undefined ? BigInt(p.crc64) : crc64Combine(crc, p.crc64, p.size);
  }
  return crc?.toString();
}
