/**
 * OssStore against a local fake OSS that verifies every request's signature (test/support/oss-fake-server.ts):
 * request building, XML parsing, paging, error mapping, wrong-region redirect, clock skew, keys.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { after, afterEach, before, beforeEach, test } from 'node:test';
import { StorageError } from '../../main/storage/errors';
import { HttpClient, readBody } from '../../main/storage/http';
import type { ObjectStore } from '../../main/storage/provider';
import { OssStore, type OssStoreOptions } from '../../main/storage/oss/oss-store';
import { FakeOss, errorXml, xml, type Received } from '../support/oss-fake-server';

const fake = new FakeOss();
let http: HttpClient;

before(async () => {
  await fake.start();
  http = new HttpClient({ dispatcher: fake.dispatcher(), headersTimeoutMs: 5000, bodyTimeoutMs: 5000 });
});
after(async () => {
  await http.close();
  await fake.stop();
});
beforeEach(() => {
  fake.received.length = 0;
  fake.handlerErrors.length = 0;
  fake.clockOffsetMs = 0;
  fake.securityToken = undefined;
  fake.handler = () => ({ status: 501, body: errorXml('NotImplemented', 'no handler') });
});

function store(extra: Partial<OssStoreOptions> = {}): OssStore {
  return new OssStore({
    endpoint: 'https://oss-cn-hangzhou.aliyuncs.com',
    region: 'cn-hangzhou',
    credentials: { accessKeyId: fake.accessKeyId, secretAccessKey: fake.secret },
    http,
    retry: { baseDelayMs: 1, maxDelayMs: 2 },
    ...extra,
  });
}

/** Every request the fake saw was signed correctly (an auth failure would have been answered 403). */
function assertAllSigned(expected: Received['auth'] = 'v4'): void {
  assert.ok(fake.received.length > 0);
  for (const r of fake.received) assert.equal(r.auth, expected, `${r.method} ${r.rawPath}`);
}

async function rejects(promise: Promise<unknown>, fields: Partial<StorageError>): Promise<StorageError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof StorageError, `not a StorageError: ${String(err)}`);
    for (const [k, v] of Object.entries(fields)) assert.equal((err as never)[k], v, k);
    return err;
  }
  assert.fail('expected a rejection');
}

/** Surfaces assertion failures raised inside fake-server handlers (they reach the client as 500s). */
afterEach(() => {
  const [first] = fake.handlerErrors;
  if (first) throw first;
});

test('lists buckets page by page with the marker and reads region, class and endpoint', async () => {
  fake.handler = (r) => {
    assert.equal(r.host, 'oss-cn-hangzhou.aliyuncs.com');
    assert.equal(r.bucket, undefined);
    const page = r.query.marker === 'b1' ? 2 : 1;
    const bucket = (name: string, loc: string) =>
      `<Bucket><Name>${name}</Name><Location>oss-${loc}</Location><Region>${loc}</Region>` +
      `<CreationDate>2024-01-01T00:00:00.000Z</CreationDate><StorageClass>Standard</StorageClass>` +
      `<ExtranetEndpoint>oss-${loc}.aliyuncs.com</ExtranetEndpoint></Bucket>`;
    return page === 1
      ? xml(
          `<ListAllMyBucketsResult><IsTruncated>true</IsTruncated><NextMarker>b1</NextMarker><Buckets>${bucket('b1', 'cn-hangzhou')}</Buckets></ListAllMyBucketsResult>`,
        )
      : xml(
          `<ListAllMyBucketsResult><IsTruncated>false</IsTruncated><Buckets>${bucket('b2', 'cn-shanghai')}</Buckets></ListAllMyBucketsResult>`,
        );
  };
  const buckets = await store().listBuckets();
  assert.deepEqual(buckets, [
    {
      name: 'b1',
      region: 'cn-hangzhou',
      creationDate: '2024-01-01T00:00:00.000Z',
      storageClass: 'Standard',
      endpoint: 'oss-cn-hangzhou.aliyuncs.com',
    },
    {
      name: 'b2',
      region: 'cn-shanghai',
      creationDate: '2024-01-01T00:00:00.000Z',
      storageClass: 'Standard',
      endpoint: 'oss-cn-shanghai.aliyuncs.com',
    },
  ]);
  assert.equal(fake.received.length, 2);
  assert.equal(fake.received[1]!.query.marker, 'b1');
  assertAllSigned();
});

