/** Putting the test data on the server and taking it away again, with the client the tests trust. */
import { createHash, randomBytes } from 'node:crypto';
import { listAll } from '../../main/storage/provider';
import type { S3Store } from '../../main/storage/s3/s3-store';
import { MiB } from './common';

export async function putMany(
  store: S3Store,
  bucket: string,
  keys: (i: number) => string,
  count: number,
  body: (i: number) => Buffer,
  parallel = 32,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      for (;;) {
        const i = next++;
        if (i >= count) return;
        const b = body(i);
        await store.putObject(bucket, keys(i), b, b.length, {}, { signal: AbortSignal.timeout(60_000) });
      }
    }),
  );
}

export async function putBig(store: S3Store, bucket: string, key: string, size: number): Promise<string> {
  const partSize = 64 * MiB;
  const hash = createHash('sha256');
  const uploadId = await store.createMultipartUpload(bucket, key, {});
  const parts: { partNumber: number; etag: string }[] = [];
  for (let start = 0, n = 1; start < size; start += partSize, n++) {
    const body = randomBytes(Math.min(partSize, size - start));
    hash.update(body);
    parts.push(
      await store.uploadPart(bucket, key, uploadId, n, body, body.length, {
        signal: AbortSignal.timeout(120_000),
      }),
    );
  }
  await store.completeMultipartUpload(bucket, key, uploadId, parts, { signal: AbortSignal.timeout(120_000) });
  return hash.digest('hex');
}

/** Deletes everything under a prefix; returns how many objects there were. */
export async function deletePrefix(store: S3Store, bucket: string, prefix: string): Promise<number> {
  let count = 0;
  const pages: string[][] = [];
  for await (const { page } of listAll(store, bucket, { prefix }, { signal: AbortSignal.timeout(300_000) })) {
    count += page.objects.length;
    if (page.objects.length) pages.push(page.objects.map((o) => o.key));
  }
  let next = 0;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      for (;;) {
        const batch = pages[next++];
        if (!batch) return;
        await store.deleteObjects(bucket, batch, { signal: AbortSignal.timeout(120_000) });
      }
    }),
  );
  return count;
}

export async function abortAllUploads(store: S3Store, bucket: string): Promise<number> {
  let n = 0;
  for await (const u of store.listMultipartUploads(bucket, undefined, {
    signal: AbortSignal.timeout(60_000),
  })) {
    await store.abortMultipartUpload(bucket, u.key, u.uploadId, { signal: AbortSignal.timeout(60_000) });
    n++;
  }
  return n;
}

export async function sha256Of(store: S3Store, bucket: string, key: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of await store.getObject({ bucket, key }, undefined, {
    signal: AbortSignal.timeout(300_000),
  }))
    hash.update(chunk as Buffer);
  return hash.digest('hex');
}
