/**
 * The small rules the copy engine decides with: keep-both names, destination keys, when two objects
 * hold the same content, when a source has changed, the S3 multipart ETag a copy should have, and
 * the tag encoding sent with Initiate.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { sameContent } from '../../main/copy/conflict';
import { sameSource, type SourceFingerprint } from '../../main/copy/job';
import { normalizeEtag, quoteEtag, sameEtag } from '../../preload/shared/etag';
import {
  folderDestinationPrefix,
  baseName,
  keepBothKey,
  keyInFolder,
  objectDestinationKey,
  parentOf,
} from '../../preload/shared/keys';
import { decodeTags, encodeTags, metadataFor } from '../../main/copy/metadata';
import { mismatchOf, multipartEtag } from '../../main/copy/verify';
import type { ObjectHead } from '../../main/storage/provider';

const md5 = (s: string) => createHash('md5').update(s).digest('hex');
const head = (o: Partial<ObjectHead>): ObjectHead => ({
  key: 'k',
  size: 10,
  etag: 'abc',
  lastModified: 'Wed, 01 Jan 2025 00:00:00 GMT',
  metadata: { userMeta: {} },
  ...o,
});

describe('destination keys', () => {
  it('keep-both numbers the name before the extension, folders and dot-files included', () => {
    assert.equal(keepBothKey('a/b/photo.jpg', 1), 'a/b/photo (1).jpg');
    assert.equal(keepBothKey('a/archive.tar.gz', 2), 'a/archive.tar (2).gz');
    assert.equal(keepBothKey('.env', 1), '.env (1)');
    assert.equal(keepBothKey('README', 3), 'README (3)');
    assert.equal(keepBothKey('dir/sub/', 1), 'dir/sub (1)/');
    assert.equal(keepBothKey('v1.2/notes', 1), 'v1.2/notes (1)');
  });

  it('a folder keeps its own name under the destination; an object keeps its base name', () => {
    assert.equal(folderDestinationPrefix('photos/2024', 'backup'), 'backup/2024/');
    assert.equal(keyInFolder('photos/2024/a/b.jpg', 'photos/2024/', 'backup/2024/'), 'backup/2024/a/b.jpg');
    assert.equal(objectDestinationKey('x/y.txt', ''), 'y.txt');
    assert.equal(objectDestinationKey('x/docs/', 'backup'), 'backup/docs/');
    assert.throws(() => keyInFolder('other/a', 'photos/', 'backup/'), RangeError);
  });
});

describe('key names', () => {
  it("baseName is a key's last segment and parentOf its folder, a folder's trailing / kept by baseName only", () => {
    assert.equal(baseName('a/b/photo.jpg'), 'photo.jpg');
    assert.equal(baseName('a/b/'), 'b/');
    assert.equal(baseName('top'), 'top');
    assert.equal(parentOf('a/b/photo.jpg'), 'a/b/');
    assert.equal(parentOf('a/b/'), 'a/');
    assert.equal(parentOf('top'), '');
    assert.equal(parentOf('top/'), '');
  });
});

describe('same content (skip-if-same)', () => {
  it('compares size, then CRC64 where both have one, else ETags without quotes or case', () => {
    assert.equal(sameContent(head({ etag: 'ABC' }), head({ etag: '"abc"' })), true);
    assert.equal(sameContent(head({ size: 10 }), head({ size: 11 })), false);
    assert.equal(sameContent(head({ etag: 'a', crc64: '1' }), head({ etag: 'b', crc64: '1' })), true);
    assert.equal(sameContent(head({ crc64: '1' }), head({ crc64: '2' })), false);
    assert.equal(sameContent(head({ etag: 'a' }), head({ etag: 'b' })), false);
  });
});

describe('source fingerprint', () => {
  const fp: SourceFingerprint = { size: 10, etag: '"ABC"', lastModified: 'Wed, 01 Jan 2025 00:00:00 GMT' };

  it('is unchanged when only the ETag spelling or the date format differs', () => {
    assert.equal(sameSource(fp, { ...fp, etag: 'abc', lastModified: '2025-01-01T00:00:00.000Z' }), true);
  });

  it("is unchanged between a listing's milliseconds and HEAD's whole seconds of the same second", () => {
    assert.equal(sameSource({ ...fp, lastModified: '2025-01-01T00:00:00.987Z' }, fp), true);
    assert.equal(sameSource({ ...fp, lastModified: '2025-01-01T00:00:01.001Z' }, fp), false);
    assert.equal(
      sameSource({ ...fp, lastModified: 'not a date' }, { ...fp, lastModified: 'not a date' }),
      false,
    );
  });

  it('has changed when size, ETag, Last-Modified, version or CRC64 differ', () => {
    assert.equal(sameSource(fp, { ...fp, size: 11 }), false);
    assert.equal(sameSource(fp, { ...fp, etag: 'abd' }), false);
    assert.equal(sameSource(fp, { ...fp, lastModified: 'Wed, 01 Jan 2025 00:00:01 GMT' }), false);
    assert.equal(sameSource(fp, { ...fp, versionId: 'v2' }), false);
    assert.equal(sameSource({ ...fp, crc64: '1' }, { ...fp, crc64: '2' }), false);
  });

  it('normalizeEtag strips W/ and quotes but keeps case (it goes back verbatim); sameEtag folds case', () => {
    assert.equal(normalizeEtag('W/"AbC-2"'), 'AbC-2');
    assert.equal(normalizeEtag('W/&quot;AbC-2&quot;'), 'AbC-2');
    assert.equal(quoteEtag('W/"AbC-2"'), '"AbC-2"');
    assert.equal(sameEtag('W/"AbC-2"', 'abc-2'), true);
    assert.equal(sameEtag('"abc-2"', 'abc-3'), false);
  });
});

describe('verification', () => {
  it('computes the S3 multipart ETag from part ETags (docs/PROTOCOL.md §5.6 example), in part order', () => {
    assert.equal(
      multipartEtag([
        { number: 2, etag: `"${md5('world')}"` },
        { number: 1, etag: md5('hello').toUpperCase() },
      ]),
      '065947336a2f2a95ba8899f3675c3be6-2',
    );
    assert.equal(multipartEtag([{ number: 1, etag: 'not-an-md5' }]), undefined);
  });

  it('finds a wrong size, a wrong CRC64 or an unexpected ETag', () => {
    const fp = { size: 10, etag: 'x', lastModified: 'Wed, 01 Jan 2025 00:00:00 GMT', crc64: '7' };
    assert.equal(mismatchOf(fp, head({ size: 10, crc64: '7' })), undefined);
    assert.match(mismatchOf(fp, head({ size: 9 }))!, /^size 9 instead of 10/);
    assert.match(mismatchOf(fp, head({ crc64: '8' }))!, /^CRC64/);
    assert.match(mismatchOf(fp, head({ etag: 'e1' }), 'e2')!, /^ETag/);
  });
});

describe('tags', () => {
  it('encode and decode round-trip keys and values that need escaping', () => {
    const tags = { 'a b': 'c&d', 'k=1': 'ü/é', plain: '' };
    const encoded = encodeTags(tags)!;
    assert.ok(!encoded.includes(' ') && encoded.split('&').length === 3);
    assert.deepEqual(decodeTags(encoded), tags);
    assert.equal(encodeTags({}), undefined);
  });
});

describe('the metadata a copy is written with', () => {
  const jpeg = head({
    metadata: {
      contentType: 'image/jpeg',
      cacheControl: 'no-cache',
      userMeta: { owner: 'ann', camera: 'x100' },
    },
  });

  it('COPY keeps every field of the object', () => {
    assert.deepEqual(metadataFor(jpeg, { metadataDirective: 'COPY' }), jpeg.metadata);
  });

  it('REPLACE without merge gives every object exactly the values given', () => {
    const given = { cacheControl: 'max-age=60', userMeta: { team: 'ops' } };
    assert.deepEqual(metadataFor(jpeg, { metadataDirective: 'REPLACE', metadata: given }), given);
  });

  it("REPLACE with merge changes only the fields given and keeps each object's others", () => {
    const merged = metadataFor(jpeg, {
      metadataDirective: 'REPLACE',
      metadataMerge: true,
      metadata: { cacheControl: 'max-age=60', userMeta: { owner: 'bob', team: 'ops' } },
    });
    assert.deepEqual(merged, {
      contentType: 'image/jpeg',
      cacheControl: 'max-age=60',
      userMeta: { owner: 'bob', camera: 'x100', team: 'ops' },
    });
    // The HEAD's own record is not changed by the merge.
    assert.equal(jpeg.metadata.cacheControl, 'no-cache');
  });
});