test('a bucket listed in another region is addressed at that region directly', async () => {
  fake.handler = (r) =>
    r.bucket
      ? { status: 204 }
      : xml(
          `<ListAllMyBucketsResult><Buckets><Bucket><Name>far</Name><Location>oss-cn-beijing</Location></Bucket></Buckets></ListAllMyBucketsResult>`,
        );
  const s = store();
  await s.listBuckets();
  await s.deleteObject('far', 'k');
  assert.equal(fake.received[1]!.host, 'far.oss-cn-beijing.aliyuncs.com');
  assert.equal(fake.received[1]!.signedRegion, 'cn-beijing');
  assert.deepEqual(await s.copyDomain('far'), { kind: 'oss', key: 'test-ak@cn-beijing' });
});

test('bucket location strips the oss- prefix and gives the copy domain (account + region)', async () => {
  fake.handler = (r) => {
    assert.deepEqual(r.query, { location: '' });
    assert.equal(r.host, 'bkt.oss-cn-hangzhou.aliyuncs.com');
    return xml('<LocationConstraint>oss-cn-hangzhou</LocationConstraint>');
  };
  const s = store();
  assert.equal(await s.bucketRegion('bkt'), 'cn-hangzhou');
  assert.deepEqual(await s.copyDomain('bkt'), { kind: 'oss', key: 'test-ak@cn-hangzhou' });
  assert.equal(fake.received.length, 1, 'the region is remembered');
});

test('bucket info reads ?bucketInfo', async () => {
  fake.handler = (r) => {
    assert.deepEqual(r.query, { bucketInfo: '' });
    return xml(
      '<BucketInfo><Bucket><Name>bkt</Name><Location>oss-cn-hangzhou</Location><CreationDate>2023-01-01T00:00:00.000Z</CreationDate>' +
        '<ExtranetEndpoint>oss-cn-hangzhou.aliyuncs.com</ExtranetEndpoint><StorageClass>IA</StorageClass><Versioning>Enabled</Versioning></Bucket></BucketInfo>',
    );
  };
  assert.deepEqual(await store().bucketInfo('bkt'), {
    name: 'bkt',
    region: 'cn-hangzhou',
    creationDate: '2023-01-01T00:00:00.000Z',
    storageClass: 'IA',
    endpoint: 'oss-cn-hangzhou.aliyuncs.com',
    versioning: 'Enabled',
  });
});

test('ListObjectsV2 sends list-type=2 and encoding-type=url and decodes keys, prefixes and tokens', async () => {
  const token = 'tok+en/=%next';
  fake.handler = (r) => {
    assert.equal(r.query['list-type'], '2');
    assert.equal(r.query['encoding-type'], 'url');
    assert.equal(r.query.prefix, 'dir a/');
    assert.equal(r.query.delimiter, '/');
    if (!r.query['continuation-token']) {
      assert.equal(r.query['start-after'], 'dir a/0');
      return xml(
        '<ListBucketResult><Name>bkt</Name><Prefix>dir%20a%2F</Prefix><EncodingType>url</EncodingType><KeyCount>3</KeyCount>' +
          '<IsTruncated>true</IsTruncated><NextContinuationToken>' +
          encodeURIComponent(token) +
          '</NextContinuationToken>' +
          '<Contents><Key>dir+a%2F1%2B1.txt</Key><LastModified>2024-05-01T00:00:00.000Z</LastModified><ETag>"ABC"</ETag><Size>12</Size><StorageClass>Standard</StorageClass></Contents>' +
          '<Contents><Key>dir%20a%2F%E6%96%87%01</Key><LastModified>2024-05-01T00:00:00.000Z</LastModified><ETag>&quot;DEF-2&quot;</ETag><Size>00123</Size><StorageClass>IA</StorageClass></Contents>' +
          '<CommonPrefixes><Prefix>dir%20a%2Fsub%2F</Prefix></CommonPrefixes></ListBucketResult>',
      );
    }
    assert.equal(r.query['continuation-token'], token);
    return xml(
      '<ListBucketResult><EncodingType>url</EncodingType><IsTruncated>false</IsTruncated><Contents><Key>2024</Key><ETag>"X"</ETag><Size>1</Size></Contents></ListBucketResult>',
    );
  };
  const s = store();
  const page = await s.listObjects('bkt', { prefix: 'dir a/', delimiter: '/', startAfter: 'dir a/0' });
  assert.deepEqual(
    page.objects.map((o) => o.key),
    ['dir a/1+1.txt', 'dir a/文\u0001'],
  );
  assert.deepEqual(
    page.objects.map((o) => [o.etag, o.size, o.storageClass]),
    [
      ['ABC', 12, 'Standard'],
      ['DEF-2', 123, 'IA'],
    ],
  );
  assert.deepEqual(page.prefixes, ['dir a/sub/']);
  assert.equal(page.nextToken, token);
  const last = await s.listObjects('bkt', {
    prefix: 'dir a/',
    delimiter: '/',
    continuationToken: page.nextToken,
  });
  assert.deepEqual(
    last.objects.map((o) => o.key),
    ['2024'],
  );
  assert.equal(last.nextToken, undefined);
  assert.equal(fake.received[0]!.query['max-keys'], '1000');
  assertAllSigned();
});

