/**
 * Pure listing logic of a browser pane: entries, the visible order (filter + sort), and selection
 * arithmetic. No React and no I/O, so the rules (folders before objects, range selection over the
 * visible order) live in one place.
 */
import type { LinkInfo, ObjectRow } from '../../preload/shared/contract';

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
  /** A symbolic link on this computer: shown as a link, opened at its target, never copied. */
  link?: LinkInfo;
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
    ...(row.link ? { link: row.link } : {}),
  };
}

function extension(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** Natural name order (o1, o2, … o10), ties broken by the exact name so the order is total. */
export function compareNames(a: Entry, b: Entry): number {
  return collator.compare(a.name, b.name) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

/**
 * Adds a page of entries to a list kept in natural name order. Only the page is sorted and then
 * merged (linear), because re-sorting a 100,000-row folder with the collator on every page would
 * take over a second each time.
 */
export function mergeByName(sorted: Entry[], page: Entry[]): Entry[] {
  if (page.length === 0) return sorted;
  const incoming = page.slice().sort(compareNames);
  const out: Entry[] = new Array<Entry>(sorted.length + incoming.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < sorted.length && j < incoming.length)
    out[k++] = compareNames(sorted[i]!, incoming[j]!) <= 0 ? sorted[i++]! : incoming[j++]!;
  while (i < sorted.length) out[k++] = sorted[i++]!;
  while (j < incoming.length) out[k++] = incoming[j++]!;
  return out;
}

function comparator(sort: Sort): ((a: Entry, b: Entry) => number) | null {
  switch (sort.by) {
    // Folders and objects are kept in natural name order as pages arrive (mergeByName), so
    // name order needs no sort here.
    case 'name':
      return null;
    // Array.prototype.sort is stable, so equal sizes and dates stay in name order.
    case 'size':
      return (a, b) => (a.size ?? 0) - (b.size ?? 0);
    case 'date':
      return (a, b) => (a.lastModified ?? '').localeCompare(b.lastModified ?? '');
    case 'type':
      return (a, b) =>
        collator.compare(extension(a.name), extension(b.name)) || collator.compare(a.name, b.name);
  }
}

/** Folders first, then objects; each group filtered by name and in the chosen order (the inputs in name order). */
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
