import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { dispatch, type DispatchReply } from '../../main/app/dispatch';
import { startTestWebHost, type TestWebHost } from '../support/web-host';

/**
 * A read-only account must refuse every destructive request before any provider is touched. The
 * account points at an address nothing listens on: reaching the network would fail differently.
 */
describe('read-only accounts', () => {
  let web: TestWebHost;
  let readOnlyId: string;

  before(async () => {
    web = await startTestWebHost();
    const saved = await dispatch(web.services.handlers, 'profiles.save', {
      name: 'archive (read-only)',
      provider: 's3',
      endpoint: 'http://127.0.0.1:9',
      region: 'us-east-1',
      accessKeyId: 'AKIDREADONLY',
      secretAccessKey: 'read-only-secret',
      readOnly: true,
    });
    assert.equal(saved.ok, true, JSON.stringify(saved));
    readOnlyId = (saved as { result: { id: string } }).result.id;
  });
  after(async () => {
    await web.close();
  });

  function assertReadOnly(reply: DispatchReply, what: RegExp): void {
    assert.equal(reply.ok, false);
    if (reply.ok) return;
    assert.equal(reply.error.code, 'ReadOnlyProfile');
    assert.equal(reply.error.status, 403);
    assert.match(reply.error.message, /account "archive \(read-only\)" is read-only/);
    assert.match(reply.error.message, what);
  }

  async function localObjects(): Promise<string[]> {
    const reply = await dispatch(web.services.handlers, 'storage.listObjects', {
      profileId: 'local',
      bucket: 'sample-photos',
      prefix: '',
    });
    assert.equal(reply.ok, true);
    return (reply.result as { objects: { key: string }[] }).objects.map((o) => o.key).sort();
  }

  test('refuses deleting objects', async () => {
    const reply = await dispatch(web.services.handlers, 'storage.deleteObjects', {
      profileId: readOnlyId,
      bucket: 'some-bucket',
      keys: ['a.txt', 'folder/'],
    });
    assertReadOnly(reply, /deleting objects/);
  });

  test('refuses copying into it', async () => {
    const before_ = await localObjects();
    const reply = await dispatch(web.services.handlers, 'tasks.copy', {
      sources: [{ profileId: 'local', bucket: 'sample-photos', key: 'README.txt', isFolder: false }],
      destination: { profileId: readOnlyId, bucket: 'some-bucket', prefix: '' },
      options: { metadataDirective: 'COPY', conflict: 'overwrite' },
    });
    assertReadOnly(reply, /copying into it/);
    assert.deepEqual(await localObjects(), before_);
    assert.deepEqual(web.services.tasks.list(), []);
  });

  test('refuses moving objects out of it, even into a writable account', async () => {
    const before_ = await localObjects();
    const reply = await dispatch(web.services.handlers, 'tasks.copy', {
      sources: [{ profileId: readOnlyId, bucket: 'some-bucket', key: 'a.txt', isFolder: false }],
      destination: { profileId: 'local', bucket: 'sample-photos', prefix: 'moved/' },
      options: { metadataDirective: 'COPY', conflict: 'overwrite', move: true },
    });
    assertReadOnly(reply, /moving objects out of it/);
    assert.deepEqual(await localObjects(), before_);
    assert.deepEqual(web.services.tasks.list(), []);
  });

  test('refuses aborting multipart uploads', async () => {
    const reply = await dispatch(web.services.handlers, 'orphans.abort', {
      profileId: readOnlyId,
      bucket: 'some-bucket',
      uploads: [{ key: 'big.bin', uploadId: 'upload-1' }],
    });
    assertReadOnly(reply, /aborting uploads/);
  });

  test('the same requests on the writable Local account are not refused as read-only', async () => {
    const reply = await dispatch(web.services.handlers, 'storage.deleteObjects', {
      profileId: 'local',
      bucket: 'sample-backup',
      keys: ['does-not-exist.txt'],
    });
    assert.ok(reply.ok || reply.error.code !== 'ReadOnlyProfile');
    const stillThere = await localObjects();
    assert.ok(stillThere.includes('README.txt'));
  });
});
