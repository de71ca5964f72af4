/**
 * The user's copy/move/delete intents, turned into dialogs. Every path (drag and drop, Ctrl+C/V, F5,
 * the Delete key or button) ends here, so the rules about what can be copied where live once.
 */
import type { ConflictPolicy, CopySource, Location } from '../../../preload/shared/contract';
import { call, errorInfo } from '../../api';
import { translate, type MessageKey } from '../../i18n';
import { isReadOnly, profileById } from '../../stores/accounts';
import { resolveLanguage, useSettings } from '../../stores/settings';
import { otherSide, placeToLocation, selectedEntries, useBrowser, type Side } from '../../stores/browser';
import { useUi, type CopyItems, type CopyRequest } from '../../stores/ui';
import { checkOverwrite } from './useOverwriteCheck';

export function selectionItems(side: Side): CopyItems | null {
  const pane = useBrowser.getState().panes[side];
  const location = placeToLocation(pane.place);
  if (!location) return null;
  const entries = selectedEntries(pane);
  if (entries.length === 0) return null;
  const sources: CopySource[] = entries.map((e) => ({
    profileId: location.profileId,
    bucket: location.bucket,
    key: e.id,
    isFolder: e.kind === 'folder',
  }));
  return { from: side, sources, names: entries.map((e) => (e.kind === 'folder' ? `${e.name}/` : e.name)) };
}

export type CopyBlocker = 'read-only' | 'into-itself' | 'same-folder';

/**
 * Why a copy cannot go there, or null: into a read-only account, a folder into itself, or objects
 * onto the folder they are in.
 */
export function copyBlocker(items: CopyItems, destination: Location): CopyBlocker | null {
  if (isReadOnly(destination.profileId)) return 'read-only';
  for (const s of items.sources) {
    if (s.profileId !== destination.profileId || s.bucket !== destination.bucket) continue;
    if (s.isFolder && destination.prefix.startsWith(s.key)) return 'into-itself';
    const parent = s.key.slice(0, s.key.slice(0, -1).lastIndexOf('/') + 1);
    if (parent === destination.prefix) return 'same-folder';
  }
  return null;
}

export function requestCopy(items: CopyItems, destination: Location): boolean {
  const blocker = copyBlocker(items, destination);
  if (blocker === 'read-only') {
    // Keyboard paths (Ctrl+V, F5) have no disabled button to explain themselves: say it.
    useUi.getState().notify(readOnlyReason(destination.profileId, 'copyInto'));
    return false;
  }
  if (blocker) return false;
  const request: CopyRequest = { ...items, destination };
  if (useSettings.getState().settings?.confirmSimpleCopies === false) void copyWithoutAsking(request);
  else useUi.getState().openDialog({ kind: 'copy', request });
  return true;
}

/** The saved defaults, no dialog: metadata kept, nothing moved. */
export async function startSimpleCopy(request: CopyRequest, conflict: ConflictPolicy): Promise<void> {
  const { taskIds } = await call('tasks.copy', {
    sources: request.sources,
    destination: request.destination,
    options: { metadataDirective: 'COPY', conflict },
  });
  const language = resolveLanguage(useSettings.getState().settings?.language);
  useUi.getState().notify(translate(language, 'copy.started', { count: taskIds.length }));
}

/**
 * "Don't ask again for simple copies": a copy that meets no existing name starts at once; one that
 * does asks only that (Replace / Skip / Keep both). A destination that cannot be looked at gets the
 * full dialog, which says so.
 */
async function copyWithoutAsking(request: CopyRequest): Promise<void> {
  const ui = useUi.getState();
  const check = await checkOverwrite(request.sources, request.destination);
  if (check.status !== 'done') return ui.openDialog({ kind: 'copy', request });
  const existing = [...check.objects, ...check.folders];
  if (existing.length) return ui.openDialog({ kind: 'conflict', request, existing });
  try {
    await startSimpleCopy(request, useSettings.getState().settings?.defaultConflict ?? 'overwrite');
  } catch (err) {
    ui.notify(errorInfo(err).message);
  }
}

/** F5: the selection of `side` into the folder the other pane shows; says why when it cannot. */
export function copyToOtherPane(side: Side): boolean {
  const items = selectionItems(side);
  const destination = placeToLocation(useBrowser.getState().panes[otherSide(side)].place);
  if (!items) {
    notifyKey('keys.nothingSelected');
    return false;
  }
  if (!destination) {
    notifyKey('keys.otherPaneNoFolder');
    return false;
  }
  const blocker = copyBlocker(items, destination);
  if (blocker === 'same-folder' || blocker === 'into-itself') {
    notifyKey(blocker === 'same-folder' ? 'keys.sameFolder' : 'keys.intoItself');
    return false;
  }
  return requestCopy(items, destination);
}

export function copyToClipboard(side: Side): boolean {
  const items = selectionItems(side);
  if (items) useUi.getState().setClipboard(items);
  return Boolean(items);
}

/** Ctrl/⌘+X: the paste that follows is a move (still confirmed in the dialog, as every move is). */
export function cutToClipboard(side: Side): boolean {
  const items = selectionItems(side);
  if (!items) return false;
  const { profileId } = items.sources[0]!;
  if (isReadOnly(profileId)) {
    useUi.getState().notify(readOnlyReason(profileId, 'moveFrom'));
    return false;
  }
  useUi.getState().setClipboard({ ...items, move: true });
  return true;
}

export function pasteInto(side: Side): boolean {
  const items = useUi.getState().clipboard;
  const destination = placeToLocation(useBrowser.getState().panes[side].place);
  if (!items) {
    notifyKey('keys.nothingToPaste');
    return false;
  }
  const opened = Boolean(destination && requestCopy(items, destination));
  // A cut moves once: its sources will be gone, so it is not pasted twice.
  if (opened && items.move) useUi.getState().setClipboard(null);
  return opened;
}

function notifyKey(key: MessageKey): void {
  useUi.getState().notify(translate(resolveLanguage(useSettings.getState().settings?.language), key));
}

export function requestDelete(side: Side): boolean {
  const items = selectionItems(side);
  const location = placeToLocation(useBrowser.getState().panes[side].place);
  if (!items || !location) return false;
  if (isReadOnly(location.profileId)) {
    useUi.getState().notify(readOnlyReason(location.profileId, 'delete'));
    return false;
  }
  useUi.getState().openDialog({
    kind: 'delete',
    request: {
      profileId: location.profileId,
      bucket: location.bucket,
      keys: items.sources.map((s) => s.key),
      side,
    },
  });
  return true;
}

export type ReadOnlyAction = 'delete' | 'copyInto' | 'moveFrom' | 'abortUploads';

/** The sentence a disabled control gives as its description: which account, and what it refuses. */
export function readOnlyReason(profileId: string, action: ReadOnlyAction): string {
  const name = profileById(profileId)?.name ?? profileId;
  return translate(resolveLanguage(useSettings.getState().settings?.language), `readOnly.${action}`, {
    name,
  });
}
