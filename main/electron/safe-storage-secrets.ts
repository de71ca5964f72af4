/**
 * Secrets encrypted with Electron's safeStorage (Keychain on macOS, DPAPI on Windows, libsecret or
 * kwallet on Linux). The ciphertext lives in `DATA_DIR/secrets/safe-storage.json`.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { SafeStorage } from 'electron';
import writeFileAtomic from 'write-file-atomic';
import type { Credentials, SecretStore } from '../accounts/secrets';

export class SafeStorageSecretStore implements SecretStore {
  readonly kind = 'safe-storage' as const;
  private readonly file: string;
  private cache: Record<string, string>;

  constructor(
    private readonly safeStorage: SafeStorage,
    dir: string,
  ) {
    this.file = path.join(dir, 'safe-storage.json');
    this.cache = existsSync(this.file)
      ? (JSON.parse(readFileSync(this.file, 'utf8')) as Record<string, string>)
      : {};
  }

  get description(): string {
    return `the operating system's credential store (Electron safeStorage, ${this.safeStorage.getSelectedStorageBackend?.() ?? 'os'})`;
  }

  get(profileId: string): Credentials | undefined {
    const blob = this.cache[profileId];
    if (!blob) return undefined;
    return JSON.parse(this.safeStorage.decryptString(Buffer.from(blob, 'base64'))) as Credentials;
  }

  async set(profileId: string, credentials: Credentials): Promise<void> {
    const blob = this.safeStorage.encryptString(JSON.stringify(credentials)).toString('base64');
    this.cache = { ...this.cache, [profileId]: blob };
    await writeFileAtomic(this.file, JSON.stringify(this.cache), { mode: 0o600 });
  }

  async delete(profileId: string): Promise<void> {
    const { [profileId]: _gone, ...rest } = this.cache;
    this.cache = rest;
    await writeFileAtomic(this.file, JSON.stringify(this.cache), { mode: 0o600 });
  }
}
