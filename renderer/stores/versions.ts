/** Per pane: whether it shows every version of its folder's objects (the Show versions toggle). */
import { create } from 'zustand';
import type { Side } from './browser';

interface VersionsState {
  on: Record<Side, boolean>;
  toggle(side: Side): void;
}

export const useVersions = create<VersionsState>((set) => ({
  on: { left: false, right: false },
  toggle: (side) => set((s) => ({ on: { ...s.on, [side]: !s.on[side] } })),
}));
