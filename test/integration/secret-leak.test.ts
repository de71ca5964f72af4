/**
 * No secret leaks: after a full copy run through the web host — Local → RGW (multipart), RGW → RGW
 * (server-side, multipart copy and a folder), RGW → Local, and failures with a wrong secret and with
 * STS-style keys — no secret appears in any byte of any file in the data folder (the encrypted
 * secret store included), in any checkpoint captured while copies ran, in any log line, or in any
 * frame the renderer received over the WebSocket.
 *
 * The real secret is the test server's (`testsecret` unless FERRY_TEST_S3_SECRET_ACCESS_KEY says
 * otherwise); the others are long canaries that cannot occur by chance. Each search is also run
 * against a planted copy first, so a scan that looks in the wrong place fails instead of passing.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  watch,
  writeFileSync,
  type FSWatcher,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runCli } from '../support/cli';
import { bundleCli } from '../support/node-bundle';
import { WebSocket } from 'ws';
import type { DispatchReply } from '../../main/app/dispatch';
import { listAll } from '../../main/storage/provider';
import { S3Store } from '../../main/storage/s3/s3-store';
import { decodeCheckpoint } from '../../main/tasks/checkpoints';
import type {
  EventMessage,
  LogLine,
  RequestArg,
  RequestName,
  TaskSummary,
} from '../../preload/shared/contract';
import { requireRgw, uniqueBucket } from '../support/rgw';
import { startTestWebHost, type TestWebHost } from '../support/web-host';

const rgw = requireRgw();
const MiB = 1024 * 1024;
const canary = (label: string) => `FerryLeakCanary${label}${randomBytes(12).toString('hex')}`;

const WRONG_SECRET = canary('WrongSecret');
const STS_KEY_ID = `STS.${canary('KeyId')}`;
const STS_SECRET = canary('StsSecret');
const STS_TOKEN = canary('SessionToken') + '/+=' + canary('Token2');
// Handed to a server that quotes them back in its error answers.
const ECHO_KEY_ID = `STS.${canary('EchoKeyId')}`;
const ECHO_SECRET = canary('EchoSecret');
const ECHO_TOKEN = canary('EchoToken') + '/+=' + canary('EchoToken2');

/** Every secret the run handles, in the forms a careless encoder would write it. */
const SECRETS: Record<string, string> = {
  'the real secret access key': rgw.secretAccessKey,
  'the wrong secret access key': WRONG_SECRET,
  'the STS secret access key': STS_SECRET,
  'the STS session token': STS_TOKEN,
  // The access key id is not among them: it is not a secret, and the account form shows it so a
  // person can tell which key an account signs with (and change only the secret).
  'the secret a server quoted': ECHO_SECRET,
  'the session token a server quoted': ECHO_TOKEN,
};
function forms(secret: string): string[] {
  return [...new Set([secret, encodeURIComponent(secret), Buffer.from(secret).toString('base64')])];
}

/** Where in `haystack` (raw bytes) one of the secrets occurs, or undefined. */
function findSecret(haystack: Buffer | string): string | undefined {
  const bytes = typeof haystack === 'string' ? Buffer.from(haystack) : haystack;
  for (const [what, secret] of Object.entries(SECRETS)) {
    for (const form of forms(secret)) if (bytes.includes(Buffer.from(form))) return `${what} (as "${form}")`;
  }
  return undefined;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => path.join(d.parentPath, d.name));
}

