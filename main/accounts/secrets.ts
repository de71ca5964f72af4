/**
 * Where access keys live. The Electron host uses the OS keychain through `safeStorage`
 * (main/electron/safe-storage-secrets.ts); the web host and the CLI use an AES-256-GCM encrypted file
 * whose key sits in a file only the owner can read (0600). A secret never leaves this module except
 * to sign requests: profiles, logs, checkpoints and the renderer only ever see profile ids.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, linkSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { withFileLock } from '../core/file-lock';
import { FileStamp } from '../core/file-stamp';

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  securityToken?: string;
}

export type SecretStoreKind = 'safe-storage' | 'encrypted-file';

export interface SecretStore {
  readonly kind: SecretStoreKind;
  /** Human-readable: what protects the secrets, shown at start-up and in the accounts view. */
  readonly description: string;
  get(profileId: string): Credentials | undefined;
  set(profileId: string, credentials: Credentials): Promise<void>;
  delete(profileId: string): Promise<void>;
}

/**
 * Encrypts a JSON map of profile id → credentials with a random key kept in an owner-only file.
 * Several processes share it (the app, the CLI): a change re-reads the file under its lock, and a
 * look re-reads it when another process replaced it.
 */
export class EncryptedFileSecretStore implements SecretStore {
  readonly kind = 'encrypted-file' as const;
  private readonly keyFile: string;
  private readonly dataFile: string;
  private readonly stamp: FileStamp;
  private cache: Record<string, Credentials>;

  constructor(dir: string) {
    this.keyFile = path.join(dir, 'key');
    this.dataFile = path.join(dir, 'secrets.enc');
    this.stamp = new FileStamp(this.dataFile);
    this.cache = this.load();
  }

  get description(): string {
    return `encrypted file ${this.dataFile} (key in ${this.keyFile}, readable by the owner only)`;
  }

  get(profileId: string): Credentials | undefined {
    if (this.stamp.changed()) this.cache = this.load();
    const found = this.cache[profileId];
    return found ? { ...found } : undefined;
  }

  async set(profileId: string, credentials: Credentials): Promise<void> {
    await withFileLock(this.dataFile, async () => {
      this.cache = { ...this.load(), [profileId]: { ...credentials } };
      await this.save();
    });
  }

  async delete(profileId: string): Promise<void> {
    await withFileLock(this.dataFile, async () => {
      const { [profileId]: removed, ...rest } = this.load();
      this.cache = rest;
      if (removed) await this.save();
    });
  }

  private key(): Buffer {
    if (!existsSync(this.keyFile)) this.createKey();
    if (process.platform !== 'win32') {
      const mode = statSync(this.keyFile).mode & 0o777;
      if (mode & 0o077) chmodSync(this.keyFile, 0o600); // someone loosened it: tighten before use
    }
    const key = readFileSync(this.keyFile);
    if (key.length !== 32)
      throw new Error(`the secret key file ${this.keyFile} is damaged (expected 32 bytes)`);
    return key;
  }

  /**
   * Made whole under a temporary name, then linked into place, which fails if the key exists: two
   * processes starting at once must not each encrypt with a key the other then replaces.
   */
  private createKey(): void {
    const temp = `${this.keyFile}.${process.pid}.${randomBytes(4).toString('hex')}`;
    writeFileAtomic.sync(temp, randomBytes(32), { mode: 0o600 });
    try {
      linkSync(temp, this.keyFile);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    } finally {
      rmSync(temp, { force: true });
    }
  }

  private load(): Record<string, Credentials> {
    return this.stamp.read(() => this.decrypt());
  }

  private decrypt(): Record<string, Credentials> {
    if (!existsSync(this.dataFile)) return {};
    const blob = readFileSync(this.dataFile);
    // Outside the try: a damaged key file deserves its own message, not "cannot be decrypted".
    const key = this.key();
    try {
      if (blob.length < 28) throw new Error('too short');
      const iv = blob.subarray(0, 12);
      const tag = blob.subarray(12, 28);
      const decipher = createDecipheriv('aes-256-gcm', key, iv);
      decipher.setAuthTag(tag);
      const plain = Buffer.concat([decipher.update(blob.subarray(28)), decipher.final()]);
      return JSON.parse(plain.toString('utf8')) as Record<string, Credentials>;
    } catch {
      throw new Error(
        `the secret store ${this.dataFile} cannot be decrypted (damaged, or its key file changed); ` +
          'move it aside and enter the keys again',
      );
    }
  }

  private async save(): Promise<void> {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key(), iv);
    const body = Buffer.concat([cipher.update(JSON.stringify(this.cache), 'utf8'), cipher.final()]);
    await writeFileAtomic(this.dataFile, Buffer.concat([iv, cipher.getAuthTag(), body]), { mode: 0o600 });
    this.stamp.wrote();
  }
}

/**
 * The store a host writes new keys to, plus the stores it can still read. The Electron host writes to
 * the OS credential store but also reads keys the web host or the CLI saved in the encrypted file
 * (same data folder, same key file), so an account added in one works in the other. The web host and
 * the CLI cannot open the OS store: a profile whose keys live there says so (ProfileStore.credentials).
 */
export class SecretStoreChain implements SecretStore {
  constructor(
    private readonly primary: SecretStore,
    private readonly readable: readonly SecretStore[],
  ) {}

  get kind(): SecretStoreKind {
    return this.primary.kind;
  }

  get description(): string {
    return `${this.primary.description}; keys saved earlier by the web host or the CLI are read from ${this.readable
      .map((s) => s.description)
      .join(', ')}`;
  }

  get(profileId: string): Credentials | undefined {
    return this.primary.get(profileId);
  }

  /** Keys of a profile saved by a host that used the `kind` store, if this host can read it. */
  getFrom(kind: SecretStoreKind, profileId: string): Credentials | undefined {
    return [this.primary, ...this.readable].find((s) => s.kind === kind)?.get(profileId);
  }

  async set(profileId: string, credentials: Credentials): Promise<void> {
    await this.primary.set(profileId, credentials);
    // The keys now live in the primary store; an older copy elsewhere is only a liability.
    for (const s of this.readable) await s.delete(profileId);
  }

  async delete(profileId: string): Promise<void> {
    await this.primary.delete(profileId);
    for (const s of this.readable) await s.delete(profileId);
  }
}

/** Keys from FERRY_ACCESS_KEY_ID / FERRY_SECRET_ACCESS_KEY (/ FERRY_SESSION_TOKEN), for scripts and CI. */
export function credentialsFromEnvironment(env: NodeJS.ProcessEnv = process.env): Credentials | undefined {
  const accessKeyId = env.FERRY_ACCESS_KEY_ID;
  const secretAccessKey = env.FERRY_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey) return undefined;
  return { accessKeyId, secretAccessKey, securityToken: env.FERRY_SESSION_TOKEN || undefined };
}