test('HEAD parses size, ETag, CRC64, version, class, tag count and UTF-8 metadata', async () => {
  const utf8 = (s: string) => Buffer.from(s, 'utf8').toString('latin1');
  fake.handler = (r) => {
    assert.equal(r.method, 'HEAD');
    assert.equal(r.query.versionId, 'v1');
    return {
      status: 200,
      headers: {
        'content-length': '5368709120',
        etag: '"29B94424BC241D80B0AF488A4E4B86AF-1"',
        'last-modified': 'Mon, 05 Jan 2026 08:00:00 GMT',
        'x-oss-version-id': 'v1',
        'x-oss-hash-crc64ecma': '11051210869376104954',
        'x-oss-storage-class': 'Archive',
        'x-oss-tagging-count': '2',
        'content-type': 'text/plain',
        'content-disposition': utf8('attachment; filename="文件.txt"'),
        'x-oss-meta-author': utf8('Grüße'),
      },
    };
  };
  const head = await store().headObject({ bucket: 'bkt', key: 'a', versionId: 'v1' });
  assert.deepEqual(head, {
    key: 'a',
    size: 5368709120,
    etag: '29B94424BC241D80B0AF488A4E4B86AF-1',
    lastModified: 'Mon, 05 Jan 2026 08:00:00 GMT',
    versionId: 'v1',
    crc64: '11051210869376104954',
    storageClass: 'Archive',
    taggingCount: 2,
    metadata: {
      contentType: 'text/plain',
      contentDisposition: 'attachment; filename="文件.txt"',
      userMeta: { author: 'Grüße' },
    },
  });
});

test('HEAD errors come from the base64 x-oss-err header with x-oss-ec and the request id', async () => {
  const body = errorXml('NoSuchKey', 'The specified key does not exist.', { EC: '0026-00000001' });
  fake.handler = () => ({
    status: 404,
    headers: {
      'x-oss-err': Buffer.from(body).toString('base64'),
      'x-oss-ec': '0026-00000001',
      'x-oss-request-id': 'rid',
    },
  });
  const err = await rejects(store().headObject({ bucket: 'bkt', key: 'missing' }), {
    status: 404,
    code: 'NoSuchKey',
    message: 'The specified key does not exist.',
    ec: '0026-00000001',
    requestId: 'req-NoSuchKey',
  });
  assert.equal(err.retryable, false);
  fake.handler = () => ({ status: 403, headers: { 'x-oss-request-id': 'rid2' } });
  await rejects(store().headObject({ bucket: 'bkt', key: 'x' }), {
    status: 403,
    code: 'AccessDenied',
    requestId: 'rid2',
  });
});

test('GET with a range returns the body as a stream', async () => {
  const data = Buffer.from('0123456789');
  fake.handler = (r) => {
    const m = /^bytes=(\d+)-(\d+)$/.exec(r.headers.range ?? '')!;
    return { status: 206, body: data.subarray(Number(m[1]), Number(m[2]) + 1) };
  };
  const stream = await store().getObject({ bucket: 'bkt', key: 'k' }, { start: 2, end: 5 });
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  assert.equal(Buffer.concat(chunks).toString(), '2345');
});