/** The renderer's side of the web host: every frame it receives is kept, as text. */
class RendererSocket {
  readonly frames: string[] = [];
  readonly events: EventMessage[] = [];
  private nextId = 1;
  private readonly pending = new Map<number, (reply: DispatchReply) => void>();
  private readonly listeners = new Set<(e: EventMessage) => void>();

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      const text = data.toString('utf8');
      this.frames.push(text);
      const msg = JSON.parse(text) as
        { type: 'reply'; id: number; reply: DispatchReply } | ({ type: 'event' } & EventMessage);
      if (msg.type === 'reply') {
        this.pending.get(msg.id)?.(msg.reply);
        this.pending.delete(msg.id);
      } else {
        this.events.push(msg);
        for (const l of this.listeners) l(msg);
      }
    });
  }

  static async open(web: TestWebHost): Promise<RendererSocket> {
    const ws = new WebSocket(`ws://127.0.0.1:${web.host.port}/ws?token=${web.host.token}`, {
      handshakeTimeout: 10_000,
    });
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    return new RendererSocket(ws);
  }

  invoke<N extends RequestName>(name: N, arg?: RequestArg<N>): Promise<DispatchReply> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.ws.send(JSON.stringify({ type: 'invoke', id, name, arg }));
    });
  }

  async ok<N extends RequestName>(name: N, arg?: RequestArg<N>): Promise<unknown> {
    const reply = await this.invoke(name, arg);
    assert.equal(reply.ok, true, `${name}: ${JSON.stringify(reply)}`);
    return (reply as { result: unknown }).result;
  }

  /** Resolves with the final summaries of these tasks (done, failed, cancelled, or paused for new keys). */
  async settled(ids: string[]): Promise<TaskSummary[]> {
    const final = new Map<string, TaskSummary>();
    // A task whose keys were refused as expired waits, paused, for new keys: that is where it settles.
    const terminal = (s: TaskSummary) =>
      ['done', 'failed', 'cancelled'].includes(s.state) || (s.state === 'paused' && !!s.credentialsExpired);
    const take = (e: EventMessage) => {
      if (e.event === 'task.state' && ids.includes(e.payload.id) && terminal(e.payload))
        final.set(e.payload.id, e.payload);
    };
    this.events.forEach(take);
    if (final.size < ids.length) {
      await new Promise<void>((resolve) => {
        const listener = (e: EventMessage) => {
          take(e);
          if (final.size === ids.length) {
            this.listeners.delete(listener);
            resolve();
          }
        };
        this.listeners.add(listener);
      });
    }
    return ids.map((id) => final.get(id)!);
  }

  close(): void {
    this.ws.close();
  }
}

