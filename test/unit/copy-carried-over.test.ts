/**
 * What a copy sends again because no copy inherits it (main/copy/carried-over.ts): server-side
 * encryption within and across accounts and providers, and the storage class of multipart and
 * streamed copies. Also the CRC-64 verdicts a copy reaches without a look (main/copy/verify.ts).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encryptionFor, storageClassFor } from '../../main/copy/carried-over';
import { combinedCrc64 } from '../../main/copy/crc-check';
import { crcVerdict } from '../../main/copy/verify';
import { crc64 } from '../../main/storage/crc64';
import type { ObjectHead } from '../../main/storage/provider';

const head = (storageClass?: string): ObjectHead => ({
  key: 'k',
  size: 1,
  etag: 'e',
  lastModified: '',
  ...(storageClass ? { storageClass } : {}),
  metadata: { userMeta: {} },
});

describe('server-side encryption carried over', () => {
  const kms = { algorithm: 'KMS', kmsKeyId: 'key-1' };

  it('is kept whole within one account and region, key id included', () => {
    const warnings: string[] = [];
    assert.deepEqual(
      encryptionFor(kms, 'oss', 'oss', true, 'a', (m) => warnings.push(m)),
      kms,
    );
    assert.deepEqual(warnings, []);
  });

  it('keeps the algorithm but not a KMS key of another account or region, and says so', () => {
    const warnings: string[] = [];
    assert.deepEqual(
      encryptionFor(kms, 'oss', 'oss', false, 'a', (m) => warnings.push(m)),
      { algorithm: 'KMS' },
    );
    assert.match(warnings.join(), /key-1.*destination's default key/);
  });

  it('travels between OSS and S3 only as AES256; anything else is named in a warning', () => {
    const warnings: string[] = [];
    const warn = (m: string) => warnings.push(m);
    assert.deepEqual(encryptionFor({ algorithm: 'AES256' }, 'oss', 's3', false, 'a', warn), {
      algorithm: 'AES256',
    });
    assert.equal(encryptionFor({ algorithm: 'SM4' }, 'oss', 's3', false, 'b', warn), undefined);
    assert.equal(encryptionFor({ algorithm: 'aws:kms' }, 's3', 'oss', false, 'c', warn), undefined);
    assert.equal(encryptionFor({ algorithm: 'AES256' }, 's3', 'local', false, 'd', warn), undefined);
    assert.equal(warnings.length, 3);
    assert.match(warnings[0]!, /"b" is encrypted with SM4, which S3 does not offer/);
    assert.match(warnings[2]!, /"d".*the Local copy is not encrypted/);
  });

  it('asks nothing of an object that is not encrypted', () => {
    assert.equal(
      encryptionFor(undefined, 'oss', 's3', false, 'a', () => assert.fail('warned')),
      undefined,
    );
  });
});

describe('storage class of multipart and streamed copies', () => {
  it("is the one chosen, else the source's within one dialect", () => {
    assert.equal(storageClassFor('Archive', head('IA'), 'oss', 'oss'), 'Archive');
    assert.equal(storageClassFor(undefined, head('IA'), 'oss', 'oss'), 'IA');
    assert.equal(storageClassFor(undefined, head('Standard'), 'oss', 'oss'), 'Standard');
    assert.equal(storageClassFor(undefined, head('GLACIER_IR'), 's3', 's3'), 'GLACIER_IR');
  });

  it("is not sent across dialects, to Local, or as S3's default STANDARD", () => {
    assert.equal(storageClassFor(undefined, head('IA'), 'oss', 's3'), undefined);
    assert.equal(storageClassFor(undefined, head('STANDARD_IA'), 's3', 'local'), undefined);
    assert.equal(storageClassFor(undefined, head('STANDARD'), 's3', 's3'), undefined);
    assert.equal(storageClassFor(undefined, head(), 'oss', 'oss'), undefined);
  });
});

describe('CRC-64 verdicts without a look', () => {
  const fp = { size: 3, etag: 'e', lastModified: '', crc64: '100' };

  it("an answer with the source's CRC proves the copy; another CRC is a mismatch whatever the ETag", () => {
    assert.equal(crcVerdict(fp, { crc64: '100', expectedEtag: 'e' }), 'ok');
    assert.match(
      JSON.stringify(crcVerdict(fp, { crc64: '101', expectedEtag: 'e' })),
      /CRC64 101 instead of 100/,
    );
  });

  it('streamed bytes whose CRC is not the source’s, or not what the destination stored, are a mismatch', () => {
    assert.match(JSON.stringify(crcVerdict(fp, { streamedCrc64: '7' })), /bytes read from the source/);
    assert.match(
      JSON.stringify(crcVerdict({ ...fp, crc64: undefined }, { streamedCrc64: '7', crc64: '8' })),
      /stored CRC64 8 for bytes sent with CRC64 7/,
    );
    assert.equal(crcVerdict({ ...fp, crc64: undefined }, {}), undefined);
  });

  it("parts' CRCs combine into the whole object's, in part order, and only when every part has one", () => {
    const a = Buffer.from('hello ');
    const b = Buffer.from('world');
    const parts = [
      { number: 2, etag: 'x', size: b.length, crc64: crc64(b).toString() },
      { number: 1, etag: 'y', size: a.length, crc64: crc64(a).toString() },
    ];
    assert.equal(combinedCrc64(parts, 2), crc64(Buffer.concat([a, b])).toString());
    assert.equal(combinedCrc64(parts, 3), undefined);
    assert.equal(combinedCrc64([{ ...parts[0]!, crc64: undefined }, parts[1]!], 2), undefined);
  });
});
