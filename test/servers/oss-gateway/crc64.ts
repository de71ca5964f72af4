/**
 * CRC-64/XZ, which OSS calls crc64ecma (`x-oss-hash-crc64ecma`): reflected polynomial
 * 0xC96C5795D7870F42, init and final XOR all ones. The gateway's own implementation — deliberately
 * not Ferry's `main/storage/crc64.ts`, so the two are checked against each other and against the
 * public vectors instead of against themselves. The 64-bit state is kept as two 32-bit halves so a
 * byte costs a few integer operations, not BigInt arithmetic.
 */
const POLY_LO = 0xd7870f42;
const POLY_HI = 0xc96c5795;
const TABLE_LO = new Uint32Array(256);
const TABLE_HI = new Uint32Array(256);
for (let i = 0; i < 256; i++) {
  let lo = i;
  let hi = 0;
  for (let k = 0; k < 8; k++) {
    const carry = lo & 1;
    lo = ((lo >>> 1) | ((hi & 1) << 31)) >>> 0;
    hi = hi >>> 1;
    if (carry) {
      lo = (lo ^ POLY_LO) >>> 0;
      hi = (hi ^ POLY_HI) >>> 0;
    }
  }
  TABLE_LO[i] = lo;
  TABLE_HI[i] = hi;
}
// Slicing-by-8: table k gives the effect of a byte followed by k zero bytes, so eight bytes are
// folded in one step (several times faster than a byte at a time).
const SLICE_LO = [TABLE_LO];
const SLICE_HI = [TABLE_HI];
for (let k = 1; k < 8; k++) {
  const prevLo = SLICE_LO[k - 1]!;
  const prevHi = SLICE_HI[k - 1]!;
  const lo = new Uint32Array(256);
  const hi = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    const index = prevLo[i]! & 0xff;
    lo[i] = (((prevLo[i]! >>> 8) | (prevHi[i]! << 24)) ^ TABLE_LO[index]!) >>> 0;
    hi[i] = ((prevHi[i]! >>> 8) ^ TABLE_HI[index]!) >>> 0;
  }
  SLICE_LO.push(lo);
  SLICE_HI.push(hi);
}
const [L0, L1, L2, L3, L4, L5, L6, L7] = SLICE_LO as [
  Uint32Array,
  Uint32Array,
  Uint32Array,
  Uint32Array,
  Uint32Array,
  Uint32Array,
  Uint32Array,
  Uint32Array,
];
const [H0, H1, H2, H3, H4, H5, H6, H7] = SLICE_HI as [
  Uint32Array,
  Uint32Array,
  Uint32Array,
  Uint32Array,
  Uint32Array,
  Uint32Array,
  Uint32Array,
  Uint32Array,
];

/** A running CRC-64/XZ; `new Crc64(previous)` continues the CRC of data that came before. */
export class Crc64 {
  private lo: number;
  private hi: number;

  constructor(previous = 0n) {
    const inverted = ~previous & 0xffffffffffffffffn;
    this.lo = Number(inverted & 0xffffffffn);
    this.hi = Number(inverted >> 32n);
  }

  update(data: Uint8Array): this {
    let lo = this.lo;
    let hi = this.hi;
    let i = 0;
    for (const end = data.length - 7; i < end; i += 8) {
      const a = (lo ^ (data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24))) >>> 0;
      const b =
        (hi ^ (data[i + 4]! | (data[i + 5]! << 8) | (data[i + 6]! << 16) | (data[i + 7]! << 24))) >>> 0;
      lo =
        (L7[a & 0xff]! ^
          L6[(a >>> 8) & 0xff]! ^
          L5[(a >>> 16) & 0xff]! ^
          L4[a >>> 24]! ^
          L3[b & 0xff]! ^
          L2[(b >>> 8) & 0xff]! ^
          L1[(b >>> 16) & 0xff]! ^
          L0[b >>> 24]!) >>>
        0;
      hi =
        (H7[a & 0xff]! ^
          H6[(a >>> 8) & 0xff]! ^
          H5[(a >>> 16) & 0xff]! ^
          H4[a >>> 24]! ^
          H3[b & 0xff]! ^
          H2[(b >>> 8) & 0xff]! ^
          H1[(b >>> 16) & 0xff]! ^
          H0[b >>> 24]!) >>>
        0;
    }
    for (; i < data.length; i++) {
      const index = (lo ^ data[i]!) & 0xff;
      lo = (((lo >>> 8) | (hi << 24)) ^ TABLE_LO[index]!) >>> 0;
      hi = ((hi >>> 8) ^ TABLE_HI[index]!) >>> 0;
    }
    this.lo = lo;
    this.hi = hi;
    return this;
  }

  /** The unsigned 64-bit value (OSS sends it in decimal). */
  digest(): bigint {
    return ((BigInt(~this.hi >>> 0) << 32n) | BigInt(~this.lo >>> 0)) & 0xffffffffffffffffn;
  }
}

export function crc64(data: Uint8Array, previous = 0n): bigint {
  return new Crc64(previous).update(data).digest();
}
