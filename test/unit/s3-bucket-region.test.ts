/**
 * How S3Store learns a bucket's region (docs/PROTOCOL.md §2.4), against undici's MockAgent: AWS names it
 * in HeadBucket's answer, even on 301/403; other servers are asked with GetBucketLocation first, in
 * one round, and only a refused GetBucketLocation falls back to HeadBucket.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MockAgent } from 'undici';
import { StorageError } from '../../main/storage/errors';
import { S3Store } from '../../main/storage/s3/s3-store';

const credentials = { accessKeyId: 'AKID', secretAccessKey: 'secret' };
const location = (region: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${region}</LocationConstraint>`;
const errorXml = (code: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>m</Message></Error>`;

function setup(endpoint: string, region = 'us-east-1') {
  const agent = new MockAgent();
  agent.disableNetConnect();
  const seen: string[] = [];
  const store = new S3Store({
    endpoint,
    region,
    pathStyle: true,
    credentials,
    dispatcher: agent,
    retry: { maxAttempts: 1 },
    observe: (e) => {
      if (e.phase === 'request') seen.push(`${e.request.method} ${e.request.path}`);
    },
  });
  return { agent, pool: agent.get(new URL(endpoint).origin), seen, store };
}

describe('S3 bucket region', () => {
  it('another server: one GetBucketLocation, remembered', async () => {
    const { pool, seen, store } = setup('http://127.0.0.1:9000');
    pool.intercept({ path: '/bkt?location=', method: 'GET' }).reply(200, location('eu-central-1'));
    assert.equal(await store.bucketRegion('bkt'), 'eu-central-1');
    assert.equal(await store.bucketRegion('bkt'), 'eu-central-1');
    assert.deepEqual(seen, ['GET /bkt?location=']);
  });

  it('another server that refuses GetBucketLocation: HeadBucket, then the region we sign with', async () => {
    const { pool, seen, store } = setup('http://127.0.0.1:9000', 'auto');
    pool.intercept({ path: '/bkt?location=', method: 'GET' }).reply(501, errorXml('NotImplemented'));
    pool.intercept({ path: '/bkt', method: 'HEAD' }).reply(200, '');
    assert.equal(await store.bucketRegion('bkt'), 'auto');
    assert.deepEqual(seen, ['GET /bkt?location=', 'HEAD /bkt']);
  });

  it('another server: a policy that denies GetBucketLocation falls back to the region HeadBucket names', async () => {
    const { pool, store } = setup('http://127.0.0.1:9000');
    pool.intercept({ path: '/bkt?location=', method: 'GET' }).reply(403, errorXml('AccessDenied'));
    pool
      .intercept({ path: '/bkt', method: 'HEAD' })
      .reply(200, '', { headers: { 'x-amz-bucket-region': 'ap-south-1' } });
    assert.equal(await store.bucketRegion('bkt'), 'ap-south-1');
  });

  it('another server: a missing bucket and wrong keys are errors, not a guess', async () => {
    const { pool, seen, store } = setup('http://127.0.0.1:9000');
    pool.intercept({ path: '/gone?location=', method: 'GET' }).reply(404, errorXml('NoSuchBucket'));
    await assert.rejects(store.bucketRegion('gone'), (e: StorageError) => e.code === 'NoSuchBucket');
    pool.intercept({ path: '/bkt?location=', method: 'GET' }).reply(403, errorXml('InvalidAccessKeyId'));
    await assert.rejects(store.bucketRegion('bkt'), (e: StorageError) => e.code === 'InvalidAccessKeyId');
    assert.deepEqual(seen, ['GET /gone?location=', 'GET /bkt?location=']);
  });

  it('AWS: the region from HeadBucket, also when it answers 301 from another region', async () => {
    const { agent, seen, store } = setup('https://s3.amazonaws.com');
    agent
      .get('https://s3.us-east-1.amazonaws.com')
      .intercept({ path: '/bkt', method: 'HEAD' })
      .reply(301, '', { headers: { 'x-amz-bucket-region': 'eu-west-3' } });
    assert.equal(await store.bucketRegion('bkt'), 'eu-west-3');
    assert.deepEqual(seen, ['HEAD /bkt']);
  });
});
