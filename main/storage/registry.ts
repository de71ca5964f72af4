/**
 * Builds (and caches) one ObjectStore per profile, so connection pools and learned bucket regions are
 * shared by every request of that account. Providers register a factory; the registry knows nothing
 * of their insides.
 */
import path from 'node:path';
import type { Profile } from '../../preload/shared/contract';
import type { Credentials } from '../accounts/secrets';
import { COMPUTER_PROFILE_ID, LOCAL_PROFILE_ID, type ProfileStore } from '../accounts/profiles';
import { ComputerStore } from './computer/computer-store';
import { StorageError } from './errors';
import type { ObjectStore } from './provider';
import { LocalStore } from './local/local-store';

export type StoreFactory = (profile: Profile, credentials: Credentials) => ObjectStore;

export class StoreRegistry {
  private readonly cache = new Map<string, { store: ObjectStore; fingerprint: string }>();
  readonly local: LocalStore;
  /** This computer's disk; its own state (sidecars, upload parts) lives in `computerState`. */
  readonly computer: ComputerStore;

  constructor(
    private readonly profiles: ProfileStore,
    localRoot: string,
    private readonly factories: Partial<Record<'oss' | 's3', StoreFactory>>,
    log?: { warn(message: string): void },
    computerState: string = path.join(path.dirname(localRoot), 'computer'),
  ) {
    this.computer = new ComputerStore(computerState, {
      onSkippedLinks: (folder, names) =>
        log?.warn(
          `a folder copy passed ${names.length} symbolic link(s) in ${folder} without following them: ${names.join(', ')}`,
        ),
    });
    this.local = new LocalStore(localRoot, {
      onSkippedLinks: (folder, names) =>
        log?.warn(
          `listing ${folder ? `local:${folder.split(path.sep).join('/')}/` : 'the Local buckets'} skipped ${names.length} symbolic link(s), which Ferry does not follow: ${names.join(', ')}`,
        ),
    });
  }

  storeFor(profileId: string): ObjectStore {
    if (profileId === LOCAL_PROFILE_ID) return this.local;
    if (profileId === COMPUTER_PROFILE_ID) return this.computer;
    const profile = this.profiles.get(profileId);
    if (profile.provider === 'local') return this.local;
    if (profile.provider === 'computer') return this.computer;
    // A profile edited since the store was built (new keys, endpoint) gets a fresh store.
    const fingerprint = JSON.stringify(profile);
    const cached = this.cache.get(profileId);
    if (cached && cached.fingerprint === fingerprint) return cached.store;
    const factory = this.factories[profile.provider];
    if (!factory) {
      throw new StorageError({
        status: 501,
        code: 'NotImplemented',
        message: `no ${profile.provider} provider is available`,
      });
    }
    const store = factory(profile, this.profiles.credentials(profileId));
    this.cache.set(profileId, { store, fingerprint });
    return store;
  }

  /** A store for an account not saved yet (the form's Test), never cached. */
  storeForDraft(profile: Profile, credentials: Credentials): ObjectStore {
    const factory =
      profile.provider === 'oss' || profile.provider === 's3' ? this.factories[profile.provider] : undefined;
    if (!factory)
      throw new StorageError({
        status: 501,
        code: 'NotImplemented',
        message: `no ${profile.provider} provider is available`,
      });
    return factory(profile, credentials);
  }

  isReadOnly(profileId: string): boolean {
    return (
      profileId !== LOCAL_PROFILE_ID &&
      profileId !== COMPUTER_PROFILE_ID &&
      Boolean(this.profiles.get(profileId).readOnly)
    );
  }

  forget(profileId: string): void {
    this.cache.delete(profileId);
  }
}
