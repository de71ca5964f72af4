/**
 * CRC-64/XZ, the checksum OSS reports as `x-oss-hash-crc64ecma` (docs/PROTOCOL.md §6.2): reflected
 * polynomial 0xC96C5795D7870F42, init and final XOR all ones. The running value is kept as two
 * 32-bit halves with slicing-by-8 tables, because BigInt arithmetic per byte is far too slow for
 * verifying multi-gigabyte copies; BigInt is used only at the edges (digest, combine).
 */
import { Transform, type TransformCallback } from 'node:stream';

const POLY = 0xc96c5795d7870f42n;
const MASK = (1n << 64n) - 1n;

// LO[k * 256 + i] / HI[k * 256 + i]: CRC of byte i followed by k zero bytes (slicing-by-8).
const LO = new Uint32Array(8 * 256);
const HI = new Uint32Array(8 * 256);
for (let i = 0; i < 256; i++) {
  let c = BigInt(i);
  for (let bit = 0; bit < 8; bit++) c = c & 1n ? (c >> 1n) ^ POLY : c >> 1n;
  LO[i] = Number(c & 0xffffffffn);
  HI[i] = Number(c >> 32n);
}
for (let k = 1; k < 8; k++) {
  for (let i = 0; i < 256; i++) {
    const lo = LO[(k - 1) * 256 + i]!;
    const hi = HI[(k - 1) * 256 + i]!;
    const idx = lo & 0xff;
    LO[k * 256 + i] = (((lo >>> 8) | (hi << 24)) ^ LO[idx]!) >>> 0;
    HI[k * 256 + i] = ((hi >>> 8) ^ HI[idx]!) >>> 0;
  }
}

/** Incremental CRC-64/XZ. `new Crc64(previous)` continues a CRC computed over earlier bytes. */
export class Crc64 {
  // Internal (pre-final-XOR) register.
  private lo: number;
  private hi: number;

  constructor(previous: bigint | string = 0n) {
    const reg = ~BigInt(previous) & MASK;
    this.lo = Number(reg & 0xffffffffn);
    this.hi = Number(reg >> 32n);
  }

  update(data: Uint8Array): this {
    let lo = this.lo;
    let hi = this.hi;
    let i = 0;
    const n = data.length;
    for (; i + 8 <= n; i += 8) {
      lo ^= data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24);
      hi ^= data[i + 4]! | (data[i + 5]! << 8) | (data[i + 6]! << 16) | (data[i + 7]! << 24);
      const nlo =
        LO[7 * 256 + (lo & 0xff)]! ^
        LO[6 * 256 + ((lo >>> 8) & 0xff)]! ^
        LO[5 * 256 + ((lo >>> 16) & 0xff)]! ^
        LO[4 * 256 + (lo >>> 24)]! ^
        LO[3 * 256 + (hi & 0xff)]! ^
        LO[2 * 256 + ((hi >>> 8) & 0xff)]! ^
        LO[256 + ((hi >>> 16) & 0xff)]! ^
        LO[hi >>> 24]!;
      const nhi =
        HI[7 * 256 + (lo & 0xff)]! ^
        HI[6 * 256 + ((lo >>> 8) & 0xff)]! ^
        HI[5 * 256 + ((lo >>> 16) & 0xff)]! ^
        HI[4 * 256 + (lo >>> 24)]! ^
        HI[3 * 256 + (hi & 0xff)]! ^
        HI[2 * 256 + ((hi >>> 8) & 0xff)]! ^
        HI[256 + ((hi >>> 16) & 0xff)]! ^
        HI[hi >>> 24]!;
      lo = nlo;
      hi = nhi;
    }
    for (; i < n; i++) {
      const idx = (lo ^ data[i]!) & 0xff;
      lo = ((lo >>> 8) | (hi << 24)) ^ LO[idx]!;
      hi = (hi >>> 8) ^ HI[idx]!;
    }
    this.lo = lo >>> 0;
    this.hi = hi >>> 0;
    return this;
  }

  digest(): bigint {
    return ~((BigInt(this.hi >>> 0) << 32n) | BigInt(this.lo >>> 0)) & MASK;
  }

  /** Decimal, the form OSS sends in `x-oss-hash-crc64ecma`. */
  toString(): string {
    return this.digest().toString(10);
  }
}

export function crc64(data: Uint8Array, previous: bigint | string = 0n): bigint {
  return new Crc64(previous).update(data).digest();
}

function gf2Times(mat: bigint[], vec: bigint): bigint {
  let sum = 0n;
  for (let i = 0; vec !== 0n; i++, vec >>= 1n) if (vec & 1n) sum ^= mat[i]!;
  return sum;
}

function gf2Square(square: bigint[], mat: bigint[]): void {
  for (let n = 0; n < 64; n++) square[n] = gf2Times(mat, mat[n]!);
}

/**
 * crc(A‖B) from crc(A), crc(B) and len(B) (zlib's GF(2) matrix method): lets parts checksummed in
 * parallel, or part CRCs from ListParts, be checked against the whole object's CRC.
 */
export function crc64Combine(crc1: bigint | string, crc2: bigint | string, len2: number | bigint): bigint {
  let a = BigInt(crc1);
  const b = BigInt(crc2);
  let len = BigInt(len2);
  if (len === 0n) return a;
  const even: bigint[] = new Array<bigint>(64).fill(0n);
  const odd: bigint[] = new Array<bigint>(64).fill(0n);
  odd[0] = POLY;
  for (let n = 1, row = 1n; n < 64; n++, row <<= 1n) odd[n] = row;
  gf2Square(even, odd);
  gf2Square(odd, even);
  for (;;) {
    gf2Square(even, odd);
    if (len & 1n) a = gf2Times(even, a);
    len >>= 1n;
    if (len === 0n) break;
    gf2Square(odd, even);
    if (len & 1n) a = gf2Times(odd, a);
    len >>= 1n;
    if (len === 0n) break;
  }
  return a ^ b;
}

/** Parses a header value; undefined when absent or not a valid unsigned 64-bit decimal. */
export function parseCrc64(value: string | undefined): bigint | undefined {
  if (!value || !/^\d{1,20}$/.test(value.trim())) return undefined;
  const n = BigInt(value.trim());
  return n <= MASK ? n : undefined;
}

/** Pass-through stream that checksums what flows through it (`.crc` once finished). */
export class Crc64Stream extends Transform {
  readonly crc = new Crc64();
  bytes = 0;

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.crc.update(chunk);
    this.bytes += chunk.length;
    done(null, chunk);
  }
}
