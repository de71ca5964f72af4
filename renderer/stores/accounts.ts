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
  /**
   * Buckets a pane has listed, per account: what the sidebar can show for keys that may not list
   * buckets (the start bucket, and any bucket the person opened by address).
   */
  opened: Record<string, string[]>;
  tests: Record<string, TestResult>;
  load(): Promise<void>;
  loadBuckets(profileId: string): Promise<Bucket[]>;
  noteBucket(profileId: string, bucket: string): void;
  /**
   * Asks once whether an account with a start path may list its buckets after all (for "Up" from its
   * start bucket). A refusal is the expected answer for such keys, not an account error: the
   * sidebar's bucket list state is only touched when the listing works.
   */
  probeBucketList(profileId: string): Promise<boolean>;
  save(input: ProfileInput): Promise<Profile>;
  remove(id: string): Promise<void>;
  test(id: string): Promise<void>;
}

export const useAccounts = create<AccountsState>((set, get) => ({
  profiles: [],
  loaded: false,
  error: null,
  buckets: {},
  opened: {},
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

  noteBucket(profileId, bucket) {
    const known = get().opened[profileId] ?? [];
    if (!known.includes(bucket)) set((s) => ({ opened: { ...s.opened, [profileId]: [...known, bucket] } }));
  },

  async probeBucketList(profileId) {
    if (get().buckets[profileId]?.status === 'ready') return true;
    try {
      const buckets = await call('storage.listBuckets', { profileId });
      set((s) => ({ buckets: { ...s.buckets, [profileId]: { status: 'ready', buckets } } }));
      return true;
    } catch {
      return false;
    }
  },

  async save(input) {
    const saved = await call('profiles.save', input);
    await get().load();
    set((s) => {
      const { [saved.id]: _dropped, ...tests } = s.tests;
      return { tests };
    });
    if (!saved.startPath)
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
      const { [id]: _o, ...opened } = s.opened;
      return { buckets, tests, opened };
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

/**
 * Whether the UI may ask for an account's bucket list on its own (opening the sidebar, completing
 * an address): not for an account with a start path — its keys were set up that way because
 * ListBuckets fails — unless the list is already known to work.
 */
export function mayListBuckets(profile: Pick<Profile, 'startPath'>, list: BucketList | undefined): boolean {
  return !profile.startPath || list?.status === 'ready';
}

/** The bucket names the sidebar shows: the listed ones, then the start bucket and buckets opened by address. */
export function shownBuckets(
  profile: Pick<Profile, 'startPath'>,
  list: BucketList | undefined,
  opened: readonly string[] | undefined,
): string[] {
  const names = (list?.buckets ?? []).map((b) => b.name);
  const start = profile.startPath?.split('/')[0];
  for (const extra of [...(start ? [start] : []), ...(opened ?? [])])
    if (!names.includes(extra)) names.push(extra);
  return names;
}
