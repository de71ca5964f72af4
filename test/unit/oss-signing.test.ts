/**
 * OSS V1/V4 header signing and presigned URLs against the official SDKs' signer-test vectors
 * (docs/PROTOCOL.md, Appendix) and the computed copy examples of docs/PROTOCOL.md §1.8. Expected
 * values are written here on purpose: the tests depend on nothing outside the repository.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { presignOssV1, presignOssV4 } from '../../main/storage/signing/oss-presign';
import { encodeCopySource, formatQuery } from '../../main/storage/encoding';
import type { OssSignable } from '../../main/storage/signing/oss-request';
import {
  ossV1CanonicalResource,
  ossV1Signature,
  ossV1StringToSign,
  signOssV1,
} from '../../main/storage/signing/oss-v1';
import {
  ossV4AdditionalHeaders,
  ossV4CanonicalRequest,
  ossV4SigningKey,
  ossV4StringToSign,
  signOssV4,
} from '../../main/storage/signing/oss-v4';

const creds = { accessKeyId: 'ak', secretAccessKey: 'sk' };
const DATE_V1 = 'Wed, 28 Dec 2022 10:27:41 GMT';

// ---- A.1 V1 header signing ----

const v1Headers = {
  'Content-MD5': 'eB5eJF1ptWaXm4bijSPyxw==',
  'Content-Type': 'text/html',
  'x-oss-meta-author': 'alice',
  'x-oss-meta-magic': 'abracadabra',
  'x-oss-date': DATE_V1,
};

const v1Auth = (req: OssSignable): string =>
  `OSS ak:${ossV1Signature('sk', ossV1StringToSign(req, DATE_V1))}`;

test('V1 signs a PUT object with MD5, type and x-oss headers (A.1 case 1)', () => {
  const req = { method: 'PUT', bucket: 'examplebucket', key: 'nelson', query: {}, headers: v1Headers };
  assert.equal(
    ossV1StringToSign(req, DATE_V1),
    'PUT\neB5eJF1ptWaXm4bijSPyxw==\ntext/html\nWed, 28 Dec 2022 10:27:41 GMT\n' +
      'x-oss-date:Wed, 28 Dec 2022 10:27:41 GMT\nx-oss-meta-author:alice\nx-oss-meta-magic:abracadabra\n' +
      '/examplebucket/nelson',
  );
  assert.equal(v1Auth(req), 'OSS ak:kSHKmLxlyEAKtZPkJhG9bZb5k7M=');
});

test('V1 signs the ?acl sub-resource (A.1 case 2)', () => {
  const req = {
    method: 'PUT',
    bucket: 'examplebucket',
    key: 'nelson',
    query: { acl: '' },
    headers: v1Headers,
  };
  assert.equal(v1Auth(req), 'OSS ak:/afkugFbmWDQ967j1vr6zygBLQk=');
});

test('V1 leaves ordinary query parameters out of the bucket resource (A.1 case 3)', () => {
  const req = {
    method: 'GET',
    bucket: 'examplebucket',
    query: { resourceGroup: '', 'non-resousce': 'null' },
    headers: { 'x-oss-date': DATE_V1 },
  };
  assert.equal(ossV1CanonicalResource(req), '/examplebucket/?resourceGroup');
  assert.equal(v1Auth(req), 'OSS ak:vkQmfuUDyi1uDi3bKt67oemssIs=');
});

test('V1 sorts several sub-resources (A.1 case 4)', () => {
  const req = {
    method: 'GET',
    bucket: 'examplebucket',
    query: { resourceGroup: '', acl: '' },
    headers: { 'x-oss-date': DATE_V1 },
  };
  assert.equal(ossV1CanonicalResource(req), '/examplebucket/?acl&resourceGroup');
  assert.equal(v1Auth(req), 'OSS ak:x3E5TgOvl/i7PN618s5mEvpJDYk=');
});

test('V1 signs continuation-token and upload ids but not list paging parameters', () => {
  const resource = ossV1CanonicalResource({
    bucket: 'b',
    query: {
      'list-type': '2',
      'continuation-token': 'tok',
      prefix: 'p',
      'max-keys': '10',
      'encoding-type': 'url',
    },
  });
  assert.equal(resource, '/b/?continuation-token=tok');
  assert.equal(ossV1CanonicalResource({ query: {} }), '/');
  assert.equal(
    ossV1CanonicalResource({
      bucket: 'b',
      key: 'k',
      query: { uploadId: 'u', 'max-parts': '5', 'part-number-marker': '3' },
    }),
    '/b/k?uploadId=u',
  );
});

test('signOssV1 adds Date, the STS token and the Authorization header', () => {
  const now = Date.UTC(2022, 11, 28, 10, 27, 41);
  const signed = signOssV1(
    { method: 'PUT', bucket: 'examplebucket', key: 'nelson', query: {}, headers: { ...v1Headers } },
    creds,
    now,
  );
  assert.equal(signed.headers.date, DATE_V1);
  assert.equal(signed.headers.authorization, 'OSS ak:kSHKmLxlyEAKtZPkJhG9bZb5k7M=');
  const sts = signOssV1(
    { method: 'GET', bucket: 'b', key: 'k', query: {}, headers: {} },
    { ...creds, securityToken: 'tok' },
    now,
  );
  assert.equal(sts.headers['x-oss-security-token'], 'tok');
  assert.match(sts.stringToSign, /\nx-oss-security-token:tok\n\/b\/k$/);
});

// ---- A.2 V1 presigned URLs ----

test('V1 presign puts Expires in the Date slot (A.2 case 1)', () => {
  const p = presignOssV1(
    { method: 'GET', bucket: 'bucket', key: 'key', query: { versionId: 'versionId' }, headers: {} },
    creds,
    1699807420,
  );
  assert.equal(p.query.Signature, 'dcLTea+Yh9ApirQ8o8dOPqtvJXQ=');
  assert.equal(p.query.Expires, '1699807420');
  assert.equal(p.query.OSSAccessKeyId, 'ak');
});

test('V1 presign signs the raw key and the security-token sub-resource (A.2 case 2)', () => {
  const p = presignOssV1(
    { method: 'GET', bucket: 'bucket', key: 'key+123', query: { versionId: 'versionId' }, headers: {} },
    { ...creds, securityToken: 'token' },
    1699808204,
  );
  assert.match(p.stringToSign, /\n\/bucket\/key\+123\?security-token=token&versionId=versionId$/);
  assert.equal(p.query.Signature, 'jzKYRrM5y6Br0dRFPaTGOsbrDhY=');
  assert.equal(p.query['security-token'], 'token');
  assert.match(
    formatQuery(Object.entries(p.query), { emptyValueEquals: false }),
    /Signature=jzKYRrM5y6Br0dRFPaTGOsbrDhY%3D/,
  );
});

test('V1 presign signs response-content-disposition with its raw value and the Content-Type (A.2 Python)', () => {
  const p = presignOssV1(
    {
      method: 'GET',
      bucket: 'bucket',
      key: 'key',
      query: {
        versionId: 'versionId?param1=value1',
        'response-content-disposition': 'attachment; filename=example.txt',
      },
      headers: { 'content-type': 'application/octet-stream', 'x-oss-head1': 'value' },
    },
    { ...creds, securityToken: 'token' },
    1699808204,
  );
  assert.equal(p.query.Signature, '3GJoEOv5LX2ASp0HJk/hAk+qLJc=');
});

// ---- A.3 V4 header signing ----

const V4_KEY = '1234+-/123/1.txt';
const v4Query = {
  param1: 'value1',
  '+param1': 'value3',
  '|param1': 'value4',
  '+param2': '',
  '|param2': '',
  param2: '',
};
const v4Headers = (extra: Record<string, string> = {}) => ({
  'x-oss-head1': 'value',
  abc: 'value',
  ZAbc: 'value',
  XYZ: 'value',
  'content-type': 'text/plain',
  ...extra,
});

test('V4 builds the canonical request of the public vector and signs it (A.3 TestV4AuthHeader)', () => {
  const now = 1702743657_000;
  const signed = signOssV4(
    { method: 'PUT', bucket: 'bucket', key: V4_KEY, query: v4Query, headers: v4Headers() },
    creds,
    { region: 'cn-hangzhou' },
    now,
  );
  assert.equal(
    signed.canonicalRequest,
    'PUT\n/bucket/1234%2B-/123/1.txt\n' +
      '%2Bparam1=value3&%2Bparam2&%7Cparam1=value4&%7Cparam2&param1=value1&param2\n' +
      'content-type:text/plain\nx-oss-content-sha256:UNSIGNED-PAYLOAD\nx-oss-date:20231216T162057Z\nx-oss-head1:value\n' +
      '\n\nUNSIGNED-PAYLOAD',
  );
  assert.equal(
    signed.stringToSign.split('\n')[3],
    'f4613657f1b108998e8dbd10a1aa5da621dc2c6e02c9ddec0f163664848704c4',
  );
  assert.equal(
    ossV4SigningKey('sk', '20231216', 'cn-hangzhou').toString('hex'),
    'b412a03b134ebddd720f5167b5de6db66620ebb3b01cff4d49e3ccb09f8de97f',
  );
  assert.equal(
    signed.headers.authorization,
    'OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request,' +
      'Signature=e21d18daa82167720f9b1047ae7e7f1ce7cb77a31e8203a7d5f4624fa0284afe',
  );
  assert.equal(signed.headers['x-oss-date'], '20231216T162057Z');
  assert.equal(signed.headers.date, 'Sat, 16 Dec 2023 16:20:57 GMT');
});

test('V4 signs the STS token header (A.3 Token)', () => {
  const signed = signOssV4(
    { method: 'PUT', bucket: 'bucket', key: V4_KEY, query: v4Query, headers: v4Headers() },
    { ...creds, securityToken: 'token' },
    { region: 'cn-hangzhou' },
    1702784856_000,
  );
  assert.equal(
    signed.headers.authorization,
    'OSS4-HMAC-SHA256 Credential=ak/20231217/cn-hangzhou/oss/aliyun_v4_request,' +
      'Signature=b94a3f999cf85bcdc00d332fbd3734ba03e48382c36fa4d5af5df817395bd9ea',
  );
});

test('V4 AdditionalHeaders are lower-cased, sorted and stripped of default and absent names (A.3)', () => {
  const expected =
    'OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request,AdditionalHeaders=abc;zabc,' +
    'Signature=4a4183c187c07c8947db7620deb0a6b38d9fbdd34187b6dbaccb316fa251212f';
  for (const requested of [
    ['ZAbc', 'abc'],
    ['x-oss-no-exist', 'ZAbc', 'x-oss-head1', 'abc'],
  ]) {
    const signed = signOssV4(
      { method: 'PUT', bucket: 'bucket', key: V4_KEY, query: v4Query, headers: v4Headers() },
      creds,
      { region: 'cn-hangzhou', additionalHeaders: requested },
      1702747512_000,
    );
    assert.equal(signed.headers.authorization, expected);
  }
  assert.deepEqual(
    ossV4AdditionalHeaders(['Host', 'missing', 'content-type'], { host: 'h', 'content-type': 't' }),
    ['host'],
  );
});

test('V4 signs for Cloud Box with its product and region (A.3 CloudBox)', () => {
  const signed = signOssV4(
    { method: 'PUT', bucket: 'bucket', key: V4_KEY, query: v4Query, headers: v4Headers() },
    creds,
    { region: 'cb-123', product: 'oss-cloudbox' },
    1702743657_000,
  );
  assert.equal(
    signed.headers.authorization,
    'OSS4-HMAC-SHA256 Credential=ak/20231216/cb-123/oss-cloudbox/aliyun_v4_request,' +
      'Signature=94ce1f12c17d148ea681030275a94449d3357f5b5b21133996eec80af3e08a43',
  );
});

// ---- A.4 V4 presigned URLs ----

const presignHeaders = {
  'x-oss-head1': 'value',
  abc: 'value',
  ZAbc: 'value',
  XYZ: 'value',
  'content-type': 'application/octet-stream',
};
const presignReq = { method: 'PUT', bucket: 'bucket', key: V4_KEY, query: v4Query, headers: presignHeaders };
const at = (iso: string): number =>
  Date.UTC(
    +iso.slice(0, 4),
    +iso.slice(4, 6) - 1,
    +iso.slice(6, 8),
    +iso.slice(9, 11),
    +iso.slice(11, 13),
    +iso.slice(13, 15),
  );

test('V4 presign signs the auth query parameters (A.4 TestV4AuthQuery)', () => {
  const p = presignOssV4(presignReq, creds, { region: 'cn-hangzhou' }, at('20231217T025437Z'), 599);
  assert.equal(
    p.query['x-oss-signature'],
    'a39966c61718be0d5b14e668088b3fa07601033f6518ac7b523100014269c0fe',
  );
  assert.equal(p.query['x-oss-credential'], 'ak/20231217/cn-hangzhou/oss/aliyun_v4_request');
  assert.equal(p.query['x-oss-expires'], '599');
  const qs = formatQuery(Object.entries(p.query), { emptyValueEquals: false });
  assert.match(qs, /x-oss-credential=ak%2F20231217%2Fcn-hangzhou%2Foss%2Faliyun_v4_request/);
  assert.match(qs, /(^|&)%2Bparam2(&|$)/);
});

test('V4 presign puts the STS token in the query (A.4 Token)', () => {
  const p = presignOssV4(
    presignReq,
    { ...creds, securityToken: 'token' },
    { region: 'cn-hangzhou' },
    at('20231217T035628Z'),
    599,
  );
  assert.equal(p.query['x-oss-security-token'], 'token');
  assert.equal(
    p.query['x-oss-signature'],
    '3817ac9d206cd6dfc90f1c09c00be45005602e55898f26f5ddb06d7892e1f8b5',
  );
});

test('V4 presign with additional headers (A.4 WithAdditionalHeaders)', () => {
  const p = presignOssV4(
    presignReq,
    creds,
    { region: 'cn-hangzhou', additionalHeaders: ['ZAbc', 'abc'] },
    at('20231217T033009Z'),
    599,
  );
  assert.equal(p.query['x-oss-additional-headers'], 'abc;zabc');
  assert.equal(
    p.query['x-oss-signature'],
    '6bd984bfe531afb6db1f7550983a741b103a8c58e5e14f83ea474c2322dfa2b7',
  );
});

test('V4 presign for Cloud Box (A.4 WithCloudBox)', () => {
  const p = presignOssV4(
    presignReq,
    creds,
    { region: 'cb-123', product: 'oss-cloudbox', additionalHeaders: ['ZAbc', 'abc'] },
    at('20231217T025437Z'),
    599,
  );
  assert.equal(
    p.query['x-oss-signature'],
    '07284191b9b4978ac3520cd39ee2dea2747eda454089359371ff463a6c7ba20f',
  );
});

test('V4 presign with a five-day expiry (A.4 Python long expiration) and rejects more than 7 days', () => {
  const p = presignOssV4(presignReq, creds, { region: 'cn-hangzhou' }, at('20231217T025437Z'), 432000);
  assert.equal(
    p.query['x-oss-signature'],
    '31029123dc7732d2d2cfd4006ea4fdb6cf86da6478f813e2bf8f87877c7b9fec',
  );
  assert.throws(() => presignOssV4(presignReq, creds, { region: 'cn-hangzhou' }, 0, 604801), RangeError);
});

// ---- §1.8 derived copy examples ----

const copySource = encodeCopySource('src-bucket', 'dir a/文件+1.bin', undefined, true);
const partCopy = {
  method: 'PUT',
  bucket: 'dst-bucket',
  key: 'dst/obj.bin',
  query: { partNumber: '1', uploadId: '0004B9894A22E5B1888A1E29F8236E2D' },
  headers: {
    'x-oss-copy-source': copySource,
    'x-oss-copy-source-range': 'bytes=0-67108863',
    'x-oss-copy-source-if-match': '"0123456789ABCDEF0123456789ABCDEF"',
  },
};
const COPY_NOW = Date.UTC(2026, 0, 5, 8, 0, 0);

test('the copy-source header encodes the key once with RFC 3986, keeping slashes (§1.8)', () => {
  assert.equal(copySource, '/src-bucket/dir%20a/%E6%96%87%E4%BB%B6%2B1.bin');
});

test('V1 UploadPartCopy string-to-sign and Authorization match the derived example (§1.8)', () => {
  const signed = signOssV1(partCopy, creds, COPY_NOW);
  assert.equal(
    signed.stringToSign,
    'PUT\n\n\nMon, 05 Jan 2026 08:00:00 GMT\n' +
      'x-oss-copy-source:/src-bucket/dir%20a/%E6%96%87%E4%BB%B6%2B1.bin\n' +
      'x-oss-copy-source-if-match:"0123456789ABCDEF0123456789ABCDEF"\n' +
      'x-oss-copy-source-range:bytes=0-67108863\n' +
      '/dst-bucket/dst/obj.bin?partNumber=1&uploadId=0004B9894A22E5B1888A1E29F8236E2D',
  );
  assert.equal(signed.headers.authorization, 'OSS ak:ynkDJX7YbYr6prAozb4etxMJk1w=');
});

test('V4 UploadPartCopy canonical request and Authorization match the derived example (§1.8)', () => {
  const signed = signOssV4(partCopy, creds, { region: 'cn-hangzhou' }, COPY_NOW);
  assert.equal(
    signed.canonicalRequest,
    'PUT\n/dst-bucket/dst/obj.bin\npartNumber=1&uploadId=0004B9894A22E5B1888A1E29F8236E2D\n' +
      'x-oss-content-sha256:UNSIGNED-PAYLOAD\n' +
      'x-oss-copy-source:/src-bucket/dir%20a/%E6%96%87%E4%BB%B6%2B1.bin\n' +
      'x-oss-copy-source-if-match:"0123456789ABCDEF0123456789ABCDEF"\n' +
      'x-oss-copy-source-range:bytes=0-67108863\n' +
      'x-oss-date:20260105T080000Z\n\n\nUNSIGNED-PAYLOAD',
  );
  assert.equal(
    ossV4StringToSign('20260105T080000Z', { region: 'cn-hangzhou' }, signed.canonicalRequest).split('\n')[3],
    '847b30b97ab5ba120642b9afeaeba5ede6fb5e486a64671095463a3aa5af70ea',
  );
  assert.equal(
    signed.headers.authorization,
    'OSS4-HMAC-SHA256 Credential=ak/20260105/cn-hangzhou/oss/aliyun_v4_request,' +
      'Signature=9bb66e07ce6460d15659d1651ba0d3c7504add01101fd6d8f1daaf610b0e53dd',
  );
});

test('V4 ListObjectsV2 canonical request keeps the bucket trailing slash (§1.8)', () => {
  const creq = ossV4CanonicalRequest(
    {
      method: 'GET',
      bucket: 'dst-bucket',
      key: '',
      query: { 'list-type': '2', prefix: 'a b/', delimiter: '/', 'encoding-type': 'url', 'max-keys': '1000' },
      headers: { 'x-oss-date': '20260105T080000Z', 'x-oss-content-sha256': 'UNSIGNED-PAYLOAD' },
    },
    [],
  );
  assert.equal(
    creq,
    'GET\n/dst-bucket/\ndelimiter=%2F&encoding-type=url&list-type=2&max-keys=1000&prefix=a%20b%2F\n' +
      'x-oss-content-sha256:UNSIGNED-PAYLOAD\nx-oss-date:20260105T080000Z\n\n\nUNSIGNED-PAYLOAD',
  );
});

test('V4 Initiate writes the empty uploads parameter as a bare name (§1.8)', () => {
  const creq = ossV4CanonicalRequest(
    { method: 'POST', bucket: 'dst-bucket', key: 'dst/obj.bin', query: { uploads: '' }, headers: {} },
    [],
  );
  assert.equal(creq.split('\n')[2], 'uploads');
});

test('non-ASCII metadata is signed over its UTF-8 bytes in both versions', () => {
  const req = {
    method: 'PUT',
    bucket: 'b',
    key: '文件',
    query: {},
    headers: { 'x-oss-meta-name': 'Grüße 文件' },
  };
  const v1 = signOssV1(req, creds, COPY_NOW);
  assert.match(v1.stringToSign, /x-oss-meta-name:Grüße 文件\n\/b\/文件$/);
  const v4 = signOssV4(req, creds, { region: 'cn-hangzhou' }, COPY_NOW);
  assert.match(v4.canonicalRequest, /^PUT\n\/b\/%E6%96%87%E4%BB%B6\n/);
  assert.match(v4.canonicalRequest, /x-oss-meta-name:Grüße 文件\n/);
});
