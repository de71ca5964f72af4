/**
 * Pure listing logic of a browser pane: entries, the visible order (filter + sort), and selection
 * arithmetic. No React and no I/O, so the rules (folders before objects, range selection over the
 * visible order) live in one place.
 */
import type { ObjectRow } from '../../preload/shared/contract';

export type EntryKind = 'account' | 'bucket' | 'folder' | 'object';

export interface Entry {
  /** Unique within one listing: profile id, bucket name, or the full key/prefix. */
  id: string;
  kind: EntryKind;
  /** What the row shows: the last path segment. */
  name: string;
  size?: number;
  lastModified?: string;
  etag?: string;
  storageClass?: string;
  /** For accounts: the provider kind. */
  detail?: string;
}

export type SortBy = 'name' | 'size' | 'date' | 'type';
export interface Sort {
  by: SortBy;
  descending: boolean;
}

export function lastSegment(keyOrPrefix: string, prefix: string): string {
  const rest = keyOrPrefix.slice(prefix.length);
  return rest.endsWith('/') ? rest.slice(0, -1) : rest;
}

export function folderEntry(fullPrefix: string, prefix: string): Entry {
  return { id: fullPrefix, kind: 'folder', name: lastSegment(fullPrefix, prefix) };
}

export function objectEntry(row: ObjectRow, prefix: string): Entry {
  return {
    id: row.key,
    kind: 'object',
    name: lastSegment(row.key, prefix),
    size: row.size,
    lastModified: row.lastModified,
    etag: row.etag,
    storageClass: row.storageClass,
  };
}

function extension(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

function comparator(sort: Sort): ((a: Entry, b: Entry) => number) | null {
  switch (sort.by) {
    // Name order is the service's key order: pages arrive in it, so a later page never reshuffles
    // rows the user is looking at, and a 100,000-row folder needs no sort at all.
    case 'name':
      return null;
    case 'size':
      return (a, b) => (a.size ?? 0) - (b.size ?? 0);
    case 'date':
      return (a, b) => (a.lastModified ?? '').localeCompare(b.lastModified ?? '');
    case 'type':
      return (a, b) =>
        collator.compare(extension(a.name), extension(b.name)) || collator.compare(a.name, b.name);
  }
}

/** Folders first, then objects; each group filtered by name and in the chosen order. */
export function visibleOrder(folders: Entry[], objects: Entry[], filter: string, sort: Sort): Entry[] {
  const needle = filter.trim().toLowerCase();
  const pick = (list: Entry[]) =>
    needle ? list.filter((e) => e.name.toLowerCase().includes(needle)) : list.slice();
  const compare = comparator(sort);
  const arrange = (list: Entry[]) => {
    if (compare) list.sort(compare);
    if (sort.descending) list.reverse();
    return list;
  };
  const f = arrange(pick(folders));
  const o = arrange(pick(objects));
  return f.concat(o);
}

/** The ids between `anchor` and `target` inclusive, in visible order. */
export function rangeBetween(visible: Entry[], anchor: string | undefined, target: string): string[] {
  const to = visible.findIndex((e) => e.id === target);
  if (to < 0) return [];
  const fromIndex = anchor === undefined ? -1 : visible.findIndex((e) => e.id === anchor);
  const from = fromIndex < 0 ? to : fromIndex;
  const [lo, hi] = from <= to ? [from, to] : [to, from];
  return visible.slice(lo, hi + 1).map((e) => e.id);
}
