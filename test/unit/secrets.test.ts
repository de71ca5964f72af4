import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { credentialsFromEnvironment, EncryptedFileSecretStore } from '../../main/accounts/secrets';
import { appServiceOptions, createApp } from '../../main/app/wiring';

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzz-distinctive-9f3a';
const TOKEN = 'FwoGZXIvYXdzEBYaDH-session-token-77c1';

function modeOf(file: string): number {
  return statSync(file).mode & 0o777;
}

describe('EncryptedFileSecretStore', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'ferry-secrets-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('round-trips credentials through a fresh instance reading the same folder', async () => {
    const store = new EncryptedFileSecretStore(dir);
    await store.set('prod', { accessKeyId: 'AKID', secretAccessKey: SECRET, securityToken: TOKEN });
    await store.set('dev', { accessKeyId: 'AKID2', secretAccessKey: 'other-secret' });
    const again = new EncryptedFileSecretStore(dir);
    assert.deepEqual(again.get('prod'), {
      accessKeyId: 'AKID',
      secretAccessKey: SECRET,
      securityToken: TOKEN,
    });
    assert.deepEqual(again.get('dev'), { accessKeyId: 'AKID2', secretAccessKey: 'other-secret' });
    await again.delete('dev');
    assert.equal(new EncryptedFileSecretStore(dir).get('dev'), undefined);
    assert.ok(new EncryptedFileSecretStore(dir).get('prod'));
  });

  test('returns copies, so a caller cannot change the stored credentials', async () => {
    const store = new EncryptedFileSecretStore(dir);
    await store.set('p', { accessKeyId: 'A', secretAccessKey: SECRET });
    store.get('p')!.secretAccessKey = 'changed';
    assert.equal(store.get('p')!.secretAccessKey, SECRET);
  });

  test(
    'writes the key file and the secrets file readable by the owner only (0600)',
    { skip: process.platform === 'win32' },
    async () => {
      const store = new EncryptedFileSecretStore(dir);
      await store.set('p', { accessKeyId: 'A', secretAccessKey: SECRET });
      assert.equal(modeOf(path.join(dir, 'key')), 0o600);
      assert.equal(modeOf(path.join(dir, 'secrets.enc')), 0o600);
      assert.equal(readFileSync(path.join(dir, 'key')).length, 32);
    },
  );

  test(
    'tightens a key file someone made world-readable before using it',
    { skip: process.platform === 'win32' },
    async () => {
      await new EncryptedFileSecretStore(dir).set('p', { accessKeyId: 'A', secretAccessKey: SECRET });
      const { chmodSync } = await import('node:fs');
      chmodSync(path.join(dir, 'key'), 0o644);
      await new EncryptedFileSecretStore(dir).set('q', { accessKeyId: 'B', secretAccessKey: 'x-secret' });
      assert.equal(modeOf(path.join(dir, 'key')), 0o600);
    },
  );

  test('stores no plaintext secret, session token or encoding of them in any file', async () => {
    const store = new EncryptedFileSecretStore(dir);
    await store.set('p', { accessKeyId: 'AKIDPLAIN', secretAccessKey: SECRET, securityToken: TOKEN });
    for (const name of readdirSync(dir)) {
      const bytes = readFileSync(path.join(dir, name));
      for (const needle of [SECRET, TOKEN, 'AKIDPLAIN', 'secretAccessKey']) {
        for (const form of [
          needle,
          Buffer.from(needle).toString('base64'),
          Buffer.from(needle).toString('hex'),
        ]) {
          assert.equal(bytes.includes(Buffer.from(form)), false, `${name} contains ${form}`);
        }
      }
    }
  });

  test('a tampered secrets file fails with a clear error instead of returning garbage', async () => {
    await new EncryptedFileSecretStore(dir).set('p', { accessKeyId: 'A', secretAccessKey: SECRET });
    const file = path.join(dir, 'secrets.enc');
    const bytes = readFileSync(file);
    bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 0x01;
    writeFileSync(file, bytes);
    assert.throws(
      () => new EncryptedFileSecretStore(dir),
      /cannot be decrypted.*damaged.*enter the keys again/s,
    );
    writeFileSync(file, Buffer.from('short'));
    assert.throws(() => new EncryptedFileSecretStore(dir), /cannot be decrypted/);
  });

  test('a different key fails with a clear error', async () => {
    await new EncryptedFileSecretStore(dir).set('p', { accessKeyId: 'A', secretAccessKey: SECRET });
    writeFileSync(path.join(dir, 'key'), Buffer.alloc(32, 7), { mode: 0o600 });
    assert.throws(
      () => new EncryptedFileSecretStore(dir),
      /cannot be decrypted \(damaged, or its key file changed\)/,
    );
  });

  test('a damaged key file is named as the problem', async () => {
    await new EncryptedFileSecretStore(dir).set('p', { accessKeyId: 'A', secretAccessKey: SECRET });
    writeFileSync(path.join(dir, 'key'), Buffer.alloc(5), { mode: 0o600 });
    assert.throws(() => new EncryptedFileSecretStore(dir), /key file .* is damaged \(expected 32 bytes\)/);
  });

  test('describes itself by what protects the secrets', () => {
    const store = new EncryptedFileSecretStore(dir);
    assert.equal(store.kind, 'encrypted-file');
    assert.match(
      store.description,
      /^encrypted file .*secrets\.enc \(key in .*key, readable by the owner only\)$/,
    );
  });
});

describe('credentialsFromEnvironment', () => {
  test('reads both keys and the optional session token', () => {
    assert.deepEqual(
      credentialsFromEnvironment({
        FERRY_ACCESS_KEY_ID: 'A',
        FERRY_SECRET_ACCESS_KEY: 'S',
        FERRY_SESSION_TOKEN: 'T',
      }),
      { accessKeyId: 'A', secretAccessKey: 'S', securityToken: 'T' },
    );
    assert.deepEqual(
      credentialsFromEnvironment({
        FERRY_ACCESS_KEY_ID: 'A',
        FERRY_SECRET_ACCESS_KEY: 'S',
        FERRY_SESSION_TOKEN: '',
      }),
      {
        accessKeyId: 'A',
        secretAccessKey: 'S',
        securityToken: undefined,
      },
    );
  });

  test('gives nothing unless both the key id and the secret are set', () => {
    assert.equal(credentialsFromEnvironment({ FERRY_ACCESS_KEY_ID: 'A' }), undefined);
    assert.equal(credentialsFromEnvironment({ FERRY_SECRET_ACCESS_KEY: 'S' }), undefined);
    assert.equal(credentialsFromEnvironment({}), undefined);
  });
});

describe('start-up', () => {
  test('the web host and the CLI log which secret store is in use', async () => {
    for (const kind of ['web', 'cli'] as const) {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'ferry-startup-'));
      try {
        const services = createApp(appServiceOptions(dir, kind));
        const line = services.logger.recent(50).find((l) => l.message.includes('secrets: '));
        assert.ok(line, `no "secrets:" line for ${kind}`);
        assert.match(
          line.message,
          new RegExp(
            `\\(${kind}\\).*secrets: encrypted file ${escape(path.join(dir, 'secrets', 'secrets.enc'))}`,
          ),
        );
        assert.match(readFileSync(path.join(dir, 'logs', 'ferry.log'), 'utf8'), /secrets: encrypted file/);
        await services.close();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
