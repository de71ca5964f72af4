/**
 * Makes an element a drop target for Ferry items (a pane, a folder row, a sidebar bucket, a
 * breadcrumb segment): it highlights while a droppable drag is over it and opens the copy dialog on
 * drop. Files dragged in from the desktop are recognised and answered with a notice.
 */
import { useState, type DragEvent } from 'react';
import type { Location } from '../../../preload/contract';
import { useT } from '../../i18n';
import { useUi } from '../../stores/ui';
import { copyBlocker, requestCopy } from './intents';

export interface DropTarget {
  isOver: boolean;
  onDragEnter(e: DragEvent): void;
  onDragOver(e: DragEvent): void;
  onDragLeave(e: DragEvent): void;
  onDrop(e: DragEvent): void;
}

const fromDesktop = (e: DragEvent) => Array.from(e.dataTransfer.types).includes('Files');

export function useDropTarget(destination: Location | null): DropTarget {
  const t = useT();
  const [isOver, setOver] = useState(false);

  const accepts = (e: DragEvent): boolean => {
    if (!destination) return false;
    const dragging = useUi.getState().dragging;
    if (dragging) return copyBlocker(dragging, destination) === null;
    return fromDesktop(e);
  };

  const over = (e: DragEvent) => {
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
      if (!accepts(e) || !destination) return;
      e.preventDefault();
      e.stopPropagation();
      const ui = useUi.getState();
      const dragging = ui.dragging;
      ui.setDragging(null);
      if (dragging) requestCopy(dragging, destination);
      else ui.notify(t('drop.desktopUnsupported'));
    },
  };
}
