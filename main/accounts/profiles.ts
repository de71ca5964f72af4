/**
 * Saved accounts. `profiles.json` holds everything but the keys; the keys go to a SecretStore.
 * The built-in `local` profile (the Local provider) and `computer` profile (this computer's disk)
 * always exist and cannot be changed or removed.
 *
 * The app and any number of `ferry` commands share the file: every change re-reads it under a file
 * lock (profiles first, then the secrets' lock), and a look re-reads it when another process replaced it.
 */
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import writeFileAtomic from 'write-file-atomic';
import { withFileLock } from '../core/file-lock';
import { FileStamp } from '../core/file-stamp';
import { Profile, type ProfileInput } from '../../preload/shared/contract';
import { credentialsFromEnvironment, SecretStoreChain, type Credentials, type SecretStore } from './secrets';

export const LOCAL_PROFILE_ID = 'local';

const LOCAL_PROFILE: Profile = {
  id: LOCAL_PROFILE_ID,
  name: 'Local',
  provider: 'local',
  secretStore: 'none',
};

export const COMPUTER_PROFILE_ID = 'computer';

const COMPUTER_PROFILE: Profile = {
  id: COMPUTER_PROFILE_ID,
  name: 'This computer',
  provider: 'computer',
  secretStore: 'none',
};

/** The profiles Ferry builds in: never saved, changed or removed. */
export const isBuiltInProfile = (id: string | undefined): boolean =>
  id === LOCAL_PROFILE_ID || id === COMPUTER_PROFILE_ID;

export class ProfileError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export class ProfileStore {
  private profiles: Profile[];
  private readonly stamp: FileStamp;

  constructor(
    private readonly file: string,
    private readonly secrets: SecretStore,
  ) {
    this.stamp = new FileStamp(file);
    this.profiles = this.load();
  }

  list(): Profile[] {
    if (this.stamp.changed()) this.profiles = this.load();
    return [LOCAL_PROFILE, COMPUTER_PROFILE, ...this.profiles];
  }

  get(id: string): Profile {
    const found = this.list().find((p) => p.id === id);
    if (!found) throw new ProfileError('NoSuchProfile', `there is no account "${id}"`);
    return found;
  }

  /** The keys a profile signs with: its stored secret, or the environment's for `environment` profiles. */
  credentials(id: string): Credentials {
    const profile = this.get(id);
    const where = profile.secretStore;
    if (where === 'environment') {
      const creds = credentialsFromEnvironment();
      if (creds) return creds;
      throw new ProfileError(
        'MissingCredentials',
        `account "${profile.name}" takes its keys from FERRY_ACCESS_KEY_ID and FERRY_SECRET_ACCESS_KEY, which are not set`,
      );
    }
    const creds =
      where === this.secrets.kind
        ? this.secrets.get(id)
        : where !== 'none' && this.secrets instanceof SecretStoreChain
          ? this.secrets.getFrom(where, id)
          : undefined;
    if (creds) return creds;
    if (where === 'safe-storage' && this.secrets.kind !== 'safe-storage') {
      throw new ProfileError(
        'MissingCredentials',
        `account "${profile.name}" keeps its keys in the operating system's credential store, which only the ` +
          'Ferry desktop app can open (where that store is available); use it there, or edit the account ' +
          'here and enter the keys again',
      );
    }
    throw new ProfileError(
      'MissingCredentials',
      `account "${profile.name}" has no saved keys; edit it and enter them`,
    );
  }

  /**
   * The account `input` describes, with the keys it would sign with, checked but not saved: what
   * "Save" writes and what "Test" tries. A new secret alone keeps the saved access key id (the id is
   * not secret and the form shows it); a new key id needs its secret.
   */
  draft(
    input: ProfileInput,
    options: { keysFromEnvironment?: boolean } = {},
  ): { profile: Profile; credentials?: Credentials; newKeys: boolean } {
    const existing = input.id ? this.profiles.find((p) => p.id === input.id) : undefined;
    if (input.id === LOCAL_PROFILE_ID)
      throw new ProfileError('ReadOnlyProfile', 'the Local account cannot be changed');
    if (input.id === COMPUTER_PROFILE_ID)
      throw new ProfileError('ReadOnlyProfile', 'This computer is built in and cannot be changed');
    if (input.id && !existing) throw new ProfileError('NoSuchProfile', `there is no account "${input.id}"`);
    if (this.profiles.some((p) => p.name === input.name && p.id !== input.id)) {
      throw new ProfileError('ProfileExists', `an account named "${input.name}" already exists`);
    }
    validateEndpoint(input.endpoint);
    const id = existing?.id ?? slugId(input.name, this.list());
    let credentials: Credentials | undefined;
    if (input.secretAccessKey) {
      const accessKeyId = input.accessKeyId ?? (existing ? this.storedKeyId(existing) : undefined);
      if (!accessKeyId)
        throw new ProfileError('MissingCredentials', 'enter the access key ID that goes with this secret');
      credentials = {
        accessKeyId,
        secretAccessKey: input.secretAccessKey,
        securityToken: input.securityToken || undefined,
      };
    } else if (input.accessKeyId && input.accessKeyId !== (existing && this.storedKeyId(existing))) {
      throw new ProfileError('MissingCredentials', 'a new access key ID needs its secret access key too');
    }
    if (!existing && !credentials && !options.keysFromEnvironment) {
      throw new ProfileError('MissingCredentials', 'a new account needs an access key ID and a secret');
    }
    const secretStore: Profile['secretStore'] = credentials
      ? this.secrets.kind
      : options.keysFromEnvironment
        ? 'environment'
        : (existing?.secretStore ?? this.secrets.kind);
    const profile: Profile = Profile.parse({
      id,
      name: input.name,
      provider: input.provider,
      endpoint: input.endpoint.replace(/\/+$/, ''),
      region: input.region,
      pathStyle: input.pathStyle ?? false,
      signatureVersion: input.provider === 'oss' ? (input.signatureVersion ?? 'v4') : undefined,
      readOnly: input.readOnly ?? false,
      startPath: input.startPath || undefined,
      secretStore,
      hasSessionToken: credentials ? Boolean(credentials.securityToken) : existing?.hasSessionToken,
    });
    return {
      profile,
      credentials: credentials ?? (existing ? this.credentialsOrUndefined(existing.id) : undefined),
      newKeys: Boolean(credentials),
    };
  }

