/**
 * Where OssStore sends a bucket's requests and which region signs them (docs/PROTOCOL.md §2.1,
 * §2.5), against the fake OSS (test/support/oss-fake-server.ts), which routes every host name to
 * itself and records the host and the V4 scope region of each request: `-internal` endpoints are
 * never used for another region's bucket, accelerate endpoints sign with the bucket's own region,
 * and a region that cannot be found makes a bucket its own copy domain.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, test } from 'node:test';
import { HttpClient } from '../../main/storage/http';
import { OssStore, type OssStoreOptions } from '../../main/storage/oss/oss-store';
import { FakeOss, errorXml, xml } from '../support/oss-fake-server';

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
});
afterEach(() => {
  const [first] = fake.handlerErrors;
  if (first) throw first;
});

function store(endpoint: string, extra: Partial<OssStoreOptions> = {}): OssStore {
  return new OssStore({
    endpoint,
    region: 'cn-hangzhou',
    credentials: { accessKeyId: fake.accessKeyId, secretAccessKey: fake.secret },
    http,
    retry: { baseDelayMs: 1, maxDelayMs: 2 },
    ...extra,
  });
}

const bucketXml = (name: string, region: string, extranet = `oss-${region}.aliyuncs.com`) =>
  `<Bucket><Name>${name}</Name><Location>oss-${region}</Location><Region>${region}</Region>` +
  `<ExtranetEndpoint>${extranet}</ExtranetEndpoint><IntranetEndpoint>oss-${region}-internal.aliyuncs.com</IntranetEndpoint></Bucket>`;

/** Answers ListBuckets with these buckets and every object request with 204. */
function serveBuckets(buckets: string): void {
  fake.handler = (r) =>
    r.bucket
      ? { status: 204 }
      : xml(`<ListAllMyBucketsResult><Buckets>${buckets}</Buckets></ListAllMyBucketsResult>`);
}

test('an -internal endpoint is used for its own region, and never for a bucket in another region', async () => {
  serveBuckets(
    bucketXml('near', 'cn-hangzhou') + bucketXml('far', 'cn-beijing', 'oss-cn-beijing.aliyuncs.com'),
  );
  const s = store('https://oss-cn-hangzhou-internal.aliyuncs.com');
  await s.listBuckets();
  await s.deleteObject('near', 'k');
  await s.deleteObject('far', 'k');
  const [, near, far] = fake.received;
  assert.equal(near!.host, 'near.oss-cn-hangzhou-internal.aliyuncs.com');
  assert.equal(
    far!.host,
    'far.oss-cn-beijing.aliyuncs.com',
    'the public endpoint, never oss-cn-beijing-internal',
  );
  assert.equal(far!.signedRegion, 'cn-beijing');
});

test('an -internal endpoint takes the extranet endpoint ListBuckets named for another region', async () => {
  // A dual-stack extranet endpoint, to tell "the listed one" from "the region's public one".
  serveBuckets(bucketXml('far', 'cn-shanghai', 'cn-shanghai.oss.aliyuncs.com'));
  const s = store('https://oss-cn-hangzhou-internal.aliyuncs.com');
  await s.listBuckets();
  await s.deleteObject('far', 'k');
  assert.equal(fake.received[1]!.host, 'far.cn-shanghai.oss.aliyuncs.com');
  assert.equal(fake.received[1]!.signedRegion, 'cn-shanghai');
});

test('a bucket found by its location from an -internal endpoint goes to its public endpoint', async () => {
  fake.handler = (r) =>
    'location' in r.query ? xml('<LocationConstraint>oss-cn-qingdao</LocationConstraint>') : { status: 204 };
  const s = store('https://oss-cn-hangzhou-internal.aliyuncs.com');
  assert.equal(await s.bucketRegion('far'), 'cn-qingdao');
  await s.deleteObject('far', 'k');
  assert.equal(fake.received[1]!.host, 'far.oss-cn-qingdao.aliyuncs.com');
});

test("a wrong-region answer naming another region's -internal endpoint is followed to its public one", async () => {
  fake.handler = (r) =>
    r.host.includes('hangzhou')
      ? {
          status: 403,
          body: errorXml(
            'AccessDenied',
            'The bucket you are attempting to access must be addressed using the specified endpoint.',
            {
              Endpoint: 'oss-cn-shenzhen-internal.aliyuncs.com',
            },
          ),
        }
      : { status: 204 };
  const s = store('https://oss-cn-hangzhou-internal.aliyuncs.com');
  await s.deleteObject('far', 'k');
  assert.equal(fake.received.length, 2);
  assert.equal(fake.received[1]!.host, 'far.oss-cn-shenzhen.aliyuncs.com');
  assert.equal(fake.received[1]!.signedRegion, 'cn-shenzhen');
});