describe('secrets never leak during a full copy run', () => {
  let web: TestWebHost;
  let renderer: RendererSocket;
  let watcher: FSWatcher | undefined;
  /** Checkpoint files as they were on disk while the copies ran. */
  const checkpointSnapshots: { file: string; bytes: Buffer }[] = [];
  const bucketA = uniqueBucket('leak-a');
  const bucketB = uniqueBucket('leak-b');
  const big = randomBytes(16 * MiB + 12345);
  const admin = new S3Store({
    endpoint: rgw.endpoint,
    region: rgw.region,
    pathStyle: true,
    credentials: { accessKeyId: rgw.accessKeyId, secretAccessKey: rgw.secretAccessKey },
    requestTimeoutMs: 30_000,
  });
  const results: Record<string, TaskSummary[]> = {};
  const replies: Record<string, DispatchReply> = {};

  function snapshotCheckpoints(): void {
    const dir = web.services.layout.checkpoints;
    for (const file of filesUnder(dir)) {
      try {
        checkpointSnapshots.push({ file, bytes: readFileSync(file) });
      } catch {
        // replaced or removed between listing and reading: the next event catches the new one
      }
    }
  }

  async function copy(arg: RequestArg<'tasks.copy'>): Promise<TaskSummary[]> {
    const { taskIds } = (await renderer.ok('tasks.copy', arg)) as { taskIds: string[] };
    return renderer.settled(taskIds);
  }

  before(async () => {
    web = await startTestWebHost();
    renderer = await RendererSocket.open(web);
    // Checkpoints are captured twice over: synchronously when a task turns `running` (its checkpoint
    // was saved just before that event), and on every change the file system reports mid-copy.
    web.services.bus.subscribe((m) => {
      if (m.event === 'task.state' && m.payload.state === 'running') snapshotCheckpoints();
    });
    watcher = watch(web.services.layout.checkpoints, () => snapshotCheckpoints());

    const local = web.services.layout.local;
    mkdirSync(path.join(local, 'leak-src', 'dir', 'sub'), { recursive: true });
    mkdirSync(path.join(local, 'leak-dst'), { recursive: true });
    writeFileSync(path.join(local, 'leak-src', 'big.bin'), big);
    writeFileSync(path.join(local, 'leak-src', 'dir', 'a.txt'), 'alpha');
    writeFileSync(path.join(local, 'leak-src', 'dir', 'sub', 'b.txt'), 'beta');
    await admin.createBucket(bucketA, undefined, { signal: AbortSignal.timeout(30_000) });
    await admin.createBucket(bucketB, undefined, { signal: AbortSignal.timeout(30_000) });

    // One part at a time, so a multipart copy writes several checkpoints while it runs.
    await renderer.ok('settings.set', { partsInFlight: 1 });
    const profile = (name: string, keys: Partial<RequestArg<'profiles.save'>>) =>
      renderer.ok('profiles.save', {
        name,
        provider: 's3',
        endpoint: rgw.endpoint,
        region: rgw.region,
        pathStyle: true,
        ...keys,
      });
    await profile('rgw', { accessKeyId: rgw.accessKeyId, secretAccessKey: rgw.secretAccessKey });
    await profile('rgw wrong secret', { accessKeyId: rgw.accessKeyId, secretAccessKey: WRONG_SECRET });
    await profile('rgw sts', {
      accessKeyId: STS_KEY_ID,
      secretAccessKey: STS_SECRET,
      securityToken: STS_TOKEN,
    });
    replies.list = await renderer.invoke('profiles.list');
    const listed = replies.list as { ok: boolean; result?: { id: string; accessKeyId?: string }[] };
    assert.equal(listed.result?.find((p) => p.id === 'rgw-sts')?.accessKeyId, STS_KEY_ID);
    for (const id of ['rgw', 'rgw-wrong-secret', 'rgw-sts'])
      replies[`test ${id}`] = await renderer.invoke('profiles.test', { id });

    const multipart = { multipartThreshold: 5 * MiB, partSize: 5 * MiB };
    results.upload = await copy({
      sources: [
        { profileId: 'local', bucket: 'leak-src', key: 'big.bin', isFolder: false },
        { profileId: 'local', bucket: 'leak-src', key: 'dir/', isFolder: true },
      ],
      destination: { profileId: 'rgw', bucket: bucketA, prefix: '' },
      options: { metadataDirective: 'COPY', conflict: 'overwrite', ...multipart },
    });
    results.serverSide = await copy({
      sources: [
        { profileId: 'rgw', bucket: bucketA, key: 'big.bin', isFolder: false },
        { profileId: 'rgw', bucket: bucketA, key: 'dir/', isFolder: true },
      ],
      destination: { profileId: 'rgw', bucket: bucketB, prefix: 'copied/' },
      options: { metadataDirective: 'COPY', conflict: 'overwrite', ...multipart },
    });
    results.download = await copy({
      sources: [{ profileId: 'rgw', bucket: bucketB, key: 'copied/', isFolder: true }],
      destination: { profileId: 'local', bucket: 'leak-dst', prefix: '' },
      options: { metadataDirective: 'COPY', conflict: 'overwrite', ...multipart },
    });
    results.wrongSecret = await copy({
      sources: [{ profileId: 'rgw-wrong-secret', bucket: bucketA, key: 'big.bin', isFolder: false }],
      destination: { profileId: 'local', bucket: 'leak-dst', prefix: 'wrong/' },
      options: { metadataDirective: 'COPY', conflict: 'overwrite', ...multipart },
    });
    results.sts = await copy({
      sources: [{ profileId: 'local', bucket: 'leak-src', key: 'big.bin', isFolder: false }],
      destination: { profileId: 'rgw-sts', bucket: bucketA, prefix: 'sts/' },
      options: { metadataDirective: 'COPY', conflict: 'overwrite', ...multipart },
    });
    replies.listWrong = await renderer.invoke('storage.listObjects', {
      profileId: 'rgw-wrong-secret',
      bucket: bucketA,
      prefix: '',
    });
    replies.bucketsSts = await renderer.invoke('storage.listBuckets', { profileId: 'rgw-sts' });
    replies.presign = await renderer.invoke('storage.presign', {
      profileId: 'rgw',
      bucket: bucketA,
      key: 'big.bin',
      expiresSeconds: 60,
    });
    replies.orphans = await renderer.invoke('orphans.list', { profileId: 'rgw', bucket: bucketA });
    replies.tasks = await renderer.invoke('tasks.list');
    replies.tail = await renderer.invoke('logs.tail', { limit: 5000 });
    watcher.close();
    watcher = undefined;
  });

  after(async () => {
    watcher?.close();
    renderer?.close();
    try {
      for (const bucket of [bucketA, bucketB]) {
        const signal = () => ({ signal: AbortSignal.timeout(30_000) });
        const uploads = [];
        for await (const u of admin.listMultipartUploads(bucket, '', signal())) uploads.push(u);
        for (const u of uploads) await admin.abortMultipartUpload(bucket, u.key, u.uploadId, signal());
        for await (const { page } of listAll(admin, bucket, {}, signal())) {
          if (page.objects.length)
            await admin.deleteObjects(
              bucket,
              page.objects.map((o) => o.key),
              signal(),
            );
        }
        await admin.deleteBucket(bucket, signal()).catch(() => undefined);
      }
    } finally {
      await admin.close();
      await web?.close();
    }
  });

  test('the run did what it says: copies done, failures failed with the service error', () => {
    for (const kind of ['upload', 'serverSide', 'download'])
      for (const t of results[kind]!) assert.equal(t.state, 'done', `${kind}: ${JSON.stringify(t)}`);
    const [upload] = results.upload!;
    assert.equal(upload!.strategy, 'stream');
    assert.ok(upload!.progress.partsTotal >= 4, 'the upload went multipart');
    assert.equal(results.serverSide![0]!.strategy, 'multipart-copy');
    const downloaded = readFileSync(path.join(web.services.layout.local, 'leak-dst', 'copied', 'big.bin'));
    assert.ok(downloaded.equals(big), 'the object came back byte for byte');
    assert.equal(
      readFileSync(path.join(web.services.layout.local, 'leak-dst', 'copied', 'dir', 'sub', 'b.txt'), 'utf8'),
      'beta',
    );

    // A HEAD answer has no body, so the failed task sees a bare 403; a listing gets the full error.
    const [wrong] = results.wrongSecret!;
    assert.equal(wrong!.state, 'failed');
    assert.equal(wrong!.error?.status, 403);
    // RGW does not know the STS token, so it refuses the key (InvalidAccessKeyId): the task pauses
    // for new keys of that account instead of failing (issue 18's expired-credentials rule).
    const [sts] = results.sts!;
    assert.equal(sts!.state, 'paused');
    assert.equal(sts!.credentialsExpired?.profileId, 'rgw-sts');
    assert.equal(sts!.credentialsExpired?.code, 'InvalidAccessKeyId');
    const listWrong = replies.listWrong as { ok: false; error: { code: string } };
    assert.equal(listWrong.ok, false);
    assert.equal(listWrong.error.code, 'SignatureDoesNotMatch');
    assert.equal(replies.bucketsSts!.ok, false);
    const testWrong = replies['test rgw-wrong-secret'] as { ok: true; result: { ok: boolean } };
    assert.equal(testWrong.result.ok, false);
    assert.equal((replies['test rgw'] as { result: { ok: boolean } }).result.ok, true);
  });

  test('checkpoints were captured while copies were running', () => {
    const running = checkpointSnapshots.filter((s) => {
      try {
        return decodeCheckpoint(s.bytes.toString('utf8')).state === 'running';
      } catch {
        return false;
      }
    });
    assert.ok(running.length >= 5, `only ${running.length} mid-copy checkpoint(s) captured`);
  });

  test('each search finds a planted secret (the scans look where they claim to)', () => {
    for (const secret of Object.values(SECRETS)) {
      assert.ok(findSecret(`x${secret}x`));
      assert.ok(findSecret(JSON.stringify({ url: `https://h/?t=${encodeURIComponent(secret)}` })));
    }
    const planted = path.join(web.services.layout.logs, 'planted.txt');
    writeFileSync(planted, `line ${STS_TOKEN} line`);
    try {
      assert.ok(filesUnder(web.dataDir).some((f) => findSecret(readFileSync(f))));
    } finally {
      writeFileSync(planted, '');
    }
  });

  test('no file in the data folder holds a secret, the encrypted store and checkpoints included', () => {
    const files = filesUnder(web.dataDir);
    for (const expected of ['profiles.json', 'settings.json', path.join('logs', 'ferry.log')])
      assert.ok(files.includes(path.join(web.dataDir, expected)), `${expected} was written`);
    const secretStore = files.filter((f) => f.startsWith(web.services.layout.secrets + path.sep));
    assert.ok(secretStore.length >= 2, 'the secret store and its key exist');
    assert.equal(web.services.secrets.get('rgw-sts')?.securityToken, STS_TOKEN, 'the token was stored');
    for (const file of files) {
      const found = findSecret(readFileSync(file));
      assert.equal(found, undefined, `${path.relative(web.dataDir, file)} contains ${found}`);
    }
    assert.ok(checkpointSnapshots.length > 0);
    for (const { file, bytes } of checkpointSnapshots) {
      const found = findSecret(bytes);
      assert.equal(found, undefined, `checkpoint ${path.basename(file)} contained ${found} mid-copy`);
    }
  });

  test('no log line holds a secret, and failures are logged with their request ids', () => {
    const fileLines = filesUnder(web.services.layout.logs)
      .filter((f) => path.basename(f).startsWith('ferry.log'))
      .flatMap((f) => readFileSync(f, 'utf8').split('\n'));
    const tail = (replies.tail as { result: LogLine[] }).result;
    const streamed = renderer.events.filter((e) => e.event === 'log.line').map((e) => e.payload as LogLine);
    assert.ok(fileLines.length > 10 && tail.length > 10 && streamed.length > 10);
    for (const line of [
      ...fileLines,
      ...tail.map((l) => JSON.stringify(l)),
      ...streamed.map((l) => JSON.stringify(l)),
    ]) {
      const found = findSecret(line);
      assert.equal(found, undefined, `log line contains ${found}: ${line}`);
    }
    for (const t of results.wrongSecret!) {
      const failed = tail.find((l) => l.taskId === t.id && l.level === 'error');
      assert.ok(failed, `the failure of ${t.id} was logged`);
      assert.ok(failed.requestId, `with its request id: ${JSON.stringify(failed)}`);
    }
    for (const t of results.sts!) {
      const paused = tail.find((l) => l.taskId === t.id && l.level === 'warn' && /paused/.test(l.message));
      assert.ok(paused, `the pause of ${t.id} for new keys was logged`);
    }
  });

  test('nothing the renderer received holds a secret: replies, task events, log events', () => {
    assert.ok(renderer.frames.length > 20);
    for (const frame of renderer.frames) {
      const found = findSecret(frame);
      assert.equal(
        found,
        undefined,
        `a frame sent to the renderer contains ${found}: ${frame.slice(0, 300)}`,
      );
    }
    // The renderer knows accounts by id and name, where their keys live and the access key id (which
    // is not secret: the form shows it so a new secret alone can be entered) — never the secrets.
    const profiles = (replies.list as { result: Record<string, unknown>[] }).result;
    for (const p of profiles) {
      assert.deepEqual(
        Object.entries(p)
          .filter(([k, v]) => typeof v === 'string' && /key|secret|token|password/i.test(k))
          .map(([k]) => k)
          .filter((k) => k !== 'secretStore' && k !== 'accessKeyId'),
        [],
      );
    }
    assert.equal(profiles.find((p) => p.id === 'rgw-sts')?.secretStore, web.services.secrets.kind);
  });
});

