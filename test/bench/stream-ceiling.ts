/**
 * The bare ceiling for the paths where bytes pass through the client: what parallel ranged GETs and
 * parallel part PUTs over keep-alive connections reach with the same part size and parallelism as
 * Ferry, and nothing else — no HEAD, no checkpoint, no checksum, no retry. Its client is node:http
 * signed by `aws4`, not Ferry's HTTP stack, so a slow layer of Ferry's cannot hide in the ceiling.
 * Run as its own process by the benchmark (its time includes a process start, like the tools').
 *
 * MODE=download  ranged GETs of SRC_BUCKET/SRC_KEY written at their offsets into FILE
 * MODE=upload    FILE's ranges PUT as the parts of a multipart upload to DST_BUCKET/DST_KEY
 * MODE=copy      ranged GETs of the source piped into the parts of DST_BUCKET/DST_KEY, the
 *                destination signed with DST_ACCESS_KEY_ID/DST_SECRET_ACCESS_KEY (another account)
 * Also: ENDPOINT, ACCESS_KEY_ID, SECRET_ACCESS_KEY, SIZE, PART_MIB, IN_FLIGHT.
 * Prints one JSON line: {"seconds": …, "parts": …}.
 */
import aws4 from 'aws4';
import { closeSync, createReadStream, createWriteStream, ftruncateSync, openSync } from 'node:fs';
import http from 'node:http';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

interface Keys {
  accessKeyId: string;
  secretAccessKey: string;
}

const env = (name: string): string => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set`);
  return v;
};

const endpoint = new URL(env('ENDPOINT'));
const agent = new http.Agent({ keepAlive: true, maxSockets: Number(env('IN_FLIGHT')) * 2 });
const encodeKey = (key: string) =>
  encodeURIComponent(key)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%2F/g, '/');

/** One signed request; the body, when there is one, is streamed with its length known. */
function send(
  keys: Keys,
  method: string,
  bucket: string,
  key: string,
  query: string,
  headers: Record<string, string>,
  body?: Readable | string,
): Promise<http.IncomingMessage> {
  const path = `/${bucket}/${encodeKey(key)}${query ? `?${query}` : ''}`;
  const signed = aws4.sign(
    {
      host: endpoint.host,
      method,
      path,
      service: 's3',
      region: 'us-east-1',
      headers: { ...headers, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
    },
    keys,
  );
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: endpoint.hostname,
        port: endpoint.port,
        method,
        path,
        agent,
        headers: signed.headers as http.OutgoingHttpHeaders,
      },
      (res) => {
        if ((res.statusCode ?? 0) >= 300) {
          res.resume();
          reject(new Error(`${method} ${path}: HTTP ${res.statusCode}`));
        } else resolve(res);
      },
    );
    req.setTimeout(300_000, () => req.destroy(new Error(`${method} ${path}: no answer in 300 s`)));
    req.on('error', reject);
    if (body === undefined || typeof body === 'string') req.end(body);
    else pipeline(body, req).catch(reject);
  });
}

async function text(res: http.IncomingMessage): Promise<string> {
  let s = '';
  for await (const c of res) s += String(c);
  return s;
}

async function inParallel<T>(items: T[], inFlight: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      for (let item = items[next++]; item !== undefined; item = items[next++]) await run(item);
    }),
  );
}

async function multipart(
  keys: Keys,
  bucket: string,
  key: string,
  ranges: Range[],
  inFlight: number,
  body: (r: Range) => Promise<Readable>,
): Promise<void> {
  const initiated = await text(await send(keys, 'POST', bucket, key, 'uploads', {}));
  const uploadId = /<UploadId>([^<]+)<\/UploadId>/.exec(initiated)?.[1];
  if (!uploadId) throw new Error(`no UploadId in ${initiated}`);
  const etags: string[] = [];
  await inParallel(ranges, inFlight, async (r) => {
    const query = `partNumber=${r.number}&uploadId=${encodeURIComponent(uploadId)}`;
    const headers = { 'content-length': String(r.end - r.start + 1) };
    const res = await send(keys, 'PUT', bucket, key, query, headers, await body(r));
    res.resume();
    etags[r.number - 1] = String(res.headers.etag);
  });
  const xml = `<CompleteMultipartUpload>${etags
    .map((etag, i) => `<Part><PartNumber>${i + 1}</PartNumber><ETag>${etag}</ETag></Part>`)
    .join('')}</CompleteMultipartUpload>`;
  const done = await send(
    keys,
    'POST',
    bucket,
    key,
    `uploadId=${encodeURIComponent(uploadId)}`,
    {
      'content-length': String(Buffer.byteLength(xml)),
    },
    xml,
  );
  const answer = await text(done);
  if (answer.includes('<Error>')) throw new Error(`Complete failed: ${answer}`);
}

interface Range {
  number: number;
  start: number;
  end: number;
}

async function main(): Promise<void> {
  const mode = env('MODE');
  const size = Number(env('SIZE'));
  const partSize = Number(env('PART_MIB')) * 1024 * 1024;
  const inFlight = Number(env('IN_FLIGHT'));
  const src: Keys = { accessKeyId: env('ACCESS_KEY_ID'), secretAccessKey: env('SECRET_ACCESS_KEY') };
  const ranges: Range[] = [];
  for (let start = 0, n = 1; start < size; start += partSize, n++)
    ranges.push({ number: n, start, end: Math.min(start + partSize, size) - 1 });
  const get = (r: Range) =>
    send(src, 'GET', env('SRC_BUCKET'), env('SRC_KEY'), '', { range: `bytes=${r.start}-${r.end}` });

  const started = process.hrtime.bigint();
  if (mode === 'download') {
    const fd = openSync(env('FILE'), 'w');
    ftruncateSync(fd, size);
    await inParallel(ranges, inFlight, async (r) => {
      await pipeline(await get(r), createWriteStream('', { fd, start: r.start, autoClose: false }));
    });
    closeSync(fd);
  } else if (mode === 'upload') {
    const file = env('FILE');
    await multipart(src, env('DST_BUCKET'), env('DST_KEY'), ranges, inFlight, async (r) =>
      createReadStream(file, { start: r.start, end: r.end }),
    );
  } else if (mode === 'copy') {
    const dst: Keys = {
      accessKeyId: env('DST_ACCESS_KEY_ID'),
      secretAccessKey: env('DST_SECRET_ACCESS_KEY'),
    };
    await multipart(dst, env('DST_BUCKET'), env('DST_KEY'), ranges, inFlight, get);
  } else throw new Error(`MODE must be download, upload or copy, not ${mode}`);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  agent.destroy();
  process.stdout.write(`${JSON.stringify({ seconds, parts: ranges.length })}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
