import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseRequest, requests, utf8Bytes } from '../../preload/shared/contract';
import { dispatch, type Handlers } from '../../main/app/dispatch';
import { StorageError } from '../../main/storage/errors';

describe('the contract at the boundary', () => {
  test('rejects unknown request names with UnknownRequest', () => {
    const r = parseRequest('fs.readFile', {});
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.error.code, 'UnknownRequest');
    assert.equal(parseRequest('__proto__', {}).ok, false);
    assert.equal(parseRequest('constructor', {}).ok, false);
  });

  test('rejects malformed arguments with InvalidRequest and the failing path', () => {
    const r = parseRequest('storage.listObjects', { profileId: 'local', bucket: '../etc', prefix: '' });
    assert.equal(r.ok, false);
    if (!r.ok) {
      assert.equal(r.error.code, 'InvalidRequest');
      assert.equal(r.error.issues?.[0]?.path, 'bucket');
    }
    assert.equal(
      parseRequest('storage.headObject', { profileId: 'local', bucket: 'abc', key: 'x'.repeat(1025) }).ok,
      false,
    );
    assert.equal(
      parseRequest('storage.headObject', { profileId: 'local', bucket: 'abc', key: 'ü'.repeat(512) }).ok,
      true,
    );
    assert.equal(
      parseRequest('storage.headObject', { profileId: 'local', bucket: 'abc', key: 'ü'.repeat(513) }).ok,
      false,
    );
    assert.equal(parseRequest('tasks.pause', { id: 'a/../b' }).ok, false);
  });

  test('says what is wrong in words for people, never the schema message', () => {
    const account = {
      id: 'rgw',
      name: 'RGW',
      provider: 's3',
      endpoint: 'http://127.0.0.1:9000',
      region: 'us-east-1',
    };
    const message = (name: string, arg: unknown) => {
      const r = parseRequest(name, arg);
      assert.equal(r.ok, false);
      return r.ok ? '' : r.error.message;
    };
    assert.equal(
      message('profiles.save', { ...account, secretAccessKey: '' }),
      'The secret access key cannot be empty.',
    );
    assert.equal(
      message('profiles.save', { ...account, name: 'x'.repeat(129) }),
      'The name is too long (at most 128 characters).',
    );
    assert.equal(
      message('profiles.save', { ...account, provider: 'ftp' }),
      'The provider must be one of: oss, s3.',
    );
    assert.equal(message('profiles.save', { ...account, region: undefined }), 'The region is missing.');
    assert.equal(
      message('storage.listObjects', { profileId: 'local', bucket: 'No_Such', prefix: '' }),
      'Bucket names are 3–63 lower-case letters, digits, hyphens or dots.',
    );
    assert.equal(
      message('tasks.copy', {
        sources: [],
        destination: { profileId: 'local', bucket: 'sample-backup', prefix: '' },
        options: { metadataDirective: 'COPY', conflict: 'overwrite' },
      }),
      'The items to copy cannot be empty.',
    );
    for (const arg of [{ ...account, secretAccessKey: '' }, { ...account, provider: 'ftp' }, 42, null]) {
      assert.doesNotMatch(message('profiles.save', arg), /Too small|Too big|Invalid|expected|received|>=/);
    }
  });

  test('accepts a valid argument and strips nothing it needs', () => {
    const r = parseRequest('tasks.copy', {
      sources: [{ profileId: 'local', bucket: 'sample-photos', key: '2024/', isFolder: true }],
      destination: { profileId: 'local', bucket: 'sample-backup', prefix: '' },
      options: { metadataDirective: 'COPY', conflict: 'overwrite' },
    });
    assert.equal(r.ok, true);
  });

  test('every request has an argument and a result schema', () => {
    for (const [name, spec] of Object.entries(requests)) {
      assert.ok(spec.arg, `${name} arg`);
      assert.ok(spec.result, `${name} result`);
    }
  });

  test('dispatch turns handler failures into typed errors with the request id', async () => {
    const handlers = {
      'storage.listBuckets': async () => {
        throw new StorageError({ status: 403, code: 'AccessDenied', message: 'no', requestId: 'req-1' });
      },
      'profiles.list': async () => {
        throw new TypeError('boom');
      },
    } as unknown as Handlers;
    const denied = await dispatch(handlers, 'storage.listBuckets', { profileId: 'x' });
    assert.deepEqual(denied, {
      ok: false,
      error: { code: 'AccessDenied', message: 'no', status: 403, requestId: 'req-1', hostId: undefined },
    });
    const crashed = await dispatch(handlers, 'profiles.list', undefined);
    assert.equal(crashed.ok, false);
    assert.equal(!crashed.ok && crashed.error.code, 'InternalError');
  });

  test('dispatch logs a failed request with its code and request id, and keeps secrets out of both', async () => {
    const handlers = {
      'storage.listBuckets': async () => {
        throw new StorageError({
          status: 403,
          code: 'SignatureDoesNotMatch',
          message: 'bad SECRET1',
          requestId: 'req-7',
        });
      },
    } as unknown as Handlers;
    const lines: { message: string; extra?: { requestId?: string } }[] = [];
    const log = {
      redact: (s: string) => s.replaceAll('SECRET1', '***'),
      warn: (message: string, extra?: { requestId?: string }) => lines.push({ message, extra }),
      debug: () => undefined,
    };
    const reply = await dispatch(handlers, 'storage.listBuckets', { profileId: 'x' }, log);
    assert.equal(!reply.ok && reply.error.message, 'bad ***');
    assert.deepEqual(lines, [
      {
        message: 'storage.listBuckets failed: SignatureDoesNotMatch: bad ***',
        extra: { requestId: 'req-7' },
      },
    ]);
  });
});

test('utf8Bytes counts what TextEncoder sends, lone surrogates included', () => {
  for (const s of ['', 'abc', 'é', '中文/键', '😀', 'a\uD800b', '\uDC00', 'x'.repeat(1024) + '€']) {
    assert.equal(utf8Bytes(s), new TextEncoder().encode(s).length, JSON.stringify(s));
  }
});
