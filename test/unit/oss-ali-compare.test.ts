/**
 * Ferry's OSS signers against the official Node SDK (ali-oss): each operation is issued through
 * ali-oss with a capturing `urllib`, and Ferry signs the very request ali-oss sent (same method,
 * path, query, headers and time). The string-to-sign / canonical request and the Authorization
 * must be byte-identical, in V1 and V4, with and without STS tokens.
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import type { HttpClient } from '../../main/storage/http';
import { OssStore } from '../../main/storage/oss/oss-store';
import type { OssSignable } from '../../main/storage/signing/oss-request';
import { presignOssV1, presignOssV4 } from '../../main/storage/signing/oss-presign';
import { ossV1Signature, ossV1StringToSign } from '../../main/storage/signing/oss-v1';
import { ossV4CanonicalRequest, ossV4Signature, ossV4StringToSign } from '../../main/storage/signing/oss-v4';

const require = createRequire(__filename);
const OSS = require('ali-oss') as new (options: Record<string, unknown>) => AliClient;
const signUtils = require('ali-oss/lib/common/signUtils.js') as {
  buildCanonicalString(method: string, resource: string, request: object, expires?: string): string;
  getCanonicalRequest(
    method: string,
    request: object,
    bucket?: string,
    object?: string,
    additional?: string[],
  ): string;
};

interface AliClient {
  listV2(query: Record<string, unknown>, options?: object): Promise<unknown>;
  head(name: string, options?: object): Promise<unknown>;
  copy(name: string, source: string, sourceBucket?: string, options?: object): Promise<unknown>;
  initMultipartUpload(name: string, options?: object): Promise<unknown>;
  uploadPartCopy(
    name: string,
    uploadId: string,
    partNo: number,
    range: string,
    source: { sourceKey: string; sourceBucketName: string },
    options?: object,
  ): Promise<unknown>;
  completeMultipartUpload(
    name: string,
    uploadId: string,
    parts: { number: number; etag: string }[],
  ): Promise<unknown>;
  signatureUrl(name: string, options?: object): string;
  signatureUrlV4(method: string, expires: number, request?: object, objectName?: string): Promise<string>;
}

interface Captured {
  method: string;
  url: string;
  headers: Record<string, string>;
}

const AK = 'LTAI-test-ak';
const SK = 'test/secret+key=';
const TOKEN = 'CAIS-sts-token/with+chars=';

/** An ali-oss client whose HTTP layer records the request and answers with canned XML. */
function aliClient(v4: boolean, sts: boolean, captured: Captured[], reply: string) {
  const urllib = {
    async request(url: string, params: { method: string; headers: Record<string, unknown> }) {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(params.headers))
        if (v !== undefined) headers[k.toLowerCase()] = String(v);
      captured.push({ method: params.method, url, headers });
      const body = Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>\n${reply}`);
      const resHeaders = { 'content-type': 'application/xml', etag: '"E"', 'x-oss-request-id': 'r' };
      return { status: 200, headers: resHeaders, data: body, res: { status: 200, headers: resHeaders } };
    },
  };
  return new OSS({
    region: 'oss-cn-hangzhou',
    bucket: 'dst-bucket',
    accessKeyId: AK,
    accessKeySecret: SK,
    ...(sts ? { stsToken: TOKEN } : {}),
    authorizationV4: v4,
    secure: true,
    urllib,
  });
}

/** The request ali-oss sent, in the shape Ferry's signers take (decoded key and query). */
function signable(c: Captured): OssSignable {
  const m = /^https:\/\/([^.]+)\.oss-cn-hangzhou\.aliyuncs\.com(\/[^?]*)(?:\?(.*))?$/.exec(c.url);
  assert.ok(m, c.url);
  const query: Record<string, string> = {};
  for (const part of (m[3] ?? '').split('&').filter(Boolean)) {
    const eq = part.indexOf('=');
    query[decodeURIComponent(eq < 0 ? part : part.slice(0, eq))] =
      eq < 0 ? '' : decodeURIComponent(part.slice(eq + 1));
  }
  const headers = { ...c.headers };
  delete headers.authorization;
  return { method: c.method, bucket: m[1], key: decodeURIComponent(m[2]!.slice(1)), query, headers };
}

function assertSameV1(c: Captured, subres: Record<string, string>): void {
  const req = signable(c);
  const date = c.headers['x-oss-date']!;
  const ours = ossV1StringToSign(req, date);
  const resource = `/${req.bucket}/${req.key ?? ''}`;
  const theirs = signUtils.buildCanonicalString(c.method, resource, {
    headers: c.headers,
    parameters: subres,
  });
  assert.equal(ours, theirs);
  assert.equal(`OSS ${AK}:${ossV1Signature(SK, ours)}`, c.headers.authorization);
}

function assertSameV4(c: Captured): void {
  const req = signable(c);
  const datetime = c.headers['x-oss-date']!;
  const ours = ossV4CanonicalRequest(req, []);
  const queries: Record<string, string | null> = {};
  for (const [k, v] of Object.entries(req.query)) queries[k] = v === '' ? null : v;
  const theirs = signUtils.getCanonicalRequest(
    c.method,
    { headers: c.headers, queries },
    req.bucket,
    req.key,
    [],
  );
  assert.equal(ours, theirs);
  const scope = { region: 'cn-hangzhou' };
  const signature = ossV4Signature(SK, scope, ossV4StringToSign(datetime, scope, ours), datetime);
  assert.equal(
    c.headers.authorization,
    `OSS4-HMAC-SHA256 Credential=${AK}/${datetime.slice(0, 8)}/cn-hangzhou/oss/aliyun_v4_request,Signature=${signature}`,
  );
}

const KEY = 'dir a/文件+1 (copy)&x=y.bin';
const SRC_KEY = 'src dir/ünï+%.dat';
const UPLOAD_ID = '0004B9894A22E5B1888A1E29F8236E2D';

type Op = {
  name: string;
  reply: string;
  run: (c: AliClient) => Promise<unknown>;
  subres: Record<string, string>;
};

const ops: Op[] = [
  {
    name: 'ListObjectsV2 with prefix, delimiter and continuation token',
    reply: '<ListBucketResult><IsTruncated>false</IsTruncated></ListBucketResult>',
    run: (c) =>
      c.listV2({
        prefix: 'dir a/',
        delimiter: '/',
        'max-keys': 100,
        'continuation-token': 'tok+en/1',
        'encoding-type': 'url',
      }),
    subres: { 'continuation-token': 'tok+en/1' },
  },
  { name: 'HeadObject', reply: '', run: (c) => c.head(KEY), subres: {} },
  {
    name: 'CopyObject with metadata directive and copy-source-if-match',
    reply: '<CopyObjectResult><ETag>"E"</ETag></CopyObjectResult>',
    run: (c) =>
      c.copy(KEY, SRC_KEY, 'src-bucket', {
        headers: {
          'x-oss-metadata-directive': 'COPY',
          'x-oss-copy-source-if-match': '"ABC"',
          'x-oss-forbid-overwrite': 'true',
        },
      }),
    subres: {},
  },
  {
    name: 'InitiateMultipartUpload with user metadata',
    reply: `<InitiateMultipartUploadResult><Bucket>dst-bucket</Bucket><Key>k</Key><UploadId>${UPLOAD_ID}</UploadId></InitiateMultipartUploadResult>`,
    run: (c) =>
      c.initMultipartUpload(KEY, { meta: { author: 'alice' }, headers: { 'x-oss-storage-class': 'IA' } }),
    subres: { uploads: '' },
  },
  {
    name: 'UploadPartCopy with range and if-match',
    reply: '<CopyPartResult><ETag>"P"</ETag></CopyPartResult>',
    run: (c) =>
      c.uploadPartCopy(
        KEY,
        UPLOAD_ID,
        3,
        '0-102399',
        { sourceKey: SRC_KEY, sourceBucketName: 'src-bucket' },
        {
          headers: { 'x-oss-copy-source-if-match': '"ABC"' },
        },
      ),
    subres: { partNumber: '3', uploadId: UPLOAD_ID },
  },
  {
    name: 'CompleteMultipartUpload',
    reply: '<CompleteMultipartUploadResult><ETag>"F"</ETag></CompleteMultipartUploadResult>',
    run: (c) =>
      c.completeMultipartUpload(KEY, UPLOAD_ID, [
        { number: 1, etag: '"P1"' },
        { number: 2, etag: '"P2"' },
      ]),
    subres: { uploadId: UPLOAD_ID },
  },
];

for (const v4 of [false, true]) {
  for (const sts of [false, true]) {
    for (const op of ops) {
      test(`${v4 ? 'V4' : 'V1'}${sts ? ' + STS' : ''}: ${op.name} signs byte-identically to ali-oss`, async () => {
        const captured: Captured[] = [];
        await op.run(aliClient(v4, sts, captured, op.reply));
        assert.equal(captured.length, 1);
        const c = captured[0]!;
        if (sts) assert.equal(c.headers['x-oss-security-token'], TOKEN);
        if (v4) assertSameV4(c);
        else assertSameV1(c, op.subres);
      });
    }
  }
}

test('V1 presigned GET matches ali-oss signatureUrl, with and without STS', () => {
  for (const sts of [false, true]) {
    const url = new URL(aliClient(false, sts, [], '').signatureUrl(KEY, { expires: 600 }));
    const expires = Number(url.searchParams.get('Expires'));
    const ours = presignOssV1(
      { method: 'GET', bucket: 'dst-bucket', key: KEY, query: {}, headers: {} },
      { accessKeyId: AK, secretAccessKey: SK, securityToken: sts ? TOKEN : undefined },
      expires,
    );
    assert.equal(ours.query.Signature, url.searchParams.get('Signature'));
    assert.equal(ours.query.OSSAccessKeyId, url.searchParams.get('OSSAccessKeyId'));
    if (sts) assert.equal(url.searchParams.get('security-token'), TOKEN);
  }
});

test('V4 presigned GET matches ali-oss signatureUrlV4, with and without STS', async () => {
  for (const sts of [false, true]) {
    const url = new URL(await aliClient(true, sts, [], '').signatureUrlV4('GET', 600, {}, KEY));
    const datetime = url.searchParams.get('x-oss-date')!;
    const at = Date.UTC(
      +datetime.slice(0, 4),
      +datetime.slice(4, 6) - 1,
      +datetime.slice(6, 8),
      +datetime.slice(9, 11),
      +datetime.slice(11, 13),
      +datetime.slice(13, 15),
    );
    const ours = presignOssV4(
      { method: 'GET', bucket: 'dst-bucket', key: KEY, query: {}, headers: {} },
      { accessKeyId: AK, secretAccessKey: SK, securityToken: sts ? TOKEN : undefined },
      { region: 'cn-hangzhou' },
      at,
      600,
    );
    assert.equal(ours.query['x-oss-credential'], url.searchParams.get('x-oss-credential'));
    assert.equal(ours.query['x-oss-signature'], url.searchParams.get('x-oss-signature'));
  }
});

/**
 * A custom domain (CNAME): ali-oss's `cname: true` sends to the domain with no bucket in host or
 * path and signs `/bucket/key`. Ferry's OssStore must send to the same host and key, and Ferry's
 * signer, given ali-oss's request, must produce its Authorization byte for byte, in V1 and V4.
 */
for (const v4 of [false, true]) {
  test(`${v4 ? 'V4' : 'V1'}: a CNAME endpoint sends and signs the request exactly as ali-oss's cname option does`, async () => {
    const captured: Captured[] = [];
    const urllib = {
      async request(url: string, params: { method: string; headers: Record<string, unknown> }) {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(params.headers))
          if (v !== undefined) headers[k.toLowerCase()] = String(v);
        captured.push({ method: params.method, url, headers });
        const resHeaders = { etag: '"E"', 'x-oss-request-id': 'r' };
        return {
          status: 204,
          headers: resHeaders,
          data: Buffer.alloc(0),
          res: { status: 204, headers: resHeaders },
        };
      },
    };
    const ali = new OSS({
      endpoint: 'https://files.example.com',
      cname: true,
      region: 'oss-cn-hangzhou',
      bucket: 'dst-bucket',
      accessKeyId: AK,
      accessKeySecret: SK,
      authorizationV4: v4,
      urllib,
    }) as AliClient & { delete(name: string): Promise<unknown> };
    await ali.delete(KEY);
    const theirs = captured[0]!;

    const sent: { origin: string; path: string; headers: Record<string, string> }[] = [];
    const http = {
      async request(req: { origin: string; path: string; headers: Record<string, string> }) {
        sent.push(req);
        return { status: 204, headers: {}, body: Readable.from([]) };
      },
    } as unknown as HttpClient;
    const ferry = new OssStore({
      endpoint: 'https://files.example.com',
      cname: true,
      cnameBucket: 'dst-bucket',
      region: 'cn-hangzhou',
      signatureVersion: v4 ? 'v4' : 'v1',
      credentials: { accessKeyId: AK, secretAccessKey: SK },
      http,
    });
    await ferry.deleteObject('dst-bucket', KEY);
    const ours = sent[0]!;
    // Same host, same path once decoded (ali-oss leaves `(` `)` unescaped, Ferry escapes every byte
    // outside RFC 3986's unreserved set; the server reads both as the same key), same signature.
    const url = /^(https:\/\/[^/]+)(\/.*)$/.exec(theirs.url)!;
    assert.equal(ours.origin, url[1]);
    assert.equal(decodeURIComponent(ours.path), decodeURIComponent(url[2]!));
    assert.equal(decodeURIComponent(ours.path), `/${KEY}`);
    // Ferry's signer, given the very request ali-oss sent, names the bucket in the canonical
    // resource as ali-oss did and produces its Authorization byte for byte.
    const headers = { ...theirs.headers };
    delete headers.authorization;
    const req: OssSignable = { method: theirs.method, bucket: 'dst-bucket', key: KEY, query: {}, headers };
    if (v4) {
      const datetime = theirs.headers['x-oss-date']!;
      const scope = { region: 'cn-hangzhou' };
      const signature = ossV4Signature(
        SK,
        scope,
        ossV4StringToSign(datetime, scope, ossV4CanonicalRequest(req, [])),
        datetime,
      );
      assert.equal(
        theirs.headers.authorization,
        `OSS4-HMAC-SHA256 Credential=${AK}/${datetime.slice(0, 8)}/cn-hangzhou/oss/aliyun_v4_request,Signature=${signature}`,
      );
    } else {
      const sts = ossV1StringToSign(req, theirs.headers['x-oss-date']!);
      assert.match(sts, /\n\/dst-bucket\/dir a\//);
      assert.equal(theirs.headers.authorization, `OSS ${AK}:${ossV1Signature(SK, sts)}`);
    }
    assert.doesNotMatch(theirs.url, /dst-bucket/);
  });
}