test('PUT from a stream sends metadata, class, ACL, tagging and forbid-overwrite, signed over UTF-8 bytes', async () => {
  fake.handler = (r) => {
    assert.equal(r.body.toString(), 'hello world');
    assert.equal(r.headers['content-length'], '11');
    assert.equal(r.headers['x-oss-meta-name'], '文件 Grüße');
    assert.equal(r.headers['content-type'], 'text/plain; charset=utf-8');
    assert.equal(r.headers['x-oss-storage-class'], 'IA');
    assert.equal(r.headers['x-oss-object-acl'], 'private');
    assert.equal(r.headers['x-oss-tagging'], 'a=1&b=2');
    assert.equal(r.headers['x-oss-forbid-overwrite'], 'true');
    return {
      status: 200,
      headers: { etag: '"5EB63BBBE01EEED093CB22BB8F5ACDC3"', 'x-oss-hash-crc64ecma': '5981764153023615706' },
    };
  };
  const result = await store().putObject(
    'bkt',
    'k',
    Readable.from([Buffer.from('hello '), Buffer.from('world')]),
    11,
    {
      metadata: { contentType: 'text/plain; charset=utf-8', userMeta: { name: '文件 Grüße' } },
      storageClass: 'IA',
      acl: 'private',
      tagging: 'a=1&b=2',
      forbidOverwrite: true,
    },
  );
  assert.deepEqual(result, { etag: '5EB63BBBE01EEED093CB22BB8F5ACDC3', crc64: '5981764153023615706' });
  assertAllSigned();
});

test('keys are sent exactly as given, in virtual-hosted and path-style addressing', async () => {
  const keys = [
    'a b+c%20d?e#f&g=h',
    '文件/ünï.txt',
    '../x/./y',
    'a//b',
    '/leading',
    '..',
    'x'.repeat(1024),
    '~!*\'()[]{};:@$,|\\^`"<>',
  ];
  fake.handler = () => ({ status: 200, headers: { etag: '"E"' } });
  for (const endpoint of ['https://oss-cn-hangzhou.aliyuncs.com', 'http://10.0.0.1:9000']) {
    fake.received.length = 0;
    const s = store({ endpoint });
    for (const key of keys) await s.putObject('bkt', key, Buffer.from('x'), 1);
    assert.deepEqual(
      fake.received.map((r) => r.key),
      keys,
    );
    assert.deepEqual(
      fake.received.map((r) => r.bucket),
      keys.map(() => 'bkt'),
    );
    assertAllSigned();
  }
  assert.equal(
    fake.received[0]!.rawPath,
    '/bkt/a%20b%2Bc%2520d%3Fe%23f%26g%3Dh',
    'IP endpoints are path-style',
  );
});

test('a CNAME endpoint puts neither bucket in host nor path but still signs /bucket/key', async () => {
  fake.handler = () => ({ status: 204 });
  fake.cnames.set('files.example.com', 'bkt');
  await store({ endpoint: 'https://files.example.com', cname: true }).deleteObject('bkt', 'a/b');
  const r = fake.received[0]!;
  assert.equal(r.host, 'files.example.com');
  assert.equal(r.rawPath, '/a/b');
  assert.equal(r.auth, 'v4');
});

test('batch delete sends a Content-MD5 XML body in chunks of 1000 and reports failed keys', async () => {
  const seen: number[] = [];
  fake.handler = (r) => {
    assert.deepEqual(r.query, { delete: '', 'encoding-type': 'url' });
    assert.equal(r.headers['content-md5'], createHash('md5').update(r.body).digest('base64'));
    const keys = [...r.body.toString().matchAll(/<Key>(.*?)<\/Key>/g)].map((m) => m[1]!);
    seen.push(keys.length);
    assert.match(r.body.toString(), /<Quiet>true<\/Quiet>/);
    if (keys.includes('a&amp;b')) {
      return xml(
        '<DeleteResult><EncodingType>url</EncodingType><Error><Key>a%26b</Key><Code>AccessDenied</Code><Message>no</Message></Error></DeleteResult>',
      );
    }
    return xml('<DeleteResult></DeleteResult>');
  };
  const keys = Array.from({ length: 1500 }, (_, i) => `k${i}`);
  keys[1200] = 'a&b';
  const failed = await store().deleteObjects('bkt', keys);
  assert.deepEqual(seen, [1000, 500]);
  assert.deepEqual(failed, [{ key: 'a&b', code: 'AccessDenied', message: 'no' }]);
});

