/**
 * Makes an element a drop target for Ferry items (a pane, a folder row, a sidebar bucket, a
 * breadcrumb segment): it highlights while a droppable drag is over it and opens the copy dialog on
 * drop. Files dragged in from the desktop are a copy from This computer where the app knows their
 * paths (Electron), and open the upload dialog otherwise (the web host).
 */
import { useState, type DragEvent } from 'react';
import type { Location } from '../../../preload/shared/contract';
import { useT } from '../../i18n';
import { isReadOnly } from '../../stores/accounts';
import { useUi } from '../../stores/ui';
import { api, call, errorInfo } from '../../api';
import { useBrowser } from '../../stores/browser';
import { collectDropped, type DropEntry, type DroppedFile } from './desktop-drop';
import { copyItemsFromPaths, droppedPaths } from './desktop-paths';
import { copyBlocker, readOnlyReason, requestCopy } from './intents';

export interface DropTarget {
  isOver: boolean;
  onDragEnter(e: DragEvent): void;
  onDragOver(e: DragEvent): void;
  onDragLeave(e: DragEvent): void;
  onDrop(e: DragEvent): void;
}

const fromDesktop = (e: DragEvent) => Array.from(e.dataTransfer.types).includes('Files');

/**
 * What was dropped, as entries to walk (folders included) — taken now, while the event lasts — or,
 * where the browser has no entries API, the plain files.
 */
function droppedEntries(e: DragEvent): { entries: DropEntry[] } | { files: DroppedFile[] } {
  const items = Array.from(e.dataTransfer.items ?? []).filter((i) => i.kind === 'file');
  const entries = items.map((i) => i.webkitGetAsEntry?.() ?? null);
  if (items.length && entries.every((x) => x !== null)) return { entries: entries as DropEntry[] };
  return { files: Array.from(e.dataTransfer.files).map((file) => ({ file, path: file.name })) };
}

async function openUpload(
  dropped: ReturnType<typeof droppedEntries>,
  destination: Location,
  t: ReturnType<typeof useT>,
) {
  const ui = useUi.getState();
  const { files, unreadable } =
    'entries' in dropped ? await collectDropped(dropped.entries) : { files: dropped.files, unreadable: [] };
  if (unreadable.length)
    ui.notify(t('drop.unreadable', { count: unreadable.length, names: unreadable.slice(0, 3).join(', ') }));
  if (files.length) ui.openDialog({ kind: 'upload', files, destination });
  else if (!unreadable.length) ui.notify(t('drop.nothing'));
}

/** Dropped paths (Electron) as a copy from This computer: the copy dialog, then a resumable task. */
async function copyDroppedPaths(paths: string[], destination: Location, t: ReturnType<typeof useT>) {
  const ui = useUi.getState();
  try {
    const resolved = await call('computer.resolvePaths', { paths });
    const { items, failed } = copyItemsFromPaths(resolved, useBrowser.getState().active);
    if (failed.length)
      ui.notify(t('drop.pathsFailed', { count: failed.length, names: failed.slice(0, 3).join(', ') }));
    if (items) requestCopy(items, destination);
  } catch (err) {
    ui.notify(errorInfo(err).message);
  }
}

export function useDropTarget(destination: Location | null): DropTarget {
  const t = useT();
  const [isOver, setOver] = useState(false);

  const accepts = (e: DragEvent): boolean => {
    if (!destination) return false;
    const dragging = useUi.getState().dragging;
    if (dragging) return copyBlocker(dragging, destination) === null;
    return fromDesktop(e);
  };

  /** A read-only account takes nothing: the drop is refused (not handed to the browser) and explained. */
  const refusedAsReadOnly = (e: DragEvent): boolean =>
    Boolean(
      destination && isReadOnly(destination.profileId) && (useUi.getState().dragging || fromDesktop(e)),
    );

  const over = (e: DragEvent) => {
    if (refusedAsReadOnly(e)) {
      e.preventDefault();
      e.stopPropagation();
      e.dataTransfer.dropEffect = 'none';
      return;
    }
    if (!accepts(e)) return;
    e.preventDefault();
    e.stopPropagation();
    e.dataTransfer.dropEffect = 'copy';
    if (!isOver) setOver(true);
  };

  return {
    isOver,
    onDragEnter: over,
    onDragOver: over,
    onDragLeave: (e) => {
      if (!(e.relatedTarget instanceof Node && e.currentTarget.contains(e.relatedTarget))) setOver(false);
    },
    onDrop: (e) => {
      setOver(false);
      if (destination && refusedAsReadOnly(e)) {
        e.preventDefault();
        e.stopPropagation();
        useUi.getState().setDragging(null);
        useUi.getState().notify(readOnlyReason(destination.profileId, 'copyInto'));
        return;
      }
      if (!accepts(e) || !destination) return;
      e.preventDefault();
      e.stopPropagation();
      const ui = useUi.getState();
      const dragging = ui.dragging;
      ui.setDragging(null);
      if (dragging) {
        requestCopy(dragging, destination);
        return;
      }
      const paths = droppedPaths(Array.from(e.dataTransfer.files), api);
      if (paths) void copyDroppedPaths(paths, destination, t);
      else void openUpload(droppedEntries(e), destination, t);
    },
  };
}
