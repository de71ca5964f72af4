/**
 * Both panes reopen where they were: each pane's place and sort order go to the settings (through
 * the contract, so the main process validates and keeps them in the data folder) shortly after they
 * change, and come back at start-up.
 */
import type { SavedPane } from '../../preload/shared/contract';
import { useAccounts } from './accounts';
import { samePlace, useBrowser, type PaneState, type Place, type Side } from './browser';
import { useSettings } from './settings';

const SAVE_DELAY_MS = 400;
const HOME: Place = { profileId: 'local', prefix: '' };

function saved(pane: PaneState): SavedPane {
  const out: SavedPane = {
    prefix: pane.place.prefix,
    sortBy: pane.sort.by,
    descending: pane.sort.descending,
  };
  if (pane.place.profileId) out.profileId = pane.place.profileId;
  if (pane.place.bucket) out.bucket = pane.place.bucket;
  return out;
}

const sameSaved = (a: SavedPane | undefined, b: SavedPane) =>
  Boolean(a) &&
  samePlace(a!, b) &&
  (a!.sortBy ?? 'name') === b.sortBy &&
  Boolean(a!.descending) === Boolean(b.descending);

/** Opens each pane where the settings say it was, or on the Local account. */
export async function restorePanes(): Promise<void> {
  await Promise.all([useSettings.getState().load(), useAccounts.getState().load()]);
  const memory = useSettings.getState().settings?.panes;
  const known = new Set(useAccounts.getState().profiles.map((p) => p.id));
  const browser = useBrowser.getState();
  await Promise.all(
    (['left', 'right'] as const).map(async (side: Side) => {
      const was = memory?.[side];
      // An account removed since then: start where a new user would.
      const place: Place =
        was && (!was.profileId || known.has(was.profileId))
          ? { profileId: was.profileId, bucket: was.bucket, prefix: was.bucket ? was.prefix : '' }
          : HOME;
      if (was?.sortBy) browser.setSort(side, { by: was.sortBy, descending: Boolean(was.descending) });
      await browser.navigate(side, place, { history: 'none' });
      // A bucket or folder that is gone now: fall back to the account's buckets, not an error page.
      if (useBrowser.getState().panes[side].status === 'error' && place.bucket)
        await browser.navigate(side, { profileId: place.profileId, prefix: '' }, { history: 'none' });
    }),
  );
}

/** Saves the panes' places and sort orders whenever they settle on a new value. */
export function rememberPanes(): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const save = () => {
    timer = undefined;
    const { panes } = useBrowser.getState();
    const next = { left: saved(panes.left), right: saved(panes.right) };
    const settings = useSettings.getState().settings;
    if (!settings) return;
    if (sameSaved(settings.panes?.left, next.left) && sameSaved(settings.panes?.right, next.right)) return;
    void useSettings.getState().save({ panes: next });
  };
  const unsubscribe = useBrowser.subscribe((s, before) => {
    const moved = (['left', 'right'] as const).some(
      (side) =>
        s.panes[side].place !== before.panes[side].place || s.panes[side].sort !== before.panes[side].sort,
    );
    if (!moved) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(save, SAVE_DELAY_MS);
  });
  return () => {
    if (timer) clearTimeout(timer);
    unsubscribe();
  };
}
