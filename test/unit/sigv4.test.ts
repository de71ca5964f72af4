/**
 * SigV4 against the public vectors (AWS's S3 signature examples and smithy's signature-v4 suite;
 * docs/PROTOCOL.md, Appendix) and the computed S3 UploadPartCopy example of docs/PROTOCOL.md §1.8.
 * Expected values are written here; nothing is imported from outside the repository.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { encodeCopySource, encodePath, toHeaderBytes } from '../../main/storage/encoding';
import {
  EMPTY_PAYLOAD_SHA256,
  UNSIGNED_PAYLOAD,
  amzDate,
  presignQuery,
  signRequest,
  signingKey,
} from '../../main/storage/signing/sigv4';

const E = EMPTY_PAYLOAD_SHA256;
const S3 = {
  creds: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
  scope: { region: 'us-east-1', date: new Date('2013-05-24T00:00:00Z') },
  host: 'examplebucket.s3.amazonaws.com',
};

describe('SigV4 — AWS S3 examples (A.6)', () => {
  it('signs GET /test.txt with a Range header', () => {
    const r = signRequest(
      { method: 'GET', path: '/test.txt', headers: { host: S3.host, range: 'bytes=0-9' }, payloadHash: E },
      S3.creds,
      S3.scope,
    );
    assert.equal(r.signature, 'f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41');
    assert.equal(
      createHash('sha256').update(r.canonicalRequest).digest('hex'),
      '7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972',
    );
    assert.equal(
      r.headers.authorization,
      'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, ' +
        'SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, ' +
        'Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
    );
  });

  it('signs PUT /test$file.text with a body hash, Date and storage class', () => {
    const body = 'Welcome to Amazon S3.';
    const hash = createHash('sha256').update(body).digest('hex');
    assert.ok(hash.startsWith('44ce7dd6') && hash.endsWith('b072'));
    const r = signRequest(
      {
        method: 'PUT',
        path: encodePath('/test$file.text'),
        headers: {
          host: S3.host,
          date: 'Fri, 24 May 2013 00:00:00 GMT',
          'x-amz-storage-class': 'REDUCED_REDUNDANCY',
        },
        payloadHash: hash,
      },
      S3.creds,
      S3.scope,
    );
    assert.equal(r.canonicalRequest.split('\n')[1], '/test%24file.text');
    assert.match(
      r.headers.authorization!,
      /SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class,/,
    );
    assert.equal(r.signature, '98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd');
  });

  it('signs GET /?lifecycle with an empty-valued sub-resource written as lifecycle=', () => {
    const r = signRequest(
      { method: 'GET', path: '/', query: [['lifecycle', '']], headers: { host: S3.host }, payloadHash: E },
      S3.creds,
      S3.scope,
    );
    assert.equal(r.query, 'lifecycle=');
    assert.equal(r.signature, 'fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543');
  });

  it('signs GET /?max-keys=2&prefix=J', () => {
    const r = signRequest(
      {
        method: 'GET',
        path: '/',
        query: [
          ['prefix', 'J'],
          ['max-keys', '2'],
        ],
        headers: { host: S3.host },
        payloadHash: E,
      },
      S3.creds,
      S3.scope,
    );
    assert.equal(r.query, 'max-keys=2&prefix=J');
    assert.equal(r.signature, '34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7');
  });

  it('presigns GET /test.txt for 86400 s', () => {
    const r = presignQuery(
      { method: 'GET', path: '/test.txt', host: S3.host, expiresSeconds: 86400 },
      S3.creds,
      S3.scope,
    );
    assert.equal(r.signature, 'aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404');
    assert.equal(
      r.query,
      'X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request' +
        '&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host' +
        '&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404',
    );
  });

  it('puts the session token into a presigned URL and refuses lifetimes over 7 days', () => {
    const creds = { ...S3.creds, sessionToken: 'tok/en+=' };
    const r = presignQuery(
      { method: 'GET', path: '/test.txt', host: S3.host, expiresSeconds: 60 },
      creds,
      S3.scope,
    );
    assert.match(r.query, /X-Amz-Security-Token=tok%2Fen%2B%3D/);
    assert.notEqual(
      r.signature,
      presignQuery(
        { method: 'GET', path: '/test.txt', host: S3.host, expiresSeconds: 60 },
        S3.creds,
        S3.scope,
      ).signature,
    );
    assert.throws(() =>
      presignQuery({ method: 'GET', path: '/', host: S3.host, expiresSeconds: 604_801 }, S3.creds, S3.scope),
    );
  });
});

describe('SigV4 — generic suite (A.7)', () => {
  const creds = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
  const scope = { region: 'us-east-1', service: 'service', date: new Date('2015-08-30T12:36:00Z') };
  const host = 'example.amazonaws.com';
  const token =
    'AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==';

  it('get-vanilla', () => {
    const r = signRequest({ method: 'GET', path: '/', headers: { host }, payloadHash: E }, creds, scope);
    assert.equal(r.signature, '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31');
    assert.equal(r.headers['x-amz-content-sha256'], undefined);
  });

  it('post-sts-header-before: the session token is sent and signed', () => {
    const r = signRequest(
      { method: 'POST', path: '/', headers: { host }, payloadHash: E },
      { ...creds, sessionToken: token },
      scope,
    );
    assert.equal(r.headers['x-amz-security-token'], token);
    assert.match(r.headers.authorization!, /SignedHeaders=host;x-amz-date;x-amz-security-token,/);
    assert.equal(r.signature, '85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead');
  });

  it('post-sts-header-after: signing without the token gives the unsigned-token signature', () => {
    const r = signRequest({ method: 'POST', path: '/', headers: { host }, payloadHash: E }, creds, scope);
    assert.equal(r.signature, '5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b');
  });
});

describe('SigV4 — smithy unit tests (A.8)', () => {
  it('signs the session token header', () => {
    // service "foo" is not S3, so add the payload hash header the vector signs.
    const withHash = signRequest(
      {
        method: 'POST',
        path: '/',
        headers: { host: 'foo.us-bar-1.amazonaws.com', 'x-amz-content-sha256': E },
        payloadHash: E,
      },
      { accessKeyId: 'foo', secretAccessKey: 'bar', sessionToken: 'baz' },
      { region: 'us-bar-1', service: 'foo', date: new Date('2000-01-01T00:00:00Z') },
    );
    assert.match(
      withHash.headers.authorization!,
      /SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token,/,
    );
    assert.equal(withHash.signature, '4fd09a8cf3b28a62a9c6c424f03ababcd703528578bc6ec9184fc585f18c3fbb');
  });

  it('derives the signing key', () => {
    assert.equal(
      signingKey('bar', '19700101', 'us-foo-1', 'bar').toString('hex'),
      'b7c34d23320b5cd909500c889eac033a33c93f5a4bf67f71988a58f299e62e0a',
    );
  });
});

describe('SigV4 — derived S3 examples (§1.8)', () => {
  const creds = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' };
  const scope = { region: 'eu-west-1', date: new Date('2026-01-05T08:00:00Z') };
  const host = 'dst-bucket.s3.eu-west-1.amazonaws.com';

  it('signs a virtual-hosted UploadPartCopy of a key with a space, CJK and +', () => {
    const r = signRequest(
      {
        method: 'PUT',
        path: '/' + encodePath('dst/obj.bin'),
        query: [
          ['uploadId', 'EXAMPLEUPLOADID'],
          ['partNumber', '1'],
        ],
        headers: {
          host,
          'x-amz-copy-source': encodeCopySource('src-bucket', 'dir a/文件+1.bin'),
          'x-amz-copy-source-range': 'bytes=0-67108863',
        },
        payloadHash: E,
      },
      creds,
      scope,
    );
    assert.equal(
      r.canonicalRequest,
      [
        'PUT',
        '/dst/obj.bin',
        'partNumber=1&uploadId=EXAMPLEUPLOADID',
        `host:${host}`,
        'x-amz-content-sha256:' + E,
        'x-amz-copy-source:src-bucket/dir%20a/%E6%96%87%E4%BB%B6%2B1.bin',
        'x-amz-copy-source-range:bytes=0-67108863',
        'x-amz-date:20260105T080000Z',
        '',
        'host;x-amz-content-sha256;x-amz-copy-source;x-amz-copy-source-range;x-amz-date',
        E,
      ].join('\n'),
    );
    assert.equal(r.signature, 'cd593e5139d2ba998be01389dec640bb929a112e20eb159fbb10261637686b11');
  });

  it('writes the CreateMultipartUpload sub-resource as uploads=', () => {
    const r = signRequest(
      { method: 'POST', path: '/dst/obj.bin', query: [['uploads', '']], headers: { host }, payloadHash: E },
      creds,
      scope,
    );
    assert.equal(r.canonicalRequest.split('\n')[2], 'uploads=');
  });
});

describe('SigV4 — header handling', () => {
  const creds = { accessKeyId: 'ak', secretAccessKey: 'sk' };
  const scope = { region: 'us-east-1', date: new Date('2026-01-05T08:00:00Z') };

  it('trims and collapses header whitespace and never signs hop-by-hop headers', () => {
    const r = signRequest(
      {
        method: 'GET',
        path: '/',
        headers: { Host: 'h', 'X-Amz-Meta-A': '  a   b  ', 'User-Agent': 'x', 'Content-Length': '0' },
        payloadHash: UNSIGNED_PAYLOAD,
      },
      creds,
      scope,
    );
    assert.match(r.canonicalRequest, /\nx-amz-meta-a:a b\n/);
    assert.match(
      r.headers.authorization!,
      /SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-meta-a,/,
    );
  });

  it('hashes non-ASCII header values as the UTF-8 bytes that go on the wire', () => {
    const wire = toHeaderBytes('文件');
    const r = signRequest(
      { method: 'PUT', path: '/k', headers: { host: 'h', 'x-amz-meta-n': wire }, payloadHash: E },
      creds,
      scope,
    );
    const creq = Buffer.from(r.canonicalRequest, 'latin1');
    assert.ok(creq.includes(Buffer.from('x-amz-meta-n:文件\n', 'utf8')));
    assert.throws(() =>
      signRequest(
        { method: 'PUT', path: '/k', headers: { host: 'h', 'x-amz-meta-n': '文件' }, payloadHash: E },
        creds,
        scope,
      ),
    );
  });

  it('formats x-amz-date without separators or milliseconds', () => {
    assert.equal(amzDate(new Date('2026-01-05T08:00:00.123Z')), '20260105T080000Z');
  });
});
