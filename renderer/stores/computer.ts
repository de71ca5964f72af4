/** "This computer": the places the sidebar offers (home, Downloads…, pinned folders, roots). */
import { create } from 'zustand';
import type { ComputerPlace, ContractError } from '../../preload/shared/contract';
import { call, errorInfo } from '../api';

/** The built-in profile of the user's own disk (main/accounts/profiles.ts). */
export const COMPUTER_PROFILE_ID = 'computer';

interface ComputerState {
  places: ComputerPlace[];
  status: 'idle' | 'loading' | 'ready' | 'error';
  error?: ContractError;
  load(): Promise<void>;
  pin(bucket: string, prefix: string): Promise<void>;
  unpin(bucket: string, prefix: string): Promise<void>;
}

export const useComputer = create<ComputerState>((set) => ({
  places: [],
  status: 'idle',
  async load() {
    set({ status: 'loading' });
    try {
      set({ places: await call('computer.places', undefined), status: 'ready', error: undefined });
    } catch (err) {
      set({ status: 'error', error: errorInfo(err) });
    }
  },
  async pin(bucket, prefix) {
    try {
      set({ places: await call('computer.pin', { bucket, prefix }), error: undefined });
    } catch (err) {
      set({ error: errorInfo(err) });
    }
  },
  async unpin(bucket, prefix) {
    try {
      set({ places: await call('computer.unpin', { bucket, prefix }), error: undefined });
    } catch (err) {
      set({ error: errorInfo(err) });
    }
  },
}));

/** Whether a folder of this computer is pinned. */
export function isPinned(places: ComputerPlace[], bucket: string, prefix: string): boolean {
  return places.some((p) => p.kind === 'pinned' && p.bucket === bucket && p.prefix === prefix);
}

/** How a root bucket reads: `/` for the POSIX root, `C:` for drive-c. */
export function rootLabel(bucket: string): string {
  if (bucket === 'root') return '/';
  const drive = /^drive-([a-z])$/.exec(bucket);
  return drive ? `${drive[1]!.toUpperCase()}:` : bucket;
}