/**
 * The `ferry` CLI shares the data folder format and takes keys from flags or the environment: the
 * same search over its files and over everything it prints, with a wrong secret in the environment.
 */
describe('secrets never leak from the CLI', () => {
  const work = mkdtempSync(path.join(os.tmpdir(), 'ferry-leak-cli-'));
  const dataDir = path.join(work, 'data');
  const cli = path.join(work, 'cli.js');
  const bucket = uniqueBucket('leak-cli');
  const outputs: { args: string[]; stdout: string; stderr: string; code: number | null }[] = [];
  const admin = new S3Store({
    endpoint: rgw.endpoint,
    region: rgw.region,
    pathStyle: true,
    credentials: { accessKeyId: rgw.accessKeyId, secretAccessKey: rgw.secretAccessKey },
    requestTimeoutMs: 30_000,
  });
  const big = randomBytes(6 * MiB + 7);

  function ferry(args: string[], env: Record<string, string> = {}) {
    const r = runCli(cli, ['--data-dir', dataDir, ...args], { env, timeoutMs: 120_000 });
    const out = { args, ...r };
    outputs.push(out);
    return out;
  }
  const envKeys = (secret: string) => ({
    FERRY_ACCESS_KEY_ID: rgw.accessKeyId,
    FERRY_SECRET_ACCESS_KEY: secret,
  });

  before(async () => {
    await bundleCli(cli);
    mkdirSync(path.join(dataDir, 'local', 'leak-src'), { recursive: true });
    mkdirSync(path.join(dataDir, 'local', 'leak-dst'), { recursive: true });
    writeFileSync(path.join(dataDir, 'local', 'leak-src', 'big.bin'), big);
    await admin.createBucket(bucket, undefined, { signal: AbortSignal.timeout(30_000) });

    const common = ['--provider', 's3', '--endpoint', rgw.endpoint, '--region', rgw.region, '--path-style'];
    ferry(['profile', 'add', 'from-env', ...common], envKeys(rgw.secretAccessKey));
    ferry([
      'profile',
      'add',
      'from-flags',
      ...common,
      '--access-key-id',
      rgw.accessKeyId,
      '--secret-access-key',
      rgw.secretAccessKey,
    ]);
    ferry(['profile', 'list']);
    ferry(
      ['cp', '--part-size', '5MiB', 'local:leak-src/big.bin', `from-env:${bucket}/cli/`],
      envKeys(rgw.secretAccessKey),
    );
    ferry(['cp', `from-flags:${bucket}/cli/big.bin`, 'local:leak-dst/']);
    ferry(['ls', `from-flags:${bucket}/cli/`]);
    ferry(['cp', `from-env:${bucket}/cli/big.bin`, 'local:leak-dst/wrong/'], envKeys(WRONG_SECRET));
    ferry(['ls', `from-env:${bucket}`], envKeys(WRONG_SECRET));
  });

  after(async () => {
    try {
      const signal = () => ({ signal: AbortSignal.timeout(30_000) });
      for await (const { page } of listAll(admin, bucket, {}, signal())) {
        if (page.objects.length)
          await admin.deleteObjects(
            bucket,
            page.objects.map((o) => o.key),
            signal(),
          );
      }
      await admin.deleteBucket(bucket, signal()).catch(() => undefined);
    } finally {
      await admin.close();
      rmSync(work, { recursive: true, force: true });
    }
  });

  test('the CLI run did what it says, and says where keys live', () => {
    const [addEnv, addFlags, list, up, down, ls, wrongCp, wrongLs] = outputs;
    assert.equal(addEnv!.code, 0, addEnv!.stderr);
    assert.match(addEnv!.stdout, /keys: environment/);
    assert.equal(addFlags!.code, 0, addFlags!.stderr);
    assert.match(addFlags!.stdout, /keys: encrypted-file/);
    assert.match(list!.stdout, /from-env.*keys: environment/);
    for (const r of [up, down, ls]) assert.equal(r!.code, 0, `${r!.args.join(' ')}: ${r!.stderr}`);
    assert.ok(readFileSync(path.join(dataDir, 'local', 'leak-dst', 'big.bin')).equals(big));
    for (const r of [wrongCp, wrongLs]) assert.equal(r!.code, 1, `${r!.args.join(' ')} fails`);
    assert.match(wrongLs!.stderr, /SignatureDoesNotMatch/);
    const log = readFileSync(path.join(dataDir, 'logs', 'ferry.log'), 'utf8');
    assert.match(log, /secrets: encrypted file/);
  });

  test('no file in its data folder and nothing it printed holds a secret', () => {
    for (const file of filesUnder(dataDir)) {
      const found = findSecret(readFileSync(file));
      assert.equal(found, undefined, `${path.relative(dataDir, file)} contains ${found}`);
    }
    for (const r of outputs) {
      for (const [stream, text] of [
        ['stdout', r.stdout],
        ['stderr', r.stderr],
      ]) {
        const found = findSecret(text!);
        assert.equal(found, undefined, `ferry ${r.args.join(' ')} printed ${found} on ${stream}`);
      }
    }
  });
});

