/**
 * An accounts file Ferry cannot fully read (damaged by hand, or holding an account a newer Ferry
 * wrote) must not be replaced by the next save with only the account being added: what could not be
 * read is kept beside it first (main/accounts/profiles.ts).
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { ProfileStore } from '../../main/accounts/profiles';
import { EncryptedFileSecretStore } from '../../main/accounts/secrets';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'ferry-profiles-'));
  mkdirSync(path.join(dir, 'secrets'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const input = {
  name: 'new one',
  provider: 's3' as const,
  endpoint: 'http://127.0.0.1:1',
  region: 'us-east-1',
  accessKeyId: 'AKID',
  secretAccessKey: 'secret',
};
const copiesBeside = () => readdirSync(dir).filter((f) => f.startsWith('profiles.json.unreadable-'));

test('a damaged profiles.json is kept beside the file before a save rewrites it', async () => {
  const file = path.join(dir, 'profiles.json');
  const damaged = '[{"id":"prod","name":"prod","provider":"s3","endpoint":"https://s3.example.com"'; // cut off
  writeFileSync(file, damaged);
  const store = new ProfileStore(file, new EncryptedFileSecretStore(path.join(dir, 'secrets')));
  await store.save(input);
  const kept = copiesBeside();
  assert.equal(kept.length, 1, 'one copy of what could not be read');
  assert.equal(readFileSync(path.join(dir, kept[0]!), 'utf8'), damaged);
  assert.deepEqual(
    store.list().map((p) => p.name),
    ['Local', 'This computer', 'new one'],
  );
});

test('an account that does not parse (written by a newer Ferry) is kept beside the file, the rest load', async () => {
  const file = path.join(dir, 'profiles.json');
  const good = {
    id: 'prod',
    name: 'prod',
    provider: 's3',
    endpoint: 'https://s3.example.com',
    region: 'us-east-1',
    secretStore: 'encrypted-file',
  };
  const future = { id: 'x', name: 'x', provider: 'gcs', endpoint: 'https://storage.example.com' };
  const text = JSON.stringify([good, future]);
  writeFileSync(file, text);
  const store = new ProfileStore(file, new EncryptedFileSecretStore(path.join(dir, 'secrets')));
  assert.deepEqual(
    store.list().map((p) => p.id),
    ['local', 'computer', 'prod'],
  );
  assert.equal(readFileSync(path.join(dir, copiesBeside()[0]!), 'utf8'), text);
});

test('a readable file leaves no copy beside it', async () => {
  const file = path.join(dir, 'profiles.json');
  const store = new ProfileStore(file, new EncryptedFileSecretStore(path.join(dir, 'secrets')));
  await store.save(input);
  new ProfileStore(file, new EncryptedFileSecretStore(path.join(dir, 'secrets'))).list();
  assert.deepEqual(copiesBeside(), []);
});
