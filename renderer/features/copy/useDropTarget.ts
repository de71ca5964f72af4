/**
 * Makes an element a drop target for Ferry items (a pane, a folder row, a sidebar bucket, a
 * breadcrumb segment): it highlights while a droppable drag is over it and opens the copy dialog on
 * drop. Files dragged in from the desktop open the upload dialog instead.
 */
import { useState, type DragEvent } from 'react';
import type { Location } from '../../../preload/contract';
import { useT } from '../../i18n';
import { isReadOnly } from '../../stores/accounts';
import { useUi } from '../../stores/ui';
import { copyBlocker, readOnlyReason, requestCopy } from './intents';

export interface DropTarget {
  isOver: boolean;
  onDragEnter(e: DragEvent): void;
  onDragOver(e: DragEvent): void;
  onDragLeave(e: DragEvent): void;
  onDrop(e: DragEvent): void;
}

const fromDesktop = (e: DragEvent) => Array.from(e.dataTransfer.types).includes('Files');

/** The dropped files, without folders (a folder arrives as a File too; only its entry says what it is). */
function droppedFiles(e: DragEvent): { files: File[]; folders: number } {
  const files: File[] = [];
  let folders = 0;
  const items = Array.from(e.dataTransfer.items ?? []);
  if (items.length) {
    for (const item of items) {
      if (item.kind !== 'file') continue;
      if (item.webkitGetAsEntry?.()?.isDirectory) folders++;
      else {
        const file = item.getAsFile();
        if (file) files.push(file);
      }
    }
    return { files, folders };
  }
  return { files: Array.from(e.dataTransfer.files), folders };
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
      const { files, folders } = droppedFiles(e);
      if (folders) ui.notify(t('drop.desktopFolders', { count: folders }));
      if (files.length) ui.openDialog({ kind: 'upload', files, destination });
    },
  };
}
