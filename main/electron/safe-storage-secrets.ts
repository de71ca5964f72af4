/**
 * Secrets encrypted with Electron's safeStorage (Keychain on macOS, DPAPI on Windows, libsecret or
 * kwallet on Linux). The ciphertext lives in `DATA_DIR/secrets/safe-storage.json`.
 *
 * Takes the few safeStorage methods it uses rather than importing Electron, so tests run it with a
 * stand-in on machines without the Electron binary.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { withFileLock } from '../core/file-lock';
import { FileStamp } from '../core/file-stamp';
import {
  EncryptedFileSecretStore,
  SecretStoreChain,
  type Credentials,
  type SecretStore,
} from '../accounts/secrets';

export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only: which secret service safeStorage found. */
  getSelectedStorageBackend?(): string;
}

/**
 * Linux backends that are not a credential store: with no secret service running, Chromium falls
 * back to `basic_text`, a key hard-coded in every copy of Chromium — obfuscation, not encryption.
 */
const WEAK_LINUX_BACKENDS = new Set(['basic_text', 'unknown']);

export class SafeStorageSecretStore implements SecretStore {
  readonly kind = 'safe-storage' as const;
  private readonly file: string;
  private readonly stamp: FileStamp;
  private cache: Record<string, string>;

  constructor(
    private readonly safeStorage: SafeStorageLike,
    dir: string,
  ) {
    this.file = path.join(dir, 'safe-storage.json');
    this.stamp = new FileStamp(this.file);
    this.cache = this.load();
  }

  get description(): string {
    const backend = this.safeStorage.getSelectedStorageBackend?.();
    return `the operating system's credential store (Electron safeStorage${backend ? `, ${backend}` : ''})`;
  }

  get(profileId: string): Credentials | undefined {
    if (this.stamp.changed()) this.cache = this.load();
    const blob = this.cache[profileId];
    if (!blob) return undefined;
    try {
      return JSON.parse(this.safeStorage.decryptString(Buffer.from(blob, 'base64'))) as Credentials;
    } catch {
      // The OS store's key changed (another user, a reinstalled keyring): the ciphertext is useless.
      throw new Error(
        `the saved keys of account "${profileId}" cannot be decrypted by the operating system's credential ` +
          'store (its key changed); edit the account and enter the keys again',
      );
    }
  }

  async set(profileId: string, credentials: Credentials): Promise<void> {
    const blob = this.safeStorage.encryptString(JSON.stringify(credentials)).toString('base64');
    await withFileLock(this.file, async () => {
      this.cache = { ...this.load(), [profileId]: blob };
      await this.persist();
    });
  }

  async delete(profileId: string): Promise<void> {
    await withFileLock(this.file, async () => {
      const { [profileId]: gone, ...rest } = this.load();
      this.cache = rest;
      if (gone) await this.persist();
    });
  }

  /** Only under the file's lock, after `load`: another process may have saved since our last look. */
  private async persist(): Promise<void> {
    await writeFileAtomic(this.file, JSON.stringify(this.cache), { mode: 0o600 });
    this.stamp.wrote();
  }

  private load(): Record<string, string> {
    return this.stamp.read(() => this.readFile());
  }

  private readFile(): Record<string, string> {
    if (!existsSync(this.file)) return {};
    try {
      const parsed = JSON.parse(readFileSync(this.file, 'utf8')) as unknown;
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
        throw new Error('not a map');
      return Object.fromEntries(
        Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === 'string'),
      );
    } catch {
      throw new Error(
        `the secret store ${this.file} is damaged; move it aside and enter the keys of its accounts again`,
      );
    }
  }
}

/**
 * The Electron host's secret store: the OS credential store when there is a real one, reading keys the
 * web host or the CLI saved from the encrypted file too; the encrypted file alone when safeStorage
 * is unavailable or would only obfuscate (Linux without a secret service). The description says
 * which, and why, in the start-up log line.
 */
export function electronSecretStore(
  safeStorage: SafeStorageLike,
  dir: string,
  platform: NodeJS.Platform = process.platform,
): SecretStore {
  const file = new EncryptedFileSecretStore(dir);
  const backend = platform === 'linux' ? safeStorage.getSelectedStorageBackend?.() : undefined;
  const weak = backend !== undefined && WEAK_LINUX_BACKENDS.has(backend);
  if (safeStorage.isEncryptionAvailable() && !weak) {
    return new SecretStoreChain(new SafeStorageSecretStore(safeStorage, dir), [file]);
  }
  const why = weak
    ? `no secret service (libsecret or kwallet) is running, safeStorage would use ${backend}`
    : 'Electron safeStorage is not available';
  return {
    kind: file.kind,
    get description() {
      return `${file.description}, because ${why}`;
    },
    get: (id) => file.get(id),
    set: (id, creds) => file.set(id, creds),
    delete: (id) => file.delete(id),
  };
}