  async save(input: ProfileInput, options: { keysFromEnvironment?: boolean } = {}): Promise<Profile> {
    return withFileLock(this.file, async () => {
      // Another process (the CLI while the app runs) may have saved since this one last read.
      this.profiles = this.load();
      return this.saveLocked(input, options);
    });
  }

  private async saveLocked(
    input: ProfileInput,
    options: { keysFromEnvironment?: boolean },
  ): Promise<Profile> {
    const { profile, credentials, newKeys } = this.draft(input, options);
    const existing = this.profiles.some((p) => p.id === profile.id);
    if (newKeys) await this.secrets.set(profile.id, credentials!);
    this.profiles = existing
      ? this.profiles.map((p) => (p.id === profile.id ? profile : p))
      : [...this.profiles, profile];
    await this.persist();
    return profile;
  }

  /** The account as people see it: with its access key id, which is not a secret. */
  describe(profile: Profile): Profile {
    const accessKeyId = isBuiltInProfile(profile.id) ? undefined : this.storedKeyId(profile);
    return accessKeyId ? { ...profile, accessKeyId } : profile;
  }

  private storedKeyId(profile: Profile): string | undefined {
    return this.credentialsOrUndefined(profile.id)?.accessKeyId;
  }

  private credentialsOrUndefined(id: string): Credentials | undefined {
    try {
      return this.credentials(id);
    } catch {
      return undefined;
    }
  }

  async remove(id: string): Promise<boolean> {
    if (id === LOCAL_PROFILE_ID)
      throw new ProfileError('ReadOnlyProfile', 'the Local account cannot be removed');
    if (id === COMPUTER_PROFILE_ID)
      throw new ProfileError('ReadOnlyProfile', 'This computer is built in and cannot be removed');
    return withFileLock(this.file, async () => {
      this.profiles = this.load();
      const before = this.profiles.length;
      this.profiles = this.profiles.filter((p) => p.id !== id);
      if (this.profiles.length === before) return false;
      await this.persist();
      await this.secrets.delete(id);
      return true;
    });
  }

  private load(): Profile[] {
    return this.stamp.read(() => {
      let text: string;
      try {
        text = readFileSync(this.file, 'utf8');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw err;
      }
      let raw: unknown;
      try {
        raw = JSON.parse(text);
      } catch {
        raw = undefined;
      }
      const entries = Array.isArray(raw) ? raw : [];
      const profiles = entries.flatMap((p) => {
        const parsed = Profile.safeParse(p);
        return parsed.success && !isBuiltInProfile(parsed.data.id) && parsed.data.provider !== 'computer'
          ? [parsed.data]
          : [];
      });
      // The next save rewrites the file from what could be read: whatever could not (a damaged file,
      // an account a newer Ferry wrote) is kept beside it first, never silently dropped.
      const readable = entries.filter((p) => !isBuiltInProfile((p as { id?: string })?.id)).length;
      if (!Array.isArray(raw) || profiles.length !== readable) keepUnreadable(this.file, text);
      return profiles;
    });
  }

  /** Only under the file's lock, after `load`. */
  private async persist(): Promise<void> {
    await writeFileAtomic(this.file, JSON.stringify(this.profiles, null, 2), { mode: 0o600 });
    this.stamp.wrote();
  }
}

/** A copy of an accounts file Ferry could not fully read, once per distinct content. */
function keepUnreadable(file: string, text: string): void {
  const copy = `${file}.unreadable-${createHash('sha256').update(text).digest('hex').slice(0, 12)}`;
  if (!existsSync(copy)) writeFileSync(copy, text, { mode: 0o600 });
}

export function validateEndpoint(endpoint: string): void {
  let url: URL;
  try {
    url = new URL(endpoint.includes('://') ? endpoint : `https://${endpoint}`);
  } catch {
    throw new ProfileError('InvalidEndpoint', `"${endpoint}" is not a valid endpoint URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ProfileError('InvalidEndpoint', `endpoints use http or https, not ${url.protocol}`);
  }
  if (url.username || url.password) {
    throw new ProfileError('InvalidEndpoint', 'put keys in the key fields, not in the endpoint URL');
  }
}

function slugId(name: string, taken: Profile[]): string {
  const base =
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 40) || 'account';
  let id = isBuiltInProfile(base) ? `${base}-1` : base;
  while (taken.some((p) => p.id === id)) id = `${base}-${randomUUID().slice(0, 6)}`;
  return id;
}
