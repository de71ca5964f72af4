import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { Crc64, Crc64Stream, crc64, crc64Combine, parseCrc64 } from '../../main/storage/crc64';

const A = Buffer.from('123456789');
const B = Buffer.from('This is a test of the emergency broadcast system.');

// Bit-at-a-time reference, independent of the table code under test.
function slowCrc64(data: Uint8Array): bigint {
  const poly = 0xc96c5795d7870f42n;
  let c = (1n << 64n) - 1n;
  for (const byte of data) {
    c ^= BigInt(byte);
    for (let i = 0; i < 8; i++) c = c & 1n ? (c >> 1n) ^ poly : c >> 1n;
  }
  return c ^ ((1n << 64n) - 1n);
}

test('CRC-64/XZ of "123456789" is the check value 0x995dc9bbdf1939fa (OSS vector)', () => {
  assert.equal(crc64(A), 0x995dc9bbdf1939fan);
  assert.equal(new Crc64().update(A).toString(), '11051210869376104954');
});

test('CRC-64/XZ matches the OSS vectors for the second string, the concatenation and empty input', () => {
  assert.equal(crc64(B), 0x27db187fc15bbc72n);
  assert.equal(crc64(Buffer.concat([A, B])), 0x6a7aa19fcbf48688n);
  assert.equal(crc64(Buffer.alloc(0)), 0n);
  assert.equal(new Crc64().toString(), '0');
});

test('combine of the two vector CRCs equals the CRC of the concatenation', () => {
  assert.equal(crc64Combine(crc64(A), crc64(B), B.length), 0x6a7aa19fcbf48688n);
  assert.equal(
    crc64Combine('11051210869376104954', crc64(B).toString(), BigInt(B.length)),
    0x6a7aa19fcbf48688n,
  );
  assert.equal(crc64Combine(crc64(A), 0n, 0), crc64(A));
});

test('a CRC continued from a previous value equals the CRC of the whole', () => {
  assert.equal(crc64(B, crc64(A)), crc64(Buffer.concat([A, B])));
  assert.equal(new Crc64(crc64(A).toString()).update(B).digest(), 0x6a7aa19fcbf48688n);
});

test('sliced updates of any length agree with the bit-at-a-time reference', () => {
  const data = randomBytes(4099);
  const expected = slowCrc64(data);
  for (const step of [1, 3, 7, 8, 9, 64, 1000, 4099]) {
    const crc = new Crc64();
    for (let i = 0; i < data.length; i += step) crc.update(data.subarray(i, i + step));
    assert.equal(crc.digest(), expected, `step ${step}`);
  }
});

test('combining CRCs of many random parts reproduces the whole-object CRC', () => {
  const parts = [randomBytes(100 * 1024 + 17), randomBytes(1), randomBytes(33333)];
  let combined = crc64(parts[0]!);
  for (const part of parts.slice(1)) combined = crc64Combine(combined, crc64(part), part.length);
  assert.equal(combined, crc64(Buffer.concat(parts)));
});

test('Crc64Stream passes data through unchanged and reports its CRC and length', async () => {
  const data = randomBytes(70_000);
  const tap = new Crc64Stream();
  const chunks: Buffer[] = [];
  await pipeline(
    Readable.from([data.subarray(0, 12345), data.subarray(12345)]),
    tap,
    new Writable({
      write(chunk: Buffer, _e, cb) {
        chunks.push(chunk);
        cb();
      },
    }),
  );
  assert.deepEqual(Buffer.concat(chunks), data);
  assert.equal(tap.bytes, data.length);
  assert.equal(tap.crc.digest(), crc64(data));
});

test('parseCrc64 accepts unsigned 64-bit decimals only', () => {
  assert.equal(parseCrc64('11051210869376104954'), 11051210869376104954n);
  assert.equal(parseCrc64(' 0 '), 0n);
  assert.equal(parseCrc64('18446744073709551616'), undefined);
  assert.equal(parseCrc64('-1'), undefined);
  assert.equal(parseCrc64('0x12'), undefined);
  assert.equal(parseCrc64(undefined), undefined);
});
