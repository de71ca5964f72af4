/**
 * The two commander-style panes: where each one is (account → bucket → folder), its history, the
 * loaded listing (paged lazily with continuation tokens), filter, sort and selection.
 */
import { create } from 'zustand';
import type { ContractError, Location } from '../../preload/shared/contract';
import { LIMITS } from '../../preload/shared/contract';
import { call, errorInfo } from '../api';
import { translate } from '../i18n';
import { useAccounts } from './accounts';
import { COMPUTER_PROFILE_ID, rootLabel } from './computer';
import { resolveLanguage, useSettings } from './settings';
import { useUi } from './ui';
import {
  compareNames,
  folderEntry,
  mergeByName,
  objectEntry,
  rangeBetween,
  visibleOrder,
  type Entry,
  type Sort,
} from './listing';

export type Side = 'left' | 'right';
export const otherSide = (side: Side): Side => (side === 'left' ? 'right' : 'left');

/** No profile: the account list; a profile without a bucket: its buckets; else a folder. */
export interface Place {
  profileId?: string;
  bucket?: string;
  prefix: string;
}

export interface PaneState {
  place: Place;
  back: Place[];
  forward: Place[];
  /** `cancelled`: the person stopped a listing that took too long (nothing else was there to go back to). */
  status: 'loading' | 'ready' | 'error' | 'cancelled';
  error?: ContractError;
  folders: Entry[];
  objects: Entry[];
  visible: Entry[];
  nextToken?: string;
  loadingMore: boolean;
  filter: string;
  sort: Sort;
  selected: ReadonlySet<string>;
  anchor?: string;
  cursor?: string;
  /**
   * The selection is only the row the arrow keys put the cursor on. Space then keeps that row
   * selected (marks it) instead of undoing what the arrow key just did.
   */
  cursorSelects?: boolean;
  /** Bumped on every navigation, so answers to an older listing are dropped. */
  generation: number;
}

const emptyPane = (place: Place): PaneState => ({
  place,
  back: [],
  forward: [],
  status: 'loading',
  folders: [],
  objects: [],
  visible: [],
  loadingMore: false,
  filter: '',
  sort: { by: 'name', descending: false },
  selected: new Set(),
  generation: 0,
});

/**
 * An account with a start path opens there instead of on its bucket list: its keys may not be
 * allowed to list buckets (common for OSS RAM users), and ListBuckets would only fail.
 */
function startPlace(place: Place): Place {
  if (!place.profileId || place.bucket) return place;
  const accounts = useAccounts.getState();
  const startPath = accounts.profiles.find((p) => p.id === place.profileId)?.startPath;
  // Once its bucket list is known to work ("Up" from the start bucket asked), the list it is.
  if (!startPath || accounts.buckets[place.profileId]?.status === 'ready') return place;
  const slash = startPath.indexOf('/');
  if (slash < 0) return { profileId: place.profileId, bucket: startPath, prefix: '' };
  const prefix = startPath.slice(slash + 1);
  return {
    profileId: place.profileId,
    bucket: startPath.slice(0, slash),
    prefix: prefix && !prefix.endsWith('/') ? `${prefix}/` : prefix,
  };
}

export function placeToLocation(place: Place): Location | null {
  return place.profileId && place.bucket
    ? { profileId: place.profileId, bucket: place.bucket, prefix: place.prefix }
    : null;
}

export function samePlace(a: Place, b: Place): boolean {
  return a.profileId === b.profileId && a.bucket === b.bucket && a.prefix === b.prefix;
}

export function parentPlace(place: Place): Place | null {
  if (place.bucket && place.prefix) {
    const trimmed = place.prefix.slice(0, -1);
    const slash = trimmed.lastIndexOf('/');
    return { ...place, prefix: slash >= 0 ? trimmed.slice(0, slash + 1) : '' };
  }
  if (place.bucket) return { profileId: place.profileId, prefix: '' };
  if (place.profileId) return { prefix: '' };
  return null;
}

