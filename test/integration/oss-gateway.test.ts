/**
 * The OSS gateway (test/servers/oss-gateway) proven by the official Node SDK, ali-oss, as its
 * client: every operation Ferry relies on, signed V1 and V4, through the gateway into the test
 * RGW, with every answer checked — so neither Ferry's OSS client nor the gateway is judged only by
 * code its own authors wrote. Also the OSS rules the gateway enforces where S3 differs.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';
import { OssStore } from '../../main/storage/oss/oss-store';
import { crc64 } from '../servers/oss-gateway/crc64';
import { startOssGateway, type OssGateway } from '../servers/oss-gateway/server';
import { requireOssGateway, type OssTarget } from '../support/oss-gateway';
import { requireRgw, uniqueBucket } from '../support/rgw';

interface AliResult {
  res: { status: number; headers: Record<string, string> };
  [k: string]: unknown;
}
interface AliError extends Error {
  status: number;
  code: string;
  requestId?: string;
  ecCode?: string;
  hostId?: string;
}
type AliFn = (...args: unknown[]) => Promise<AliResult>;
type AliClient = Record<string, AliFn> & {
  signatureUrl(name: string, options?: Record<string, unknown>): string;
  signatureUrlV4(method: string, expires: number, request?: unknown, objectName?: string): Promise<string>;
};

const OSS = createRequire(__filename)('ali-oss') as new (options: Record<string, unknown>) => AliClient;
const MiB = 1024 * 1024;
const rgw = requireRgw();
let gw: OssTarget;
const bucket = uniqueBucket('ossgw');

function client(version: 'v1' | 'v4', overrides: Record<string, unknown> = {}): AliClient {
  return new OSS({
    region: 'oss-cn-hangzhou',
    endpoint: gw.endpoint,
    accessKeyId: gw.accessKeyId,
    accessKeySecret: gw.secretAccessKey,
    bucket,
    authorizationV4: version === 'v4',
    timeout: 60_000,
    retryMax: 0,
    ...overrides,
  });
}

async function refused(p: Promise<unknown>): Promise<AliError> {
  try {
    await p;
  } catch (e) {
    return e as AliError;
  }
  assert.fail('the gateway accepted a request it should refuse');
}

async function readAll(c: AliClient, key: string): Promise<Buffer> {
  const r = await c.get!(key);
  return r.content as Buffer;
}

const decode = (s: string) => decodeURIComponent(s.replace(/\+/g, '%20'));

before(async () => {
  gw = await requireOssGateway(rgw);
  await client('v4').putBucket!(bucket);
});

after(async () => {
  try {
    const c = client('v4');
    const uploads = ((await c.listUploads!({ 'max-uploads': 1000 })).uploads ?? []) as {
      name: string;
      uploadId: string;
    }[];
    for (const u of uploads) await c.abortMultipartUpload!(u.name, u.uploadId);
    for (;;) {
      const page = await c.listV2!({ 'max-keys': 1000, 'encoding-type': 'url' });
      const names = ((page.objects ?? []) as { name: string }[]).map((o) => decode(o.name));
      if (!names.length) break;
      for (const n of names) await c.delete!(n);
    }
    await c.deleteBucket!(bucket);
  } finally {
    await gw.close();
  }
});

describe('ali-oss through the gateway', () => {
  for (const version of ['v1', 'v4'] as const) {
    describe(`signature ${version}`, () => {
      const c = () => client(version);
      const p = `${version}/`;

      test('put, head and get keep the bytes, metadata and type, with the CRC64 of the content', async () => {
        const body = randomBytes(300_000);
        const put = await c().put!(`${p}dir a/文件+1.bin`, body, {
          headers: { 'Cache-Control': 'max-age=60', 'Content-Disposition': 'attachment; filename="a.bin"' },
          meta: { owner: 'ferry', note: 'plain' },
          mime: 'application/x-test',
        });
        assert.equal(put.res.status, 200);
        assert.equal(put.res.headers['x-oss-hash-crc64ecma'], crc64(body).toString());
        assert.match(put.res.headers['x-oss-request-id']!, /^[0-9A-F]{24}$/);
        const head = await c().head!(`${p}dir a/文件+1.bin`);
        const h = head.res.headers;
        assert.equal(h['x-oss-hash-crc64ecma'], crc64(body).toString());
        assert.equal(h['x-oss-object-type'], 'Normal');
        assert.equal(h['x-oss-storage-class'], 'Standard');
        assert.equal(h['content-type'], 'application/x-test');
        assert.equal(h['cache-control'], 'max-age=60');
        assert.equal(h['content-length'], String(body.length));
        assert.equal(h.etag, `"${createHash('md5').update(body).digest('hex').toUpperCase()}"`);
        assert.deepEqual(head.meta, { owner: 'ferry', note: 'plain' });
        assert.ok((await readAll(c(), `${p}dir a/文件+1.bin`)).equals(body));
        const ranged = await c().get!(`${p}dir a/文件+1.bin`, { headers: { Range: 'bytes=10-19' } });
        assert.equal(ranged.res.status, 206);
        assert.ok((ranged.content as Buffer).equals(body.subarray(10, 20)));
      });

      test('copy keeps metadata (COPY), replaces it when given (REPLACE), and answers the CRC64', async () => {
        const body = randomBytes(200_000);
        await c().put!(`${p}copy/src`, body, { meta: { from: 'src' }, mime: 'text/plain' });
        const kept = await c().copy!(`${p}copy/kept`, `${p}copy/src`);
        assert.equal(kept.res.status, 200);
        assert.equal(kept.res.headers['x-oss-hash-crc64ecma'], crc64(body).toString());
        const keptHead = await c().head!(`${p}copy/kept`);
        assert.deepEqual(keptHead.meta, { from: 'src' });
        assert.equal(keptHead.res.headers['content-type'], 'text/plain');
        const replaced = await c().copy!(`${p}copy/replaced`, `${p}copy/src`, { meta: { fresh: 'yes' } });
        assert.equal(replaced.res.status, 200);
        assert.deepEqual((await c().head!(`${p}copy/replaced`)).meta, { fresh: 'yes' });
        assert.ok((await readAll(c(), `${p}copy/replaced`)).equals(body));
      });

      test('multipartUpload and multipartUploadCopy: type Multipart, ETag with the part count, CRC64 of the whole', async () => {
        const body = randomBytes(10 * MiB + 12_345);
        const up = await c().multipartUpload!(`${p}mp/big.bin`, body, {
          partSize: 5 * MiB,
          parallel: 2,
          meta: { kind: 'mp' },
        });
        assert.equal(up.res.status, 200);
        const head = await c().head!(`${p}mp/big.bin`);
        assert.equal(head.res.headers['x-oss-object-type'], 'Multipart');
        assert.match(head.res.headers.etag!, /^"[0-9A-F]{32}-3"$/);
        assert.equal(head.res.headers['x-oss-hash-crc64ecma'], crc64(body).toString());
        assert.deepEqual(head.meta, { kind: 'mp' });

        const copied = await c().multipartUploadCopy!(
          `${p}mp/copy.bin`,
          { sourceKey: `${p}mp/big.bin`, sourceBucketName: bucket },
          { partSize: 5 * MiB, parallel: 2 },
        );
        assert.equal(copied.res.status, 200);
        const copyHead = await c().head!(`${p}mp/copy.bin`);
        assert.equal(copyHead.res.headers['x-oss-hash-crc64ecma'], crc64(body).toString());
        assert.equal(copyHead.res.headers['x-oss-object-type'], 'Multipart');
        assert.ok((await readAll(c(), `${p}mp/copy.bin`)).equals(body));
      });

      test('list (v1 and v2) pages with encoding-type=url, NextMarker on every truncated page and OSS types', async () => {
        const names = ['a b.txt', 'a+b.txt', '中文.txt', 'x/y.txt', 'z&<>.txt'].map((n) => `${p}list/${n}`);
        for (const n of names) await c().put!(n, Buffer.from(n));
        const v1: string[] = [];
        let marker: string | undefined;
        for (let pages = 0; ; pages++) {
          const r = await c().list!({
            prefix: `${p}list/`,
            'max-keys': 2,
            'encoding-type': 'url',
            ...(marker ? { marker } : {}),
          });
          const objects = (r.objects ?? []) as { name: string; type: string; storageClass: string }[];
          assert.ok(objects.every((o) => o.type === 'Normal' && o.storageClass === 'Standard'));
          v1.push(...objects.map((o) => decode(o.name)));
          if (!r.isTruncated) break;
          assert.ok(r.nextMarker, 'a truncated OSS v1 page always names its NextMarker');
          marker = decode(r.nextMarker as string);
          assert.ok(pages < 5);
        }
        assert.deepEqual(v1, [...names].sort());
        const v2: string[] = [];
        let token: string | undefined;
        for (;;) {
          const r = await c().listV2!({
            prefix: `${p}list/`,
            'max-keys': 2,
            'encoding-type': 'url',
            ...(token ? { 'continuation-token': token } : {}),
          });
          v2.push(...((r.objects ?? []) as { name: string }[]).map((o) => decode(o.name)));
          if (!r.isTruncated) break;
          token = decode(r.nextContinuationToken as string);
        }
        assert.deepEqual(v2, [...names].sort());
        const folders = await c().listV2!({ prefix: `${p}list/`, delimiter: '/', 'encoding-type': 'url' });
        assert.deepEqual((folders.prefixes as string[]).map(decode), [`${p}list/x/`]);
        const defaultPage = await c().list!({ prefix: `${p}list/` });
        assert.equal(((defaultPage.objects ?? []) as unknown[]).length, names.length);
      });

      test('object tagging: put, get, delete', async () => {
        await c().put!(`${p}tags/o`, Buffer.from('t'));
        await c().putObjectTagging!(`${p}tags/o`, { team: 'ferry', tier: '1' });
        assert.deepEqual((await c().getObjectTagging!(`${p}tags/o`)).tag, { team: 'ferry', tier: '1' });
        await c().deleteObjectTagging!(`${p}tags/o`);
        assert.deepEqual((await c().getObjectTagging!(`${p}tags/o`)).tag, {});
      });

      test('append: an Appendable object grows at the right position only, its CRC64 follows', async () => {
        const one = randomBytes(1000);
        const two = randomBytes(2345);
        const first = await c().append!(`${p}append/log`, one);
        assert.equal(first.nextAppendPosition, String(one.length));
        const second = await c().append!(`${p}append/log`, two, { position: first.nextAppendPosition });
        assert.equal(second.nextAppendPosition, String(one.length + two.length));
        const whole = Buffer.concat([one, two]);
        const head = await c().head!(`${p}append/log`);
        assert.equal(head.res.headers['x-oss-object-type'], 'Appendable');
        assert.equal(head.res.headers['x-oss-hash-crc64ecma'], crc64(whole).toString());
        assert.ok((await readAll(c(), `${p}append/log`)).equals(whole));
        const wrong = await refused(c().append!(`${p}append/log`, two, { position: '1' }));
        assert.equal(wrong.status, 409);
        assert.equal(wrong.code, 'PositionNotEqualToLength');
        await c().put!(`${p}append/normal`, one);
        const normal = await refused(c().append!(`${p}append/normal`, two, { position: String(one.length) }));
        assert.equal(normal.code, 'ObjectNotAppendable');
      });

      test('a wrong secret is refused with an OSS-shaped error', async () => {
        const bad = client(version, { accessKeySecret: 'not-the-secret' });
        const err = await refused(bad.put!(`${p}never`, Buffer.from('x')));
        assert.equal(err.status, 403);
        assert.equal(err.code, 'SignatureDoesNotMatch');
        assert.match(err.requestId ?? '', /^[0-9A-F]{24}$/);
        assert.equal(err.ecCode, '0002-00000040');
        const headErr = await refused(bad.head!(`${p}never`));
        assert.equal(headErr.status, 403);
        const wrongKey = await refused(client(version, { accessKeyId: 'nobody' }).get!(`${p}never`));
        assert.equal(wrongKey.code, 'InvalidAccessKeyId');
        const missing = await refused(c().get!(`${p}does-not-exist`));
        assert.equal(missing.status, 404);
        assert.equal(missing.code, 'NoSuchKey');
      });
    });
  }
});

describe('presigned URLs (ali-oss signatureUrl)', () => {
  // ali-oss refuses to presign for an IP endpoint; a name endpoint in path style (sldEnable) signs
  // the same resource, and the URL is then sent to the gateway's IP (the host is not signed).
  const named = (version: 'v1' | 'v4') =>
    client(version, { endpoint: gw.endpoint.replace('127.0.0.1', 'localhost'), sldEnable: true });
  const toIp = (url: string) => url.replace('//localhost:', '//127.0.0.1:');

  test('a V1 presigned GET returns the object; a tampered one is refused', async () => {
    const body = Buffer.from('presigned v1');
    await client('v1').put!('presign/v1.txt', body);
    const url = toIp(named('v1').signatureUrl('presign/v1.txt', { expires: 300 }));
    const res = await fetch(url, { signal: AbortSignal.timeout(30_000) });
    assert.equal(res.status, 200);
    assert.ok(Buffer.from(await res.arrayBuffer()).equals(body));
    const tampered = await fetch(url.replace('v1.txt', 'v2.txt'), { signal: AbortSignal.timeout(30_000) });
    assert.equal(tampered.status, 403);
    assert.match(await tampered.text(), /<Code>SignatureDoesNotMatch<\/Code>[\s\S]*<EC>/);
  });

  test('a V4 presigned GET returns the object; an expired one is refused', async () => {
    const body = Buffer.from('presigned v4');
    await client('v4').put!('presign/v4.txt', body);
    const url = toIp(await named('v4').signatureUrlV4('GET', 300, undefined, 'presign/v4.txt'));
    const res = await fetch(url, { signal: AbortSignal.timeout(30_000) });
    assert.equal(res.status, 200);
    assert.ok(Buffer.from(await res.arrayBuffer()).equals(body));
    const expired = url.replace(/x-oss-date=\d{8}T/, 'x-oss-date=20200101T');
    const old = await fetch(expired, { signal: AbortSignal.timeout(30_000) });
    assert.equal(old.status, 403);
  });
});

describe("OSS's own rules, enforced by the gateway", () => {
  const c = () => client('v4');

  test('GetBucketLocation and GetBucketInfo answer as OSS does', async () => {
    const loc = await c().getBucketLocation!(bucket);
    assert.equal(loc.location, 'oss-cn-hangzhou');
    const info = await c().getBucketInfo!(bucket);
    const b = (info.bucket ?? {}) as Record<string, unknown>;
    assert.equal(b.Name, bucket);
    assert.equal(b.Location, 'oss-cn-hangzhou');
    assert.equal(b.ExtranetEndpoint, 'oss-cn-hangzhou.aliyuncs.com');
    const missing = await refused(c().getBucketLocation!('ferry-no-such-bucket-here'));
    assert.equal(missing.code, 'NoSuchBucket');
  });

  test('x-oss-forbid-overwrite refuses to replace an existing object, on PUT and copy', async () => {
    await c().put!('rules/exists', Buffer.from('first'));
    const put = await refused(
      c().put!('rules/exists', Buffer.from('second'), { headers: { 'x-oss-forbid-overwrite': 'true' } }),
    );
    assert.equal(put.status, 409);
    assert.equal(put.code, 'FileAlreadyExists');
    const copy = await refused(
      c().copy!('rules/exists', 'rules/exists', { headers: { 'x-oss-forbid-overwrite': 'true' } }),
    );
    assert.equal(copy.code, 'FileAlreadyExists');
    assert.equal((await readAll(c(), 'rules/exists')).toString(), 'first');
    await c().put!('rules/new', Buffer.from('n'), { headers: { 'x-oss-forbid-overwrite': 'true' } });
  });

  test('x-oss-copy-source-if-match pins a copy to the ETag; x-oss-tagging-directive Replace sets the tags', async () => {
    const put = await c().put!('rules/src', Buffer.from('source'), { headers: { 'x-oss-tagging': 'a=1' } });
    const etag = put.res.headers.etag!;
    const stale = await refused(
      c().copy!('rules/pinned', 'rules/src', {
        headers: { 'x-oss-copy-source-if-match': '"00000000000000000000000000000000"' },
      }),
    );
    assert.equal(stale.status, 412);
    await c().copy!('rules/pinned', 'rules/src', { headers: { 'x-oss-copy-source-if-match': etag } });
    assert.deepEqual(
      (await c().getObjectTagging!('rules/pinned')).tag,
      { a: '1' },
      'tags are copied by default',
    );
    await c().copy!('rules/retagged', 'rules/src', {
      headers: { 'x-oss-tagging-directive': 'Replace', 'x-oss-tagging': 'b=2' },
    });
    assert.deepEqual((await c().getObjectTagging!('rules/retagged')).tag, { b: '2' });
  });

  test('Complete refuses a part under 100 KiB that is not the last; ListParts and ListMultipartUploads show the upload', async () => {
    const init = await c().initMultipartUpload!('rules/small-parts');
    const uploadId = init.uploadId as string;
    const p1 = await c().uploadPart!('rules/small-parts', uploadId, 1, randomBytes(50 * 1024), 0, 50 * 1024);
    const p2 = await c().uploadPart!('rules/small-parts', uploadId, 2, Buffer.from('tail'), 0, 4);
    assert.equal(p1.res.headers['x-oss-hash-crc64ecma'] !== undefined, true);
    const parts = await c().listParts!('rules/small-parts', uploadId);
    assert.deepEqual(
      ((parts.parts ?? []) as { PartNumber: string }[]).map((x) => x.PartNumber),
      ['1', '2'],
    );
    const uploads = await c().listUploads!({ prefix: 'rules/' });
    assert.ok(((uploads.uploads ?? []) as { uploadId: string }[]).some((u) => u.uploadId === uploadId));
    const err = await refused(
      c().completeMultipartUpload!('rules/small-parts', uploadId, [
        { number: 1, etag: p1.etag },
        { number: 2, etag: p2.etag },
      ]),
    );
    assert.equal(err.status, 400);
    assert.equal(err.code, 'EntityTooSmall');
    assert.match(err.message, /100 KB/);
    await c().abortMultipartUpload!('rules/small-parts', uploadId);
  });

  test('CopyObject refuses a source above its limit (1 GB on OSS; lowered here to 100 KB)', async () => {
    let small: OssGateway | undefined;
    try {
      small = await startOssGateway({ s3: rgw.endpoint, copyObjectMaxBytes: 100 * 1024 });
      const limited = client('v4', { endpoint: small.endpoint });
      await limited.put!('rules/large', randomBytes(100 * 1024 + 1));
      const err = await refused(limited.copy!('rules/large-copy', 'rules/large'));
      assert.equal(err.status, 400);
      assert.match(err.message, /UploadPartCopy/);
      await limited.put!('rules/at-limit', randomBytes(100 * 1024));
      await limited.copy!('rules/at-limit-copy', 'rules/at-limit');
    } finally {
      await small?.close();
    }
  });

  test('a range it cannot satisfy returns the whole object, or 416 with x-oss-range-behavior: standard', async () => {
    await c().put!('rules/range', Buffer.from('0123456789'));
    const whole = await c().get!('rules/range', { headers: { Range: 'bytes=100-200' } });
    assert.equal(whole.res.status, 200);
    assert.equal((whole.content as Buffer).toString(), '0123456789');
    const strict = await refused(
      c().get!('rules/range', { headers: { Range: 'bytes=100-200', 'x-oss-range-behavior': 'standard' } }),
    );
    assert.equal(strict.status, 416);
  });

  test('versioning: a second PUT keeps the first version, readable by its x-oss-version-id', async () => {
    const vb = uniqueBucket('ossgw-ver');
    const v = client('v4', { bucket: vb });
    await v.putBucket!(vb);
    try {
      await v.putBucketVersioning!(vb, 'Enabled');
      assert.equal((await v.getBucketVersioning!(vb)).versionStatus, 'Enabled');
      const first = await v.put!('k', Buffer.from('one'));
      await v.put!('k', Buffer.from('two'));
      const firstId = first.res.headers['x-oss-version-id']!;
      assert.ok(firstId);
      const old = await v.get!('k', { versionId: firstId });
      assert.equal((old.content as Buffer).toString(), 'one');
      assert.equal((await readAll(v, 'k')).toString(), 'two');
      const versions = await v.getBucketVersions!({});
      for (const o of (versions.objects ?? []) as { name: string; versionId: string }[])
        await v.delete!(o.name, { versionId: o.versionId });
      for (const o of (versions.deleteMarker ?? []) as { name: string; versionId: string }[])
        await v.delete!(o.name, { versionId: o.versionId });
    } finally {
      await v.deleteBucket!(vb);
    }
  });

  test('keys starting with / or \\ or longer than 1,023 bytes are refused before RGW sees them', async () => {
    const long = await refused(c().put!('k'.repeat(1024), Buffer.from('x')));
    assert.equal(long.code, 'InvalidObjectName');
  });
});

describe("Ferry's OSS store through the gateway (issue 18, item 3)", () => {
  test('a ranged GET asks for the standard range behaviour: a range past the end is refused (416), never answered with the whole object', async () => {
    const ferry = new OssStore({
      endpoint: gw.endpoint,
      region: gw.region,
      credentials: { accessKeyId: gw.accessKeyId, secretAccessKey: gw.secretAccessKey },
    });
    try {
      await client('v4').put!('ferry/range.txt', Buffer.from('0123456789'));
      const signal = AbortSignal.timeout(30_000);
      const part: Buffer[] = [];
      for await (const c of await ferry.getObject(
        { bucket, key: 'ferry/range.txt' },
        { start: 2, end: 5 },
        { signal },
      ))
        part.push(c as Buffer);
      assert.equal(Buffer.concat(part).toString(), '2345');
      await assert.rejects(
        ferry.getObject({ bucket, key: 'ferry/range.txt' }, { start: 100, end: 200 }, { signal }),
        (err: { status?: number }) => err.status === 416,
      );
    } finally {
      await ferry.close();
    }
  });
});