test("an accelerate endpoint keeps its host but signs with the bucket's own region", async () => {
  serveBuckets(bucketXml('far', 'cn-beijing') + bucketXml('near', 'cn-hangzhou'));
  const s = store('https://oss-accelerate.aliyuncs.com');
  await s.listBuckets();
  await s.deleteObject('far', 'k');
  await s.deleteObject('near', 'k');
  const [, far, near] = fake.received;
  assert.equal(far!.host, 'far.oss-accelerate.aliyuncs.com');
  assert.equal(far!.signedRegion, 'cn-beijing');
  assert.equal(near!.host, 'near.oss-accelerate.aliyuncs.com');
  assert.equal(near!.signedRegion, 'cn-hangzhou');
  // Copy domains follow the bucket's region too: these two cannot copy server-side.
  assert.notEqual((await s.copyDomain('far')).key, (await s.copyDomain('near')).key);
});

test("an accelerate endpoint signs with the region a bucket's location gave", async () => {
  fake.handler = (r) =>
    'location' in r.query
      ? xml('<LocationConstraint>oss-ap-southeast-1</LocationConstraint>')
      : { status: 204 };
  const s = store('https://oss-accelerate-overseas.aliyuncs.com');
  await s.copyDomain('sg');
  await s.deleteObject('sg', 'k');
  assert.equal(fake.received[1]!.host, 'sg.oss-accelerate-overseas.aliyuncs.com');
  assert.equal(fake.received[1]!.signedRegion, 'ap-southeast-1');
});

test('a region that cannot be looked up makes the bucket its own copy domain, never the profile region', async () => {
  fake.handler = () => ({
    status: 403,
    body: errorXml('AccessDenied', 'You have no right to access this object.'),
  });
  const s = store('https://oss-cn-hangzhou.aliyuncs.com');
  const a = await s.copyDomain('src-bucket');
  const b = await s.copyDomain('dst-bucket');
  assert.notEqual(a.key, b.key, 'two buckets of unknown region never share a copy domain');
  assert.notEqual(a.key, 'test-ak@cn-hangzhou');
  assert.deepEqual(await s.copyDomain('src-bucket'), a, 'one bucket is still its own domain');
  // GetBucketLocation, then ?bucketInfo, were asked before giving up.
  assert.deepEqual(
    fake.received.slice(0, 2).map((r) => Object.keys(r.query)[0]),
    ['location', 'bucketInfo'],
  );
});

test('?bucketInfo answers the region when GetBucketLocation is denied', async () => {
  fake.handler = (r) =>
    'bucketInfo' in r.query
      ? xml(
          '<BucketInfo><Bucket><Name>b</Name><Location>oss-cn-shanghai</Location>' +
            '<ExtranetEndpoint>oss-cn-shanghai.aliyuncs.com</ExtranetEndpoint></Bucket></BucketInfo>',
        )
      : { status: 403, body: errorXml('AccessDenied', 'no') };
  assert.deepEqual(await store('https://oss-cn-hangzhou.aliyuncs.com').copyDomain('b'), {
    kind: 'oss',
    key: 'test-ak@cn-shanghai',
  });
});

test('a CNAME account lists its one bucket without a request and refuses other buckets before any', async () => {
  fake.cnames.set('files.example.com', 'bound');
  fake.handler = () => ({ status: 204 });
  const s = store('https://files.example.com', { cname: true, cnameBucket: 'bound' });
  assert.deepEqual(await s.listBuckets(), [{ name: 'bound', region: 'cn-hangzhou' }]);
  await assert.rejects(
    s.deleteObject('other', 'k'),
    /custom domain files\.example\.com serves bucket "bound" only/,
  );
  await assert.rejects(s.presign('GET', { bucket: 'other', key: 'k' }, 60), /serves bucket "bound" only/);
  assert.equal(fake.received.length, 0);
  await s.deleteObject('bound', 'a/b');
  assert.equal(fake.received[0]!.host, 'files.example.com');
  assert.equal(fake.received[0]!.rawPath, '/a/b');
  assert.equal(fake.received[0]!.bucket, 'bound');
  assert.equal(fake.received[0]!.auth, 'v4');
});