interface BrowserState {
  panes: Record<Side, PaneState>;
  active: Side;
  setActive(side: Side): void;
  navigate(side: Side, place: Place, options?: { history?: 'push' | 'none'; select?: string }): Promise<void>;
  refresh(side: Side, options?: { keepSelection?: boolean }): Promise<void>;
  /** Stops waiting for a listing: back where the pane was, or a pane that says it was cancelled. */
  cancelLoading(side: Side): void;
  loadMore(side: Side): Promise<void>;
  goBack(side: Side): void;
  goForward(side: Side): void;
  goUp(side: Side): void;
  open(side: Side, entry: Entry): void;
  setFilter(side: Side, filter: string): void;
  setSort(side: Side, sort: Sort): void;
  click(side: Side, id: string, mods: { range: boolean; toggle: boolean }): void;
  moveCursor(side: Side, delta: number, extend: boolean): void;
  /** Space: marks or unmarks the row under the cursor. */
  toggleAtCursor(side: Side): void;
  selectAll(side: Side): void;
  selectOnly(side: Side, ids: string[]): void;
}

type Patch = Partial<PaneState> | ((pane: PaneState) => Partial<PaneState>);

export const useBrowser = create<BrowserState>((set, get) => {
  const patch = (side: Side, p: Patch) =>
    set((s) => {
      const pane = s.panes[side];
      return { panes: { ...s.panes, [side]: { ...pane, ...(typeof p === 'function' ? p(pane) : p) } } };
    });

  const withVisible = (pane: PaneState, change: Partial<PaneState>): Partial<PaneState> => {
    const next = { ...pane, ...change };
    return { ...change, visible: visibleOrder(next.folders, next.objects, next.filter, next.sort) };
  };

  async function listPage(side: Side, generation: number, token: string | undefined): Promise<void> {
    const { place } = get().panes[side];
    const isCurrent = () => get().panes[side].generation === generation;
    try {
      if (!place.profileId) {
        await useAccounts.getState().load();
        const accounts = useAccounts
          .getState()
          .profiles.map<Entry>((p) => ({ id: p.id, kind: 'account', name: p.name, detail: p.provider }));
        if (isCurrent())
          patch(side, (pane) =>
            withVisible(pane, { status: 'ready', folders: accounts, objects: [], nextToken: undefined }),
          );
        return;
      }
      if (!place.bucket) {
        const buckets = await useAccounts.getState().loadBuckets(place.profileId);
        const rows = buckets
          .map<Entry>((b) => ({
            id: b.name,
            kind: 'bucket',
            // This computer's buckets are its roots: "/" or "C:", as a person writes them.
            name: place.profileId === COMPUTER_PROFILE_ID ? rootLabel(b.name) : b.name,
            lastModified: b.creationDate,
          }))
          .sort(compareNames);
        if (isCurrent())
          patch(side, (pane) =>
            withVisible(pane, { status: 'ready', folders: rows, objects: [], nextToken: undefined }),
          );
        return;
      }
      const page = await call('storage.listObjects', {
        profileId: place.profileId,
        bucket: place.bucket,
        prefix: place.prefix,
        delimiter: '/',
        continuationToken: token,
        maxKeys: LIMITS.listPage,
      });
      if (!isCurrent()) return;
      useAccounts.getState().noteBucket(place.profileId, place.bucket);
      patch(side, (pane) =>
        withVisible(pane, {
          status: 'ready',
          loadingMore: false,
          error: undefined,
          folders: mergeByName(
            pane.folders,
            page.prefixes.filter((p) => p !== place.prefix).map((p) => folderEntry(p, place.prefix)),
          ),
          objects: mergeByName(
            pane.objects,
            // A zero-byte "folder marker" object named like the prefix itself is not a row.
            page.objects.filter((o) => o.key !== place.prefix).map((o) => objectEntry(o, place.prefix)),
          ),
          nextToken: page.nextToken,
        }),
      );
    } catch (err) {
      if (isCurrent()) patch(side, { status: 'error', error: errorInfo(err), loadingMore: false });
    }
  }

  /**
   * "Up" from a bucket of an account with a start path: its bucket list if the keys may list
   * buckets after all, else the pane stays and says why (a start path is there because they may not).
   */
  async function upFromStartBucket(side: Side, from: Place): Promise<void> {
    const profileId = from.profileId!;
    if (await useAccounts.getState().probeBucketList(profileId)) {
      if (samePlace(get().panes[side].place, from))
        void get().navigate(side, { profileId, prefix: '' }, { select: from.bucket });
      return;
    }
    const profile = useAccounts.getState().profiles.find((p) => p.id === profileId);
    useUi.getState().notify(
      translate(resolveLanguage(useSettings.getState().settings?.language), 'address.cannotListBuckets', {
        name: profile?.name ?? profileId,
      }),
    );
  }

  return {
    panes: { left: emptyPane({ prefix: '' }), right: emptyPane({ prefix: '' }) },
    active: 'left',

    setActive: (side) => {
      if (get().active !== side) set({ active: side });
    },

    async navigate(side, requested, options = {}) {
      const pane = get().panes[side];
      const place = startPlace(requested);
      const generation = pane.generation + 1;
      const moving = !samePlace(pane.place, place);
      const history = options.history ?? 'push';
      patch(side, {
        place,
        back: moving && history === 'push' ? [...pane.back, pane.place].slice(-100) : pane.back,
        forward: moving && history === 'push' ? [] : pane.forward,
        status: 'loading',
        error: undefined,
        folders: [],
        objects: [],
        visible: [],
        nextToken: undefined,
        loadingMore: false,
        filter: moving ? '' : pane.filter,
        selected: new Set(options.select ? [options.select] : []),
        anchor: options.select,
        cursor: options.select,
        cursorSelects: Boolean(options.select),
        generation,
      });
      await listPage(side, generation, undefined);
    },

    async refresh(side, options = {}) {
      const pane = get().panes[side];
      const keep = options.keepSelection ? pane.selected : new Set<string>();
      const generation = pane.generation + 1;
      patch(side, {
        status: 'loading',
        folders: [],
        objects: [],
        visible: [],
        nextToken: undefined,
        loadingMore: false,
        generation,
      });
      await listPage(side, generation, undefined);
      const ids = new Set(get().panes[side].visible.map((e) => e.id));
      patch(side, (p) => ({
        selected: new Set([...keep].filter((id) => ids.has(id))),
        cursor: p.cursor && ids.has(p.cursor) ? p.cursor : undefined,
      }));
    },

    cancelLoading(side) {
      const pane = get().panes[side];
      if (pane.status !== 'loading') return;
      // The answer may still come; the new generation makes sure it is dropped.
      const previous = pane.back.at(-1);
      if (previous) {
        patch(side, { back: pane.back.slice(0, -1), forward: [pane.place, ...pane.forward] });
        void get().navigate(side, previous, { history: 'none' });
      } else patch(side, { status: 'cancelled', generation: pane.generation + 1 });
    },

    async loadMore(side) {
      const pane = get().panes[side];
      if (!pane.nextToken || pane.loadingMore || pane.status !== 'ready') return;
      patch(side, { loadingMore: true });
      await listPage(side, pane.generation, pane.nextToken);
    },

    goBack(side) {
      const pane = get().panes[side];
      const target = pane.back.at(-1);
      if (!target) return;
      patch(side, { back: pane.back.slice(0, -1), forward: [pane.place, ...pane.forward] });
      void get().navigate(side, target, { history: 'none' });
    },

    goForward(side) {
      const pane = get().panes[side];
      const [target, ...rest] = pane.forward;
      if (!target) return;
      patch(side, { back: [...pane.back, pane.place], forward: rest });
      void get().navigate(side, target, { history: 'none' });
    },

    goUp(side) {
      const pane = get().panes[side];
      const parent = parentPlace(pane.place);
      if (!parent) return;
      if (parent.profileId && !parent.bucket && startPlace(parent).bucket) {
        void upFromStartBucket(side, pane.place);
        return;
      }
      // Land on the folder we came out of, so Backspace then Enter is a no-op.
      const came = pane.place.bucket
        ? pane.place.prefix
          ? pane.place.prefix
          : pane.place.bucket
        : pane.place.profileId;
      void get().navigate(side, parent, { select: came });
    },

    open(side, entry) {
      const { place } = get().panes[side];
      if (entry.kind === 'account') void get().navigate(side, { profileId: entry.id, prefix: '' });
      else if (entry.kind === 'bucket')
        void get().navigate(side, { profileId: place.profileId, bucket: entry.id, prefix: '' });
      else if (entry.kind === 'folder') void get().navigate(side, { ...place, prefix: entry.id });
      else if (entry.link?.targetKind === 'folder' && entry.link.resolved)
        // A link to a folder opens at the folder's own address: keys never pass through a link.
        void get().navigate(side, {
          profileId: place.profileId,
          bucket: entry.link.resolved.bucket,
          prefix: entry.link.resolved.key,
        });
      else get().selectOnly(side, [entry.id]);
    },

    setFilter: (side, filter) => patch(side, (pane) => withVisible(pane, { filter })),
    setSort: (side, sort) => patch(side, (pane) => withVisible(pane, { sort })),

    click(side, id, { range, toggle }) {
      patch(side, (pane) => {
        if (range) {
          const ids = rangeBetween(pane.visible, pane.anchor, id);
          const selected = toggle ? new Set([...pane.selected, ...ids]) : new Set(ids);
          return { selected, cursor: id, cursorSelects: false };
        }
        if (toggle) {
          const selected = new Set(pane.selected);
          if (selected.has(id)) selected.delete(id);
          else selected.add(id);
          return { selected, anchor: id, cursor: id, cursorSelects: false };
        }
        return { selected: new Set([id]), anchor: id, cursor: id, cursorSelects: false };
      });
    },

    moveCursor(side, delta, extend) {
      patch(side, (pane) => {
        if (pane.visible.length === 0) return {};
        const at = pane.cursor === undefined ? -1 : pane.visible.findIndex((e) => e.id === pane.cursor);
        // Without a cursor, moving down starts above the first row and moving up below the last,
        // so Down/Home land on the first row and Up/End on the last.
        const from = at >= 0 ? at : delta > 0 ? -1 : pane.visible.length;
        const index = Math.max(0, Math.min(pane.visible.length - 1, from + delta));
        const id = pane.visible[index]!.id;
        if (extend) {
          const anchor = pane.anchor ?? pane.cursor ?? id;
          return {
            selected: new Set(rangeBetween(pane.visible, anchor, id)),
            anchor,
            cursor: id,
            cursorSelects: false,
          };
        }
        return { selected: new Set([id]), anchor: id, cursor: id, cursorSelects: true };
      });
    },

    toggleAtCursor(side) {
      patch(side, (pane) => {
        const id = pane.cursor;
        if (id === undefined) return {};
        if (pane.cursorSelects && pane.selected.size === 1 && pane.selected.has(id))
          return { cursorSelects: false };
        const selected = new Set(pane.selected);
        if (selected.has(id)) selected.delete(id);
        else selected.add(id);
        return { selected, anchor: id, cursorSelects: false };
      });
    },

    selectAll(side) {
      patch(side, (pane) => ({ selected: new Set(pane.visible.map((e) => e.id)), cursorSelects: false }));
    },

    selectOnly(side, ids) {
      patch(side, { selected: new Set(ids), anchor: ids[0], cursor: ids[0], cursorSelects: true });
    },
  };
});

/** The folder/object entries selected in a pane, in visible order. */
export function selectedEntries(pane: PaneState): Entry[] {
  return pane.visible.filter((e) => pane.selected.has(e.id) && (e.kind === 'folder' || e.kind === 'object'));
}

/** Refreshes (keeping the selection) every pane looking at the folder that holds `key`, or above it. */
export function refreshPanesShowing(profileId: string, bucket: string, key: string): void {
  const browser = useBrowser.getState();
  for (const side of ['left', 'right'] as const) {
    const { place } = browser.panes[side];
    if (place.profileId === profileId && place.bucket === bucket && key.startsWith(place.prefix))
      void browser.refresh(side, { keepSelection: true });
  }
}
