/**
 * The server's own ceiling for a multipart copy: bare InitiateMultipartUpload, UploadPartCopy with
 * PART_MIB parts IN_FLIGHT at a time, CompleteMultipartUpload — no HEAD, no checkpoint, no
 * verification. Run as its own process by the benchmark, so its time includes a process start like
 * Ferry's and rclone's do. Prints one JSON line: {"seconds": wall time of the calls alone}.
 *
 * Usage (env): ENDPOINT, SRC_BUCKET, SRC_KEY, DST_BUCKET, DST_KEY, SIZE, PART_MIB, IN_FLIGHT.
 */
import { S3Store } from '../../main/storage/s3/s3-store';

async function main(): Promise<void> {
  const env = (name: string) => {
    const v = process.env[name];
    if (!v) throw new Error(`${name} is not set`);
    return v;
  };
  const size = Number(env('SIZE'));
  const partSize = Number(env('PART_MIB')) * 1024 * 1024;
  const inFlight = Number(env('IN_FLIGHT'));
  const store = new S3Store({
    endpoint: env('ENDPOINT'),
    region: 'us-east-1',
    pathStyle: true,
    credentials: { accessKeyId: env('ACCESS_KEY_ID'), secretAccessKey: env('SECRET_ACCESS_KEY') },
    maxConnections: inFlight,
  });
  const dstBucket = env('DST_BUCKET');
  const dstKey = env('DST_KEY');
  const src = { bucket: env('SRC_BUCKET'), key: env('SRC_KEY') };
  const started = process.hrtime.bigint();
  const uploadId = await store.createMultipartUpload(dstBucket, dstKey, {});
  const ranges: { number: number; start: number; end: number }[] = [];
  for (let start = 0, n = 1; start < size; start += partSize, n++)
    ranges.push({ number: n, start, end: Math.min(start + partSize, size) - 1 });
  const parts: { partNumber: number; etag: string }[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      for (;;) {
        const r = ranges[next++];
        if (!r) return;
        parts.push(await store.uploadPartCopy(dstBucket, dstKey, uploadId, r.number, src, r));
      }
    }),
  );
  parts.sort((a, b) => a.partNumber - b.partNumber);
  await store.completeMultipartUpload(dstBucket, dstKey, uploadId, parts);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await store.close();
  process.stdout.write(`${JSON.stringify({ seconds, parts: parts.length })}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
