/**
 * Run-time switchable strings. English is the reference table (its keys type every lookup, so a
 * missing key is a compile error); other languages fall back to English key by key.
 */
import { useCallback } from 'react';
import { useLanguage, type Language } from '../stores/settings';
import en from './en.json';
import zhCN from './zh-CN.json';
import { formatCount as formatCountFor, selectPlurals } from './plural';

export type MessageKey = keyof typeof en;
import type { Vars } from './plural';
export type { Vars };
export type Translate = (key: MessageKey, vars?: Vars) => string;

const tables: Record<Language, Partial<Record<MessageKey, string>>> = { en, 'zh-CN': zhCN };

export function translate(language: Language, key: MessageKey, vars?: Vars): string {
  const template = tables[language][key] ?? en[key];
  if (!vars) return template;
  return selectPlurals(language, template, vars).replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in vars ? String(vars[name]) : whole,
  );
}

export function useT(): Translate {
  const language = useLanguage();
  return useCallback((key, vars) => translate(language, key, vars), [language]);
}

export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

export function formatDate(iso: string | undefined, language: Language): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(language, { dateStyle: 'medium', timeStyle: 'short' });
}

export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '—';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`;
  return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
}

/** Counts with the language's thousands separators (1,194 / 1,194). */
export function formatCount(n: number, language?: string): string {
  return formatCountFor(n, language ?? (document.documentElement.lang || 'en'));
}
