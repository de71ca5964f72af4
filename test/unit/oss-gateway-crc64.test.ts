/**
 * The OSS gateway's own CRC-64/XZ (test/servers/oss-gateway/crc64.ts) against the public vectors
 * (alibabacloud-oss-go-sdk-v2 `oss/utils_crc_test.go`, reproduced in PROTOCOL.md §6.2), and against
 * a bit-at-a-time BigInt reference for every length around its 8-byte fast path.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { crc64 } from '../servers/oss-gateway/crc64';

const A = Buffer.from('123456789');
const B = Buffer.from('This is a test of the emergency broadcast system.');

function reference(data: Uint8Array): bigint {
  const POLY = 0xc96c5795d7870f42n;
  let c = 0xffffffffffffffffn;
  for (const byte of data) {
    c ^= BigInt(byte);
    for (let k = 0; k < 8; k++) c = c & 1n ? (c >> 1n) ^ POLY : c >> 1n;
  }
  return c ^ 0xffffffffffffffffn;
}

test('the gateway CRC64 gives the Go SDK v2 vectors', () => {
  assert.equal(crc64(A), 0x995dc9bbdf1939fan);
  assert.equal(crc64(A).toString(), '11051210869376104954');
  assert.equal(crc64(B), 0x27db187fc15bbc72n);
  assert.equal(crc64(Buffer.concat([A, B])), 0x6a7aa19fcbf48688n);
  assert.equal(crc64(Buffer.alloc(0)), 0n);
});

test('the gateway CRC64 continues from a previous value (how appends and parts chain)', () => {
  assert.equal(crc64(B, crc64(A)), 0x6a7aa19fcbf48688n);
  const data = randomBytes(777);
  for (let cut = 0; cut <= data.length; cut += 37)
    assert.equal(crc64(data.subarray(cut), crc64(data.subarray(0, cut))), crc64(data));
});

test('the gateway CRC64 agrees with a bit-at-a-time reference at every length around its 8-byte steps', () => {
  const data = randomBytes(40);
  for (let n = 0; n <= data.length; n++)
    assert.equal(crc64(data.subarray(0, n)), reference(data.subarray(0, n)), `length ${n}`);
});
