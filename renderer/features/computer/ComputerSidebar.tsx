/**
 * "This computer" in the sidebar, next to the accounts: home, Downloads, Desktop, Documents, the
 * pinned folders and the roots. Each place opens in the active pane and takes drops (a download
 * into that folder); a pinned folder is unpinned from its "…" menu.
 */
import { Download, FileText, FolderHeart, HardDrive, House, Laptop, Monitor } from 'lucide-react';
import { useEffect, useState, type ComponentType } from 'react';
import type { ComputerPlace, Profile } from '../../../preload/shared/contract';
import { useT } from '../../i18n';
import { samePlace, useBrowser } from '../../stores/browser';
import { useComputer } from '../../stores/computer';
import { AccountMenu } from '../accounts/AccountMenu';
import { useDropTarget } from '../copy/useDropTarget';
import { ErrorMessage } from '../ErrorMessage';

const PLACE_ICONS: Record<
  ComputerPlace['kind'],
  ComponentType<{ size?: number; 'aria-hidden'?: boolean }>
> = {
  home: House,
  downloads: Download,
  desktop: Monitor,
  documents: FileText,
  pinned: FolderHeart,
  root: HardDrive,
};

function PlaceButton({ profileId, place }: { profileId: string; place: ComputerPlace }) {
  const t = useT();
  const target = { profileId, bucket: place.bucket, prefix: place.prefix };
  const drop = useDropTarget(place.missing ? null : target);
  const current = useBrowser((s) => samePlace(s.panes[s.active].place, target));
  const Icon = PLACE_ICONS[place.kind];
  const label =
    place.kind === 'home' || place.kind === 'pinned' || place.kind === 'root'
      ? place.name
      : t(`computer.place.${place.kind}`);
  return (
    <li className="computer-place">
      <button
        type="button"
        className={`bucket${drop.isOver ? ' drop-over' : ''}${current ? ' current' : ''}${place.missing ? ' missing' : ''}`}
        title={place.missing ? t('computer.missing', { path: place.path }) : place.path}
        aria-label={place.kind === 'home' ? t('computer.homeNamed', { name: place.name }) : label}
        onClick={() => {
          const browser = useBrowser.getState();
          void browser.navigate(browser.active, target);
        }}
        onDragEnter={drop.onDragEnter}
        onDragOver={drop.onDragOver}
        onDragLeave={drop.onDragLeave}
        onDrop={drop.onDrop}
      >
        <Icon size={14} aria-hidden={true} />
        <span className="place-name">{label}</span>
      </button>
      {place.kind === 'pinned' ? (
        <AccountMenu
          label={t('computer.pinnedActions', { name: place.name })}
          actions={[
            {
              label: t('computer.unpin'),
              name: t('computer.unpinNamed', { name: place.name }),
              run: () => void useComputer.getState().unpin(place.bucket, place.prefix),
            },
          ]}
        />
      ) : null}
    </li>
  );
}

export function ComputerItem({ profile }: { profile: Profile }) {
  const t = useT();
  const [expanded, setExpanded] = useState(true);
  const places = useComputer((s) => s.places);
  const status = useComputer((s) => s.status);
  const error = useComputer((s) => s.error);
  const listId = `places-${profile.id}`;

  useEffect(() => {
    const { status: now } = useComputer.getState();
    if (expanded && (now === 'idle' || now === 'error')) void useComputer.getState().load();
  }, [expanded]);

  return (
    <li className="account computer">
      <div className="account-head">
        <button
          type="button"
          className="disclosure"
          aria-expanded={expanded}
          aria-controls={listId}
          onClick={() => setExpanded(!expanded)}
        >
          <Laptop size={14} aria-hidden="true" className="computer-icon" />
          <span className="account-name">{t('computer.title')}</span>
        </button>
        <AccountMenu
          label={t('account.actionsNamed', { name: t('computer.title') })}
          actions={[
            {
              label: t('nav.refresh'),
              name: t('account.refreshNamed', { name: t('computer.title') }),
              run: () => void useComputer.getState().load(),
            },
          ]}
        />
      </div>
      {error ? <ErrorMessage error={error} onRetry={() => void useComputer.getState().load()} /> : null}
      {expanded ? (
        <div id={listId}>
          {status === 'loading' && places.length === 0 ? <p className="muted">{t('list.loading')}</p> : null}
          <ul className="buckets" aria-label={t('computer.placesLabel')}>
            {places.map((p) => (
              <PlaceButton key={`${p.kind}:${p.bucket}:${p.prefix}`} profileId={profile.id} place={p} />
            ))}
          </ul>
        </div>
      ) : null}
    </li>
  );
}