test('CopyObject sends the encoded copy source and the directives, conditions and options', async () => {
  fake.handler = (r) => {
    assert.equal(r.method, 'PUT');
    assert.equal(r.key, 'dst/obj');
    assert.equal(
      r.headers['x-oss-copy-source'],
      '/src-bucket/dir%20a/%E6%96%87%E4%BB%B6%2B1.bin?versionId=v%2B1',
    );
    assert.equal(r.headers['x-oss-metadata-directive'], 'REPLACE');
    assert.equal(r.headers['x-oss-copy-source-if-match'], '"ETAG1"');
    assert.equal(r.headers['x-oss-forbid-overwrite'], 'true');
    assert.equal(r.headers['x-oss-storage-class'], 'Archive');
    assert.equal(r.headers['x-oss-object-acl'], 'public-read');
    assert.equal(r.headers['x-oss-tagging-directive'], 'REPLACE');
    assert.equal(r.headers['x-oss-tagging'], 'k=v');
    assert.equal(r.headers['content-type'], 'image/png');
    assert.equal(r.headers['x-oss-meta-a'], '1');
    assert.equal(r.headers['content-length'], '0');
    return {
      ...xml(
        '<CopyObjectResult><ETag>"NEW"</ETag><LastModified>2026-01-05T08:00:00.000Z</LastModified></CopyObjectResult>',
      ),
      headers: { 'x-oss-hash-crc64ecma': '42', 'x-oss-version-id': 'nv' },
    };
  };
  const result = await store().copyObject(
    { bucket: 'src-bucket', key: 'dir a/文件+1.bin', versionId: 'v+1' },
    { bucket: 'dst', key: 'dst/obj' },
    {
      directive: 'REPLACE',
      ifMatch: 'ETAG1',
      forbidOverwrite: true,
      storageClass: 'Archive',
      acl: 'public-read',
      taggingDirective: 'REPLACE',
      tagging: 'k=v',
      metadata: { contentType: 'image/png', userMeta: { a: '1' } },
    },
  );
  assert.deepEqual(result, { etag: 'NEW', crc64: '42', versionId: 'nv' });
});

test('CopyObject with COPY sends no metadata headers, and 304 and 412 are both "condition not met"', async () => {
  fake.handler = (r) => {
    assert.equal(r.headers['x-oss-metadata-directive'], 'COPY');
    assert.equal(r.headers['content-type'], undefined);
    assert.equal(r.headers['x-oss-meta-a'], undefined);
    return { status: 304 };
  };
  const copy = () =>
    store().copyObject(
      { bucket: 's', key: 'a' },
      { bucket: 'd', key: 'b' },
      { directive: 'COPY', ifMatch: 'x', metadata: { contentType: 'a/b', userMeta: { a: '1' } } },
    );
  await rejects(copy(), { status: 304, code: 'PreconditionFailed' });
  fake.handler = () => ({
    status: 412,
    body: errorXml('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold.'),
  });
  await rejects(copy(), { status: 412, code: 'PreconditionFailed' });
  assert.equal(fake.received.length, 2, 'conditions are not retried');
});

test('CopyObject answered 200 with an <Error> body is an error', async () => {
  fake.handler = () => xml('<Error><Code>InternalError</Code><Message>copy failed</Message></Error>');
  await rejects(
    store({ retry: { maxAttempts: 1 } }).copyObject(
      { bucket: 's', key: 'a' },
      { bucket: 'd', key: 'b' },
      { directive: 'COPY' },
    ),
    {
      code: 'InternalError',
    },
  );
});

