/**
 * The Electron host's secret storage without Electron: SafeStorageSecretStore with a stand-in for
 * safeStorage, the choice between the OS store and the encrypted file, and accounts moving between
 * the desktop app and the web host / CLI that share a data folder.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { ProfileStore } from '../../main/accounts/profiles';
import { EncryptedFileSecretStore } from '../../main/accounts/secrets';
import {
  electronSecretStore,
  SafeStorageSecretStore,
  type SafeStorageLike,
} from '../../main/electron/safe-storage-secrets';

const SECRET = 'SafeStorageUnitSecret-5b1d7c0e9a';
const TOKEN = 'SafeStorageUnitToken-0c9e8f7a6b';

/** XOR with a per-instance key: reversible, and a different "keychain" cannot read another's blobs. */
function fakeSafeStorage(options: { key?: number; available?: boolean; backend?: string } = {}) {
  const key = options.key ?? 0x5a;
  const check = 0xa5;
  return {
    isEncryptionAvailable: () => options.available ?? true,
    ...(options.backend ? { getSelectedStorageBackend: () => options.backend! } : {}),
    encryptString: (s: string) => Buffer.from([key ^ check, ...Buffer.from(s).map((b) => b ^ key)]),
    decryptString: (b: Buffer) => {
      if ((b[0]! ^ key) !== check) throw new Error('Error while decrypting the ciphertext provided');
      return Buffer.from(b.subarray(1).map((x) => x ^ key)).toString();
    },
  } satisfies SafeStorageLike;
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'ferry-safe-storage-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const allBytes = () =>
  Buffer.concat(readdirSync(dir).map((f) => readFileSync(path.join(dir, f)))).toString('latin1');

describe('SafeStorageSecretStore', () => {
  test('round-trips credentials through a fresh instance, with no plaintext on disk', async () => {
    const store = new SafeStorageSecretStore(fakeSafeStorage(), dir);
    await store.set('p1', { accessKeyId: 'AKIDSAFE', secretAccessKey: SECRET, securityToken: TOKEN });
    const again = new SafeStorageSecretStore(fakeSafeStorage(), dir);
    assert.deepEqual(again.get('p1'), {
      accessKeyId: 'AKIDSAFE',
      secretAccessKey: SECRET,
      securityToken: TOKEN,
    });
    for (const plain of [SECRET, TOKEN, 'AKIDSAFE', Buffer.from(SECRET).toString('base64')])
      assert.ok(!allBytes().includes(plain), plain);
    if (process.platform !== 'win32') {
      const { statSync } = await import('node:fs');
      assert.equal(statSync(path.join(dir, 'safe-storage.json')).mode & 0o777, 0o600);
    }
    await again.delete('p1');
    assert.equal(new SafeStorageSecretStore(fakeSafeStorage(), dir).get('p1'), undefined);
  });

  test('keys the OS store can no longer decrypt give a clear error, not garbage or the blob', async () => {
    await new SafeStorageSecretStore(fakeSafeStorage({ key: 1 }), dir).set('p1', {
      accessKeyId: 'A',
      secretAccessKey: SECRET,
    });
    const other = new SafeStorageSecretStore(fakeSafeStorage({ key: 2 }), dir);
    assert.throws(
      () => other.get('p1'),
      (err: Error) =>
        /cannot be decrypted by the operating system's credential store/.test(err.message) &&
        !err.message.includes(SECRET),
    );
  });

  test('a damaged store file is named as the problem at start-up', () => {
    writeFileSync(path.join(dir, 'safe-storage.json'), '{"p1": "abc"');
    assert.throws(() => new SafeStorageSecretStore(fakeSafeStorage(), dir), /safe-storage\.json is damaged/);
  });
});

describe('electronSecretStore picks what protects the keys', () => {
  test('the OS credential store where there is one (macOS, Windows, Linux with a secret service)', () => {
    for (const [platform, backend] of [
      ['darwin', undefined],
      ['win32', undefined],
      ['linux', 'gnome_libsecret'],
      ['linux', 'kwallet5'],
    ] as const) {
      const store = electronSecretStore(fakeSafeStorage({ backend }), dir, platform);
      assert.equal(store.kind, 'safe-storage', `${platform} ${backend}`);
      assert.match(store.description, /operating system's credential store/);
    }
  });

  test("the encrypted file where safeStorage would only obfuscate (Linux's basic_text) or is missing", () => {
    const weak = electronSecretStore(fakeSafeStorage({ backend: 'basic_text' }), dir, 'linux');
    assert.equal(weak.kind, 'encrypted-file');
    assert.match(weak.description, /encrypted file .*because no secret service .* basic_text/);
    const none = electronSecretStore(fakeSafeStorage({ available: false }), dir, 'darwin');
    assert.equal(none.kind, 'encrypted-file');
    assert.match(none.description, /because Electron safeStorage is not available/);
  });

  test('the fallback really stores keys, encrypted', async () => {
    const store = electronSecretStore(fakeSafeStorage({ available: false }), dir, 'linux');
    await store.set('p1', { accessKeyId: 'A', secretAccessKey: SECRET });
    assert.equal(new EncryptedFileSecretStore(dir).get('p1')?.secretAccessKey, SECRET);
    assert.ok(!allBytes().includes(SECRET));
  });
});

describe('accounts shared between the desktop app and the web host / CLI', () => {
  const input = {
    name: 'shared',
    provider: 's3' as const,
    endpoint: 'https://s3.example.com',
    region: 'us-east-1',
    accessKeyId: 'AKIDSHARED',
    secretAccessKey: SECRET,
  };
  const profilesFile = () => path.join(dir, 'profiles.json');

  test('the desktop app uses keys the web host saved, and moves them into the OS store when edited', async () => {
    const web = new ProfileStore(profilesFile(), new EncryptedFileSecretStore(dir));
    const saved = await web.save(input);
    assert.equal(saved.secretStore, 'encrypted-file');

    const app = new ProfileStore(profilesFile(), electronSecretStore(fakeSafeStorage(), dir, 'darwin'));
    assert.equal(app.credentials(saved.id).secretAccessKey, SECRET);

    const edited = await app.save({ ...input, id: saved.id, secretAccessKey: `${SECRET}-2` });
    assert.equal(edited.secretStore, 'safe-storage');
    assert.equal(app.credentials(saved.id).secretAccessKey, `${SECRET}-2`);
    assert.equal(new EncryptedFileSecretStore(dir).get(saved.id), undefined, 'the old copy is gone');
  });

  test('the web host cannot open the OS store and says so', async () => {
    const app = new ProfileStore(profilesFile(), electronSecretStore(fakeSafeStorage(), dir, 'darwin'));
    const saved = await app.save(input);
    const web = new ProfileStore(profilesFile(), new EncryptedFileSecretStore(dir));
    assert.throws(
      () => web.credentials(saved.id),
      (err: Error & { code?: string }) =>
        err.code === 'MissingCredentials' &&
        /keeps its keys in the operating system's credential store, which only the Ferry desktop app can open/.test(
          err.message,
        ),
    );
  });

  test('removing an account removes its keys from every store the host can write', async () => {
    const web = new ProfileStore(profilesFile(), new EncryptedFileSecretStore(dir));
    const saved = await web.save(input);
    const app = new ProfileStore(profilesFile(), electronSecretStore(fakeSafeStorage(), dir, 'darwin'));
    assert.equal(await app.remove(saved.id), true);
    assert.equal(new EncryptedFileSecretStore(dir).get(saved.id), undefined);
  });
});
