/**
 * What the user is in the middle of: an open dialog, a drag in flight, the copy clipboard, which
 * side view is open, and a short notice. Dialogs are requested here and rendered once by the App.
 */
import { create } from 'zustand';
import type { CopySource, Location, Profile } from '../../preload/shared/contract';
import type { DroppedFile } from '../features/copy/desktop-drop';
import type { Side } from './browser';

export interface CopyItems {
  from: Side;
  sources: CopySource[];
  /** Names shown in dialogs, one per source (folders end with "/"). */
  names: string[];
  /** Cut (Ctrl/⌘+X) rather than copied: the paste opens the dialog on "Move". */
  move?: boolean;
}

export interface CopyRequest extends CopyItems {
  destination: Location;
}

export interface DeleteRequest {
  profileId: string;
  bucket: string;
  /** Keys; folders end with "/" and lose everything under them. */
  keys: string[];
  side: Side;
}

export type Dialog =
  | { kind: 'copy'; request: CopyRequest }
  /** Names exist at the destination of a copy that asks nothing else. */
  | { kind: 'conflict'; request: CopyRequest; existing: string[] }
  | { kind: 'delete'; request: DeleteRequest }
  | { kind: 'account'; profile?: Profile }
  | { kind: 'removeAccount'; profile: Profile }
  | { kind: 'upload'; files: DroppedFile[]; destination: Location }
  | { kind: 'orphans'; profileId: string; bucket: string }
  | { kind: 'newFolder'; side: Side; location: Location }
  | { kind: 'newBucket'; profileId: string }
  | { kind: 'deleteBucket'; profileId: string; bucket: string }
  | { kind: 'bucketInfo'; profileId: string; bucket: string };

export type View = 'browser' | 'settings' | 'logs';

interface UiState {
  dialog: Dialog | null;
  dragging: CopyItems | null;
  clipboard: CopyItems | null;
  view: View;
  notice: string | null;
  /** The Details panel: shown or hidden by the person, or null to follow the window's width. */
  detailsOpen: boolean | null;
  setDetailsOpen(open: boolean): void;
  openDialog(dialog: Dialog): void;
  closeDialog(): void;
  setDragging(items: CopyItems | null): void;
  setClipboard(items: CopyItems | null): void;
  setView(view: View): void;
  notify(notice: string | null): void;
}

export const useUi = create<UiState>((set) => ({
  dialog: null,
  dragging: null,
  clipboard: null,
  view: 'browser',
  notice: null,
  detailsOpen: null,
  setDetailsOpen: (detailsOpen) => set({ detailsOpen }),
  openDialog: (dialog) => set({ dialog }),
  closeDialog: () => set({ dialog: null }),
  setDragging: (dragging) => set({ dragging }),
  setClipboard: (clipboard) => set({ clipboard }),
  setView: (view) => set({ view }),
  notify: (notice) => set({ notice }),
}));
