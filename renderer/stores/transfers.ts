/**
 * Copy tasks as the main process reports them. `task.state` replaces a task's summary and
 * `task.progress` patches one task, so a progress tick changes exactly one `byId` entry and only the
 * row selecting it re-renders (rows select `byId[id]`, the list selects `order`).
 */
import { create } from 'zustand';
import type { ContractError, TaskProgress, TaskSummary } from '../../preload/shared/contract';
import { api, call, errorInfo } from '../api';

interface TransfersState {
  byId: Record<string, TaskSummary>;
  order: string[];
  error: ContractError | null;
  load(): Promise<void>;
  applyState(task: TaskSummary): void;
  applyProgress(progress: TaskProgress): void;
  act(action: 'pause' | 'resume' | 'cancel' | 'retry', id: string): Promise<void>;
  actAll(action: 'pauseAll' | 'resumeAll' | 'clearFinished'): Promise<void>;
}

const newestFirst = (byId: Record<string, TaskSummary>) =>
  Object.values(byId)
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.id.localeCompare(b.id))
    .map((t) => t.id);

export const FINISHED: ReadonlySet<TaskSummary['state']> = new Set(['done', 'failed', 'cancelled']);

export const useTransfers = create<TransfersState>((set, get) => ({
  byId: {},
  order: [],
  error: null,

  async load() {
    try {
      const list = await call('tasks.list', undefined);
      const byId = Object.fromEntries(list.map((t) => [t.id, t]));
      set({ byId, order: newestFirst(byId), error: null });
    } catch (err) {
      set({ error: errorInfo(err) });
    }
  },

  applyState(task) {
    set((s) => {
      const known = task.id in s.byId;
      const byId = { ...s.byId, [task.id]: task };
      return known ? { byId } : { byId, order: newestFirst(byId) };
    });
  },

  applyProgress(progress) {
    const task = get().byId[progress.id];
    if (!task) return;
    set((s) => ({ byId: { ...s.byId, [progress.id]: { ...task, progress } } }));
  },

  async act(action, id) {
    try {
      const { state } = await call(`tasks.${action}`, { id });
      const task = get().byId[id];
      if (task && task.state !== state) get().applyState({ ...task, state });
      set({ error: null });
    } catch (err) {
      set({ error: errorInfo(err) });
    }
  },

  async actAll(action) {
    try {
      await call(`tasks.${action}`, undefined);
      // Clearing removes tasks the main process no longer reports; re-read rather than guess.
      await get().load();
    } catch (err) {
      set({ error: errorInfo(err) });
    }
  },
}));

export function subscribeTransfers(): () => void {
  const offState = api.on('task.state', (t) => useTransfers.getState().applyState(t));
  const offProgress = api.on('task.progress', (p) => useTransfers.getState().applyProgress(p));
  return () => {
    offState();
    offProgress();
  };
}
