/** User settings from the main process, plus the language and theme they resolve to on this machine. */
import { create } from 'zustand';
import type { Settings } from '../../preload/shared/contract';
import { call, errorInfo } from '../api';
import type { ContractError } from '../../preload/shared/contract';

export type Language = 'en' | 'zh-CN';
export type Theme = 'light' | 'dark';

interface SettingsState {
  settings: Settings | null;
  error: ContractError | null;
  systemDark: boolean;
  load(): Promise<void>;
  save(patch: Partial<Settings>): Promise<boolean>;
  setSystemDark(dark: boolean): void;
}

export const useSettings = create<SettingsState>((set, get) => ({
  settings: null,
  error: null,
  systemDark: false,
  async load() {
    try {
      set({ settings: await call('settings.get', undefined), error: null });
    } catch (err) {
      set({ error: errorInfo(err) });
    }
  },
  async save(patch) {
    // Shown at once (a checkbox that waits for the round trip looks unticked), then replaced by
    // what the main process kept, or put back if it refused.
    const before = get().settings;
    if (before) set({ settings: { ...before, ...patch } });
    try {
      set({ settings: await call('settings.set', patch), error: null });
      return true;
    } catch (err) {
      set({ settings: before, error: errorInfo(err) });
      return false;
    }
  },
  setSystemDark: (systemDark) => set({ systemDark }),
}));

export function systemLanguage(): Language {
  return navigator.languages.some((l) => l.toLowerCase().startsWith('zh')) ? 'zh-CN' : 'en';
}

export function resolveLanguage(setting: Settings['language'] | undefined): Language {
  return !setting || setting === 'system' ? systemLanguage() : setting;
}

export function useLanguage(): Language {
  return useSettings((s) => resolveLanguage(s.settings?.language));
}

export function useTheme(): Theme {
  return useSettings((s) => {
    const chosen = s.settings?.theme ?? 'system';
    if (chosen === 'system') return s.systemDark ? 'dark' : 'light';
    return chosen;
  });
}
