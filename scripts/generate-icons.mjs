#!/usr/bin/env node
// Draws Ferry's icon (a ferry hull on waves in a rounded square) as PNGs with node's zlib only, so the
// installers have icons without an image toolchain. Usage: node scripts/generate-icons.mjs
import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { deflateSync } from 'node:zlib';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** RGBA colour of pixel (x, y) in an icon of `size` pixels, drawn in unit coordinates. */
function pixel(x, y, size) {
  const u = (x + 0.5) / size;
  const v = (y + 0.5) / size;
  const r = 0.18; // corner radius of the rounded square
  const dx = Math.max(r - u, 0, u - (1 - r));
  const dy = Math.max(r - v, 0, v - (1 - r));
  if (dx * dx + dy * dy > r * r) return [0, 0, 0, 0];
  const wave = 0.7 + 0.025 * Math.sin(u * Math.PI * 6);
  if (v > wave) return [18, 92, 168, 255]; // sea
  const hull = v > 0.55 && v <= wave && u > 0.2 + (v - 0.55) * 0.8 && u < 0.8 - (v - 0.55) * 0.8;
  if (hull) return [250, 250, 250, 255];
  const cabin = v > 0.42 && v <= 0.55 && u > 0.36 && u < 0.64;
  if (cabin) return [255, 196, 61, 255];
  const funnel = v > 0.3 && v <= 0.42 && u > 0.46 && u < 0.54;
  if (funnel) return [230, 72, 60, 255];
  return [40, 150, 220, 255]; // sky
}

export function iconPng(size) {
  const rows = [];
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 4);
    for (let x = 0; x < size; x++) Buffer.from(pixel(x, y, size)).copy(row, 1 + x * 4);
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows), { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

if (process.argv[1] === new URL(import.meta.url).pathname) {
  mkdirSync(path.join(root, 'build', 'icons'), { recursive: true });
  // electron-builder picks `build/icon.png` (≥512) for macOS/Windows and the sized set for Linux.
  writeFileSync(path.join(root, 'build', 'icon.png'), iconPng(512));
  for (const size of [512, 256])
    writeFileSync(path.join(root, 'build', 'icons', `${size}x${size}.png`), iconPng(size));
  console.log('wrote build/icon.png and build/icons/{512x512,256x256}.png');
}
