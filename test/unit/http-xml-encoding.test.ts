import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  decodeUrlEncoded,
  encodeCopySource,
  encodePath,
  encodeRfc3986,
  formatQuery,
  fromHeaderBytes,
  toHeaderBytes,
} from '../../main/storage/encoding';
import {
  buildXml,
  childBool,
  childNodes,
  childNumber,
  childText,
  parseErrorXml,
  xmlRoot,
} from '../../main/storage/xml';
import { normalizeEtag } from '../../preload/shared/etag';

describe('encoding', () => {
  it('encodes keys byte-for-byte with the RFC 3986 unreserved set, keeping slashes in paths', () => {
    assert.equal(encodePath('dir a/文件+1.bin'), 'dir%20a/%E6%96%87%E4%BB%B6%2B1.bin');
    assert.equal(encodePath('../a/./b//c?#&%~'), '../a/./b//c%3F%23%26%25~');
    assert.equal(encodeRfc3986('a/b c*'), 'a%2Fb%20c%2A');
  });

  it('formats the canonical query sorted, with name= for empty values (S3) or bare names (OSS)', () => {
    const q = [
      ['prefix', 'a b/'],
      ['list-type', '2'],
      ['delimiter', '/'],
      ['uploads', ''],
    ] as const;
    assert.equal(formatQuery(q), 'delimiter=%2F&list-type=2&prefix=a%20b%2F&uploads=');
    assert.equal(
      formatQuery(q, { emptyValueEquals: false }),
      'delimiter=%2F&list-type=2&prefix=a%20b%2F&uploads',
    );
  });

  it('builds copy sources like PROTOCOL.md §1.8', () => {
    assert.equal(
      encodeCopySource('src-bucket', 'dir a/文件+1.bin'),
      'src-bucket/dir%20a/%E6%96%87%E4%BB%B6%2B1.bin',
    );
    assert.equal(encodeCopySource('b', 'k', 'v1', true), '/b/k?versionId=v1');
  });

  it('decodes encoding-type=url fields, with + as space and %2B as plus', () => {
    assert.equal(decodeUrlEncoded('a+b%2Bc%20d%2F%E6%96%87'), 'a b+c d/文');
  });

  it('round-trips non-ASCII header values through wire bytes, leaving ASCII and non-UTF-8 alone', () => {
    const wire = toHeaderBytes('résumé 文件');
    assert.ok([...wire].every((c) => c.charCodeAt(0) <= 0xff));
    assert.equal(fromHeaderBytes(wire), 'résumé 文件');
    assert.equal(fromHeaderBytes('plain'), 'plain');
    assert.equal(fromHeaderBytes('caf\xe9'), 'caf\xe9');
  });
});

describe('xml', () => {
  it('keeps tag values as strings and single children as arrays', () => {
    const root = xmlRoot(`<?xml version="1.0"?>
      <ListBucketResult><Name>b</Name><KeyCount>1</KeyCount><IsTruncated>false</IsTruncated>
      <Contents><Key>00123</Key><ETag>&quot;1e5&quot;</ETag><Size>12</Size></Contents></ListBucketResult>`)!;
    assert.equal(root.name, 'ListBucketResult');
    const contents = childNodes(root.node, 'Contents');
    assert.equal(contents.length, 1);
    assert.equal(childText(contents[0], 'Key'), '00123');
    assert.equal(normalizeEtag(childText(contents[0], 'ETag')), '1e5');
    assert.equal(childNumber(contents[0], 'Size'), 12);
    assert.equal(childBool(root.node, 'IsTruncated'), false);
    assert.deepEqual(childNodes(root.node, 'CommonPrefixes'), []);
  });

  it('parses whitespace-padded 200 bodies and reads an embedded <Error>', () => {
    const body =
      '\n      \n<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>InternalError</Code><Message>We encountered an internal error</Message><RequestId>r1</RequestId><HostId>h1</HostId></Error>';
    assert.deepEqual(
      { ...parseErrorXml(body) },
      {
        code: 'InternalError',
        message: 'We encountered an internal error',
        requestId: 'r1',
        hostId: 'h1',
        region: undefined,
        endpoint: undefined,
        ec: undefined,
        stringToSign: undefined,
        canonicalRequest: undefined,
      },
    );
    assert.equal(parseErrorXml('<CopyObjectResult><ETag>"x"</ETag></CopyObjectResult>'), undefined);
    assert.equal(parseErrorXml('<html>bad gateway'), undefined);
    assert.equal(parseErrorXml(''), undefined);
  });

  it('reads Error elements inside DeleteResult as a list', () => {
    const root = xmlRoot(
      '<DeleteResult><Error><Key>a</Key><Code>AccessDenied</Code></Error></DeleteResult>',
    )!;
    assert.equal(childNodes(root.node, 'Error').length, 1);
  });

  it('normalises every quoting of an ETag', () => {
    for (const e of ['"abc"', '&quot;abc&quot;', '&#34;abc&#34;', '&#x22;abc&#x22;', 'abc', ' "abc" ']) {
      assert.equal(normalizeEtag(e), 'abc', e);
    }
  });

  it('builds request bodies with escaped text and repeated elements', () => {
    const xml = buildXml('Delete', { Quiet: 'true', Object: [{ Key: 'a&b<c' }, { Key: ' sp ' }] });
    assert.equal(
      xml,
      '<?xml version="1.0" encoding="UTF-8"?><Delete><Quiet>true</Quiet><Object><Key>a&amp;b&lt;c</Key></Object><Object><Key> sp </Key></Object></Delete>',
    );
  });
});
