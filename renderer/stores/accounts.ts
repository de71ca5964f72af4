/** Saved accounts and the buckets each one shows. Secrets go in through `save` and never come back. */
import { create } from 'zustand';
import type { Bucket, ContractError, Profile, ProfileInput } from '../../preload/shared/contract';
import { call, errorInfo } from '../api';

export interface BucketList {
  status: 'loading' | 'ready' | 'error';
  buckets: Bucket[];
  error?: ContractError;
}

export interface TestResult {
  status: 'testing' | 'ok' | 'failed';
  message: string;
  requestId?: string;
}

interface AccountsState {
  profiles: Profile[];
  loaded: boolean;
  error: ContractError | null;
  buckets: Record<string, BucketList>;
  tests: Record<string, TestResult>;
  load(): Promise<void>;
  loadBuckets(profileId: string): Promise<Bucket[]>;
  save(input: ProfileInput): Promise<Profile>;
  remove(id: string): Promise<void>;
  test(id: string): Promise<void>;
}

export const useAccounts = create<AccountsState>((set, get) => ({
  profiles: [],
  loaded: false,
  error: null,
  buckets: {},
  tests: {},

  async load() {
    try {
      set({ profiles: await call('profiles.list', undefined), loaded: true, error: null });
    } catch (err) {
      set({ error: errorInfo(err), loaded: true });
    }
  },

  async loadBuckets(profileId) {
    set((s) => ({
      buckets: {
        ...s.buckets,
        [profileId]: { status: 'loading', buckets: s.buckets[profileId]?.buckets ?? [] },
      },
    }));
    try {
      const buckets = await call('storage.listBuckets', { profileId });
      set((s) => ({ buckets: { ...s.buckets, [profileId]: { status: 'ready', buckets } } }));
      return buckets;
    } catch (err) {
      const error = errorInfo(err);
      set((s) => ({ buckets: { ...s.buckets, [profileId]: { status: 'error', buckets: [], error } } }));
      throw err;
    }
  },

  async save(input) {
    const saved = await call('profiles.save', input);
    await get().load();
    set((s) => {
      const { [saved.id]: _dropped, ...tests } = s.tests;
      return { tests };
    });
    void get()
      .loadBuckets(saved.id)
      .catch(() => undefined);
    return saved;
  },

  async remove(id) {
    await call('profiles.remove', { id });
    set((s) => {
      const { [id]: _b, ...buckets } = s.buckets;
      const { [id]: _t, ...tests } = s.tests;
      return { buckets, tests };
    });
    await get().load();
  },

  async test(id) {
    set((s) => ({ tests: { ...s.tests, [id]: { status: 'testing', message: '' } } }));
    let result: TestResult;
    try {
      const r = await call('profiles.test', { id });
      result = { status: r.ok ? 'ok' : 'failed', message: r.message, requestId: r.requestId };
    } catch (err) {
      const e = errorInfo(err);
      result = { status: 'failed', message: e.message, requestId: e.requestId };
    }
    set((s) => ({ tests: { ...s.tests, [id]: result } }));
  },
}));

export function profileById(id: string | undefined): Profile | undefined {
  return id ? useAccounts.getState().profiles.find((p) => p.id === id) : undefined;
}

/**
 * A read-only account: the main process refuses delete, move-from, copy-into and abort-uploads for it
 * (the built-in Local account never is); the UI disables those and says why.
 */
export function isReadOnly(profileId: string | undefined): boolean {
  return profileId !== undefined && profileId !== 'local' && Boolean(profileById(profileId)?.readOnly);
}

export function useIsReadOnly(profileId: string | undefined): boolean {
  return useAccounts(
    (s) =>
      profileId !== undefined &&
      profileId !== 'local' &&
      Boolean(s.profiles.find((p) => p.id === profileId)?.readOnly),
  );
}