/** An S3 endpoint that answers every request 403, quoting the session token it received and the secret. */
async function startEchoServer(seenTokens: string[]): Promise<{ server: http.Server; endpoint: string }> {
  const server = http.createServer((req, res) => {
    const token = String(req.headers['x-amz-security-token'] ?? '');
    seenTokens.push(token);
    req.resume();
    req.on('end', () => {
      const body =
        `<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code>` +
        `<Message>the session token ${token} (secret ${ECHO_SECRET}) is not allowed</Message>` +
        `<RequestId>req-${token}</RequestId><HostId>${ECHO_SECRET}</HostId></Error>`;
      res.writeHead(403, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body) });
      res.end(req.method === 'HEAD' ? undefined : body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/**
 * A server quotes back what it was sent: an STS token echoed in an error message, the secret in a
 * host id, the token in a request id. The log was always redacted; here every error Ferry keeps
 * (checkpoints, history.json) or sends (task events, contract replies, the connection test) must be
 * too. The server answers every request with such an error, so every path a copy takes fails with it.
 */
describe('secrets a server quotes in its errors are never stored or sent', () => {
  let web: TestWebHost;
  let renderer: RendererSocket;
  let server: http.Server;
  let endpoint: string;
  const seenTokens: string[] = [];
  const replies: Record<string, DispatchReply> = {};
  let copied: TaskSummary[] = [];

  before(async () => {
    ({ server, endpoint } = await startEchoServer(seenTokens));

    web = await startTestWebHost();
    renderer = await RendererSocket.open(web);
    const local = web.services.layout.local;
    mkdirSync(path.join(local, 'echo-src', 'dir'), { recursive: true });
    writeFileSync(path.join(local, 'echo-src', 'small.txt'), 'small');
    writeFileSync(path.join(local, 'echo-src', 'dir', 'big.bin'), randomBytes(6 * MiB));
    await renderer.ok('profiles.save', {
      name: 'echo',
      provider: 's3',
      endpoint,
      region: 'us-east-1',
      pathStyle: true,
      accessKeyId: ECHO_KEY_ID,
      secretAccessKey: ECHO_SECRET,
      securityToken: ECHO_TOKEN,
    });
    replies.test = await renderer.invoke('profiles.test', { id: 'echo' });
    replies.list = await renderer.invoke('storage.listObjects', {
      profileId: 'echo',
      bucket: 'bkt',
      prefix: '',
    });
    replies.buckets = await renderer.invoke('storage.listBuckets', { profileId: 'echo' });
    const { taskIds } = (await renderer.ok('tasks.copy', {
      sources: [
        { profileId: 'local', bucket: 'echo-src', key: 'small.txt', isFolder: false },
        { profileId: 'local', bucket: 'echo-src', key: 'dir/', isFolder: true },
      ],
      destination: { profileId: 'echo', bucket: 'bkt', prefix: '' },
      options: {
        metadataDirective: 'COPY',
        conflict: 'overwrite',
        multipartThreshold: 5 * MiB,
        partSize: 5 * MiB,
      },
    })) as { taskIds: string[] };
    copied = await renderer.settled(taskIds);
    replies.tasks = await renderer.invoke('tasks.list');
  });

  after(async () => {
    renderer?.close();
    await web?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  test('the server saw the token and every attempt failed with its quoting error', () => {
    assert.ok(seenTokens.includes(ECHO_TOKEN), 'the token was sent, so the server could quote it');
    const test = replies.test as { ok: true; result: { ok: boolean; message: string; requestId?: string } };
    assert.equal(test.result.ok, false);
    assert.match(
      test.result.message,
      /AccessDenied.*the session token \*\*\* \(secret \*\*\*\) is not allowed/,
    );
    assert.equal(test.result.requestId, 'req-***');
    for (const r of [replies.list, replies.buckets]) assert.equal(r!.ok, false);
    assert.equal(copied.length, 2);
    for (const t of copied) {
      assert.equal(t.state, 'failed', JSON.stringify(t));
      assert.equal(t.error?.code, 'AccessDenied');
      assert.match(t.error!.message, /\*\*\*/);
    }
  });

  test('no file of the data folder holds a quoted secret: checkpoints, history.json, the log', () => {
    const files = filesUnder(web.dataDir);
    const checkpoints = files.filter((f) => path.basename(f).startsWith('task-'));
    assert.ok(checkpoints.length >= 2, 'the failed tasks kept their checkpoints');
    assert.ok(files.some((f) => path.basename(f) === 'history.json'));
    for (const file of files.filter((f) => !f.startsWith(web.services.layout.secrets + path.sep))) {
      const found = findSecret(readFileSync(file));
      assert.equal(found, undefined, `${path.relative(web.dataDir, file)} contains ${found}`);
    }
  });

  test('no task event, log event or contract reply holds a quoted secret', () => {
    assert.ok(renderer.events.some((e) => e.event === 'task.state'));
    for (const frame of renderer.frames) {
      const found = findSecret(frame);
      assert.equal(
        found,
        undefined,
        `a frame sent to the renderer contains ${found}: ${frame.slice(0, 300)}`,
      );
    }
  });
});

/** The same server, through the `ferry` CLI run from source: what it prints and what it keeps. */
describe('secrets a server quotes in its errors never reach the CLI output or its data folder', () => {
  const work = mkdtempSync(path.join(os.tmpdir(), 'ferry-echo-cli-'));
  const dataDir = path.join(work, 'data');
  const seenTokens: string[] = [];
  const outputs: { args: string[]; stdout: string; stderr: string; code: number | null }[] = [];
  let server: http.Server;
  let endpoint: string;

  async function ferry(args: string[]) {
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('FERRY_')));
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        path.join(__dirname, '..', '..', 'main', 'cli', 'index.ts'),
        '--data-dir',
        dataDir,
        ...args,
      ],
      {
        env: {
          ...clean,
          FERRY_ACCESS_KEY_ID: ECHO_KEY_ID,
          FERRY_SECRET_ACCESS_KEY: ECHO_SECRET,
          FERRY_SESSION_TOKEN: ECHO_TOKEN,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    clearTimeout(timer);
    outputs.push({ args, stdout, stderr, code });
  }

  before(async () => {
    ({ server, endpoint } = await startEchoServer(seenTokens));
    mkdirSync(path.join(dataDir, 'local', 'echo-src'), { recursive: true });
    writeFileSync(path.join(dataDir, 'local', 'echo-src', 'small.txt'), 'small');
    await ferry([
      'profile',
      'add',
      'echo',
      '--provider',
      's3',
      '--endpoint',
      endpoint,
      '--region',
      'us-east-1',
      '--path-style',
    ]);
    await ferry(['ls', 'echo:bkt/']);
    await ferry(['cp', 'local:echo-src/small.txt', 'echo:bkt/']);
  });
  after(async () => {
    await new Promise((resolve) => server?.close(resolve));
    rmSync(work, { recursive: true, force: true });
  });

  test('ls and cp fail with the quoting error, redacted on stderr, and nothing kept holds the secrets', () => {
    assert.ok(seenTokens.includes(ECHO_TOKEN), 'the token was sent, so the server could quote it');
    const [add, ls, cp] = outputs;
    assert.equal(add!.code, 0, add!.stderr);
    for (const r of [ls, cp]) {
      assert.equal(r!.code, 1, `${r!.args.join(' ')}: ${r!.stdout}${r!.stderr}`);
      assert.match(r!.stderr, /AccessDenied.*the session token \*\*\* \(secret \*\*\*\)/);
    }
    for (const r of outputs) {
      for (const text of [r.stdout, r.stderr]) {
        const found = findSecret(text);
        assert.equal(found, undefined, `ferry ${r.args.join(' ')} printed ${found}`);
      }
    }
    for (const file of filesUnder(dataDir)) {
      const found = findSecret(readFileSync(file));
      assert.equal(found, undefined, `${path.relative(dataDir, file)} contains ${found}`);
    }
  });
});
