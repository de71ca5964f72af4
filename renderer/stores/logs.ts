/** The log view: the last lines from `logs.tail`, then every `log.line` event, capped. */
import { create } from 'zustand';
import type { LogLine } from '../../preload/shared/contract';
import { api, call } from '../api';

const CAP = 2000;

interface LogsState {
  lines: LogLine[];
  load(): Promise<void>;
  append(line: LogLine): void;
}

export const useLogs = create<LogsState>((set) => ({
  lines: [],
  async load() {
    try {
      const lines = await call('logs.tail', { limit: 500 });
      set({ lines });
    } catch {
      // The log view shows what arrives by event; a failed tail only loses history.
    }
  },
  append: (line) =>
    set((s) => ({ lines: s.lines.length >= CAP ? [...s.lines.slice(1 - CAP), line] : [...s.lines, line] })),
}));

export function subscribeLogs(): () => void {
  return api.on('log.line', (line) => useLogs.getState().append(line));
}