test('multipart: initiate, upload part, part copy with range and if-match, complete with sorted quoted parts', async () => {
  fake.handler = (r) => {
    if (r.method === 'POST' && 'uploads' in r.query) {
      assert.equal(r.query['encoding-type'], 'url');
      assert.equal(r.headers['content-type'], 'video/mp4');
      assert.equal(r.headers['x-oss-meta-m'], 'v');
      return xml(
        '<InitiateMultipartUploadResult><Bucket>bkt</Bucket><Key>big%20file</Key><UploadId>0004B999EF518A1FE585B0C9360DC4C8</UploadId></InitiateMultipartUploadResult>',
      );
    }
    if (r.method === 'PUT' && r.headers['x-oss-copy-source']) {
      assert.deepEqual(r.query, { partNumber: '2', uploadId: '0004B999EF518A1FE585B0C9360DC4C8' });
      assert.equal(r.headers['x-oss-copy-source'], '/src/a%2Bb');
      assert.equal(r.headers['x-oss-copy-source-range'], 'bytes=102400-204799');
      assert.equal(r.headers['x-oss-copy-source-if-match'], '"SRC"');
      return xml(
        '<CopyPartResult><LastModified>2026-01-05T08:00:00.000Z</LastModified><ETag>"P2"</ETag></CopyPartResult>',
      );
    }
    if (r.method === 'PUT') {
      assert.equal(r.body.length, 102400);
      return { status: 200, headers: { etag: '"P1"', 'x-oss-hash-crc64ecma': '7' } };
    }
    if (r.method === 'POST' && r.query.uploadId) {
      assert.equal(r.query['encoding-type'], 'url');
      assert.equal(r.headers['content-md5'], createHash('md5').update(r.body).digest('base64'));
      // The XML builder may escape the quotes as entities; a server's XML parser reads the same text.
      assert.equal(
        r.body.toString().replace(/&quot;/g, '"'),
        '<?xml version="1.0" encoding="UTF-8"?><CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>"P1"</ETag></Part>' +
          '<Part><PartNumber>2</PartNumber><ETag>"P2"</ETag></Part></CompleteMultipartUpload>',
      );
      return {
        ...xml(
          '<CompleteMultipartUploadResult><EncodingType>url</EncodingType><Bucket>bkt</Bucket><Key>big%20file</Key><ETag>"FINAL-2"</ETag></CompleteMultipartUploadResult>',
        ),
        headers: { 'x-oss-hash-crc64ecma': '18446744073709551615' },
      };
    }
    return { status: 400 };
  };
  const s = store();
  const uploadId = await s.createMultipartUpload('bkt', 'big file', {
    metadata: { contentType: 'video/mp4', userMeta: { m: 'v' } },
  });
  assert.equal(uploadId, '0004B999EF518A1FE585B0C9360DC4C8');
  const p1 = await s.uploadPart('bkt', 'big file', uploadId, 1, Buffer.alloc(102400), 102400);
  assert.deepEqual(p1, { partNumber: 1, etag: 'P1', crc64: '7' });
  const p2 = await s.uploadPartCopy(
    'bkt',
    'big file',
    uploadId,
    2,
    { bucket: 'src', key: 'a+b' },
    { start: 102400, end: 204799 },
    '"SRC"',
  );
  assert.deepEqual(p2, { partNumber: 2, etag: 'P2' });
  const done = await s.completeMultipartUpload('bkt', 'big file', uploadId, [p2, p1]);
  assert.deepEqual(done, { etag: 'FINAL-2', crc64: '18446744073709551615' });
  assertAllSigned();
});

test('ListParts pages with part-number-marker and returns sizes and part CRCs', async () => {
  fake.handler = (r) => {
    assert.equal(r.query.uploadId, 'U');
    const part = (n: number) =>
      `<Part><PartNumber>${n}</PartNumber><LastModified>t</LastModified><ETag>"E${n}"</ETag><Size>102400</Size><HashCrc64ecma>${n}0</HashCrc64ecma></Part>`;
    if (!r.query['part-number-marker']) {
      return xml(
        `<ListPartsResult><IsTruncated>true</IsTruncated><NextPartNumberMarker>2</NextPartNumberMarker>${part(1)}${part(2)}</ListPartsResult>`,
      );
    }
    assert.equal(r.query['part-number-marker'], '2');
    return xml(`<ListPartsResult><IsTruncated>false</IsTruncated>${part(3)}</ListPartsResult>`);
  };
  const parts = [];
  for await (const p of store().listParts('bkt', 'k', 'U')) parts.push(p);
  assert.deepEqual(
    parts.map((p) => [p.partNumber, p.etag, p.size, p.crc64]),
    [
      [1, 'E1', 102400, '10'],
      [2, 'E2', 102400, '20'],
      [3, 'E3', 102400, '30'],
    ],
  );
});

test('ListMultipartUploads pages with both markers and decodes keys', async () => {
  fake.handler = (r) => {
    assert.equal(r.query.uploads, '');
    assert.equal(r.query.prefix, 'p ');
    if (!r.query['key-marker']) {
      return xml(
        '<ListMultipartUploadsResult><EncodingType>url</EncodingType><IsTruncated>true</IsTruncated><NextKeyMarker>p%20%2B1</NextKeyMarker>' +
          '<NextUploadIdMarker>U1</NextUploadIdMarker><Upload><Key>p%20%2B1</Key><UploadId>U1</UploadId><Initiated>t1</Initiated></Upload></ListMultipartUploadsResult>',
      );
    }
    assert.equal(r.query['key-marker'], 'p +1');
    assert.equal(r.query['upload-id-marker'], 'U1');
    return xml(
      '<ListMultipartUploadsResult><IsTruncated>false</IsTruncated><Upload><Key>p 2</Key><UploadId>U2</UploadId><Initiated>t2</Initiated></Upload></ListMultipartUploadsResult>',
    );
  };
  const uploads = [];
  for await (const u of store().listMultipartUploads('bkt', 'p ')) uploads.push(u);
  assert.deepEqual(uploads, [
    { key: 'p +1', uploadId: 'U1', initiated: 't1' },
    { key: 'p 2', uploadId: 'U2', initiated: 't2' },
  ]);
});

