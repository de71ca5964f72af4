/**
 * Pin and unpin in a pane of this computer: the folder the pane shows, or the one folder selected
 * in it, goes under "This computer" in the sidebar (saved in the settings by the main process).
 */
import type { ReactNode } from 'react';
import type { useT } from '../../i18n';
import { selectedEntries, useBrowser, type Side } from '../../stores/browser';
import { COMPUTER_PROFILE_ID, isPinned, useComputer } from '../../stores/computer';
import type { MenuEntry } from '../MenuButton';

/** The folder a pin applies to: the one selected folder, else the folder shown; none outside this computer. */
export function pinTarget(side: Side): { bucket: string; prefix: string; name: string } | null {
  const pane = useBrowser.getState().panes[side];
  const { profileId, bucket, prefix } = pane.place;
  if (profileId !== COMPUTER_PROFILE_ID || !bucket) return null;
  const selected = selectedEntries(pane);
  if (selected.length === 1 && selected[0]!.kind === 'folder')
    return { bucket, prefix: selected[0]!.id, name: selected[0]!.name };
  if (!prefix) return null; // a root is always listed already
  return { bucket, prefix, name: prefix.slice(0, -1).split('/').at(-1) ?? prefix };
}

/** The pane menu's Pin/Unpin entry; re-rendered when the selection or the pins change. */
export function usePinEntries(
  side: Side,
  t: ReturnType<typeof useT>,
  icons: { pin: ReactNode; unpin: ReactNode },
): MenuEntry[] {
  useBrowser((s) => s.panes[side].selected);
  useBrowser((s) => s.panes[side].place);
  const places = useComputer((s) => s.places);
  const target = pinTarget(side);
  if (!target) return [];
  const pinned = isPinned(places, target.bucket, target.prefix);
  return [
    { kind: 'separator' },
    pinned
      ? {
          label: t('computer.unpinNamed', { name: target.name }),
          icon: icons.unpin,
          onSelect: () => void useComputer.getState().unpin(target.bucket, target.prefix),
        }
      : {
          label: t('computer.pinNamed', { name: target.name }),
          icon: icons.pin,
          onSelect: () => void useComputer.getState().pin(target.bucket, target.prefix),
        },
  ];
}