test('abort treats NoSuchUpload as done but reports other failures', async () => {
  fake.handler = () => ({ status: 404, body: errorXml('NoSuchUpload', 'gone') });
  await store().abortMultipartUpload('bkt', 'k', 'U');
  assert.deepEqual(fake.received[0]!.query, { uploadId: 'U' });
  assert.equal(fake.received[0]!.method, 'DELETE');
  fake.handler = () => ({ status: 403, body: errorXml('AccessDenied', 'no') });
  await rejects(store().abortMultipartUpload('bkt', 'k', 'U'), { code: 'AccessDenied' });
});

test('object tagging round-trips through ?tagging XML', async () => {
  let stored = '';
  fake.handler = (r) => {
    assert.ok('tagging' in r.query);
    if (r.method === 'PUT') {
      stored = r.body.toString();
      return { status: 200 };
    }
    return xml(stored.replace(/^<\?xml[^>]*\?>/, ''));
  };
  const s = store();
  await s.putObjectTagging({ bucket: 'bkt', key: 'k' }, { project: 'a&b', 'x y': '文' });
  assert.deepEqual(await s.getObjectTagging({ bucket: 'bkt', key: 'k' }), { project: 'a&b', 'x y': '文' });
});

test('a 403 naming another <Endpoint> is re-sent once to that region and remembered for the bucket', async () => {
  fake.handler = (r) => {
    if (r.host !== 'moved.oss-cn-shanghai.aliyuncs.com') {
      return {
        status: 403,
        body: errorXml(
          'AccessDenied',
          'The bucket you are attempting to access must be addressed using the specified endpoint.',
          {
            Endpoint: 'oss-cn-shanghai.aliyuncs.com',
            Bucket: 'moved',
          },
        ),
      };
    }
    return { status: 204 };
  };
  const s = store();
  await s.deleteObject('moved', 'a');
  assert.deepEqual(
    fake.received.map((r) => [r.host, r.signedRegion]),
    [
      ['moved.oss-cn-hangzhou.aliyuncs.com', 'cn-hangzhou'],
      ['moved.oss-cn-shanghai.aliyuncs.com', 'cn-shanghai'],
    ],
  );
  await s.deleteObject('moved', 'b');
  assert.equal(fake.received.length, 3);
  assert.equal(fake.received[2]!.host, 'moved.oss-cn-shanghai.aliyuncs.com');
  assert.deepEqual(await s.copyDomain('moved'), { kind: 'oss', key: 'test-ak@cn-shanghai' });
  const url = new URL(await s.presign('GET', { bucket: 'moved', key: 'a' }, 60));
  assert.equal(url.host, 'moved.oss-cn-shanghai.aliyuncs.com');
});

test('a permission AccessDenied without an endpoint is not redirected or retried', async () => {
  fake.handler = () => ({
    status: 403,
    body: errorXml('AccessDenied', 'You have no right to access this object.'),
  });
  const err = await rejects(store().deleteObject('bkt', 'a'), {
    status: 403,
    code: 'AccessDenied',
    endpoint: undefined,
  });
  assert.equal(err.message, 'You have no right to access this object.');
  assert.equal(fake.received.length, 1);
});

test('RequestTimeTooSkewed adopts the server clock and re-signs once, for V4 and V1', async () => {
  for (const signatureVersion of ['v4', 'v1'] as const) {
    fake.received.length = 0;
    fake.clockOffsetMs = 0;
    fake.handler = () => ({ status: 204 });
    const s = store({ signatureVersion, clock: () => Date.now() - 3_600_000 });
    await s.deleteObject('bkt', 'a');
    assert.deepEqual(
      fake.received.map((r) => r.auth),
      [signatureVersion, signatureVersion],
    );
    await s.deleteObject('bkt', 'b');
    assert.equal(fake.received.length, 3, 'the offset is kept for later requests');
  }
});

test('transient 503s are retried; the final error keeps code and request id', async () => {
  let n = 0;
  fake.handler = () =>
    ++n < 3 ? { status: 503, body: errorXml('ServiceUnavailable', 'busy') } : { status: 204 };
  await store().deleteObject('bkt', 'a');
  assert.equal(n, 3);
  fake.handler = () => ({ status: 503, body: errorXml('ServiceUnavailable', 'busy') });
  const err = await rejects(store({ retry: { maxAttempts: 2, baseDelayMs: 1 } }).deleteObject('bkt', 'a'), {
    status: 503,
    code: 'ServiceUnavailable',
    requestId: 'req-ServiceUnavailable',
  });
  assert.equal(err.retryable, true);
});

test('Initiate is not retried on a 500 (each attempt would create an upload id)', async () => {
  fake.handler = () => ({ status: 500, body: errorXml('InternalError', 'oops') });
  await rejects(store().createMultipartUpload('bkt', 'k', {}), { code: 'InternalError' });
  assert.equal(fake.received.length, 1);
});

test('STS credentials send x-oss-security-token, signed, in V4 and V1', async () => {
  fake.securityToken = 'STS-token';
  fake.handler = () => ({ status: 204 });
  for (const signatureVersion of ['v4', 'v1'] as const) {
    const s = store({
      signatureVersion,
      credentials: {
        accessKeyId: fake.accessKeyId,
        secretAccessKey: fake.secret,
        securityToken: 'STS-token',
      },
    });
    await s.deleteObject('bkt', 'a');
  }
  assert.deepEqual(
    fake.received.map((r) => r.auth),
    ['v4', 'v1'],
  );
});

test('V1 signing works for listing with a continuation token and for part copies', async () => {
  fake.handler = (r) =>
    r.method === 'GET'
      ? xml('<ListBucketResult><IsTruncated>false</IsTruncated></ListBucketResult>')
      : xml('<CopyPartResult><ETag>"P"</ETag></CopyPartResult>');
  const s = store({ signatureVersion: 'v1' });
  await s.listObjects('bkt', { continuationToken: 'a b+c', prefix: 'x' });
  await s.uploadPartCopy('bkt', 'k', 'U', 1, { bucket: 'src', key: 'k k' }, { start: 0, end: 9 });
  assertAllSigned('v1');
});

async function fetchPresigned(url: string): Promise<number> {
  const m = /^(https?:\/\/[^/]+)(\/.*)$/.exec(url)!;
  const res = await http.request({ method: 'GET', origin: m[1]!, path: m[2]!, headers: {} });
  await readBody(res);
  return res.status;
}

test('presigned V4 and V1 GET URLs are accepted by the signature check, keys included', async () => {
  fake.handler = () => ({ status: 200, body: 'data' });
  const key = 'dir a/文件+1?.bin';
  const v4 = await store().presign('GET', { bucket: 'bkt', key, versionId: 'v1' }, 600);
  assert.match(
    v4,
    /^https:\/\/bkt\.oss-cn-hangzhou\.aliyuncs\.com\/dir%20a\/%E6%96%87%E4%BB%B6%2B1%3F\.bin\?/,
  );
  assert.match(v4, /x-oss-signature-version=OSS4-HMAC-SHA256/);
  assert.equal(await fetchPresigned(v4), 200);
  const v1 = await store({ signatureVersion: 'v1' }).presign('GET', { bucket: 'bkt', key }, 600);
  for (const param of [/[?&]OSSAccessKeyId=test-ak(&|$)/, /[?&]Expires=\d+(&|$)/, /[?&]Signature=[^&]+/])
    assert.match(v1, param);
  assert.equal(await fetchPresigned(v1), 200);
  assert.deepEqual(
    fake.received.map((r) => [r.auth, r.key]),
    [
      ['v4-query', key],
      ['v1-query', key],
    ],
  );
  const sts = await store({
    credentials: { accessKeyId: fake.accessKeyId, secretAccessKey: fake.secret, securityToken: 'T' },
  }).presign('PUT', { bucket: 'bkt', key: 'k' }, 60);
  assert.match(sts, /x-oss-security-token=T/);
});

test('capabilities are the OSS limits', () => {
  const s: ObjectStore = store();
  assert.deepEqual(s.capabilities, {
    minPartSize: 102400,
    maxPartSize: 5 * 1024 ** 3,
    maxParts: 10000,
    copyObjectMaxSize: 1024 ** 3,
    wholeObjectCrc64: true,
    conditionalWrites: { put: true, copy: true, complete: true },
  });
  assert.equal(s.kind, 'oss');
});
