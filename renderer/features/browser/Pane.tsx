/**
 * One commander-style pane: a one-row navigation toolbar (rarely used actions and the sort order in
 * its "More" menu), the address bar (a breadcrumb that turns into a typed path) and the listing.
 */
import {
  ArrowUp,
  ChevronLeft,
  ChevronRight,
  Copy,
  Ellipsis,
  FolderPlus,
  History,
  Info,
  Pin,
  PinOff,
  RotateCw,
  Scissors,
  Trash2,
  Unplug,
} from 'lucide-react';
import { useT } from '../../i18n';
import { useIsReadOnly } from '../../stores/accounts';
import { otherSide, parentPlace, useBrowser, type Side } from '../../stores/browser';
import type { SortBy } from '../../stores/listing';
import { useUi } from '../../stores/ui';
import { copyToOtherPane, cutToClipboard, readOnlyReason, requestDelete } from '../copy/intents';
import { MenuButton, type MenuEntry } from '../MenuButton';
import { usePinEntries } from '../computer/pin-entries';
import { AddressBar } from './AddressBar';
import { ObjectList } from './ObjectList';
import { VersionsList } from '../versions/VersionsList';
import { useVersions } from '../../stores/versions';
import { requestBucketInfo, requestDeleteBucket, requestNewFolder } from '../buckets/intents';

const SORTS: SortBy[] = ['name', 'size', 'date', 'type'];
const ICON = 16;

export function Pane({ side }: { side: Side }) {
  const t = useT();
  const active = useBrowser((s) => s.active === side);
  const canBack = useBrowser((s) => s.panes[side].back.length > 0);
  const canForward = useBrowser((s) => s.panes[side].forward.length > 0);
  const canUp = useBrowser((s) => parentPlace(s.panes[side].place) !== null);
  const inBucket = useBrowser((s) => Boolean(s.panes[side].place.bucket));
  const hasSelection = useBrowser((s) => s.panes[side].selected.size > 0);
  const filter = useBrowser((s) => s.panes[side].filter);
  const sort = useBrowser((s) => s.panes[side].sort);
  const profileId = useBrowser((s) => s.panes[side].place.profileId);
  const bucket = useBrowser((s) => s.panes[side].place.bucket);
  const otherProfileId = useBrowser((s) => s.panes[otherSide(side)].place.profileId);
  const readOnly = useIsReadOnly(profileId);
  const otherReadOnly = useIsReadOnly(otherProfileId);
  const browser = useBrowser.getState();
  const deleteReason = readOnly && profileId ? readOnlyReason(profileId, 'delete') : undefined;
  const copyReason = otherReadOnly && otherProfileId ? readOnlyReason(otherProfileId, 'copyInto') : undefined;
  const versionsOn = useVersions((s) => s.on[side]) && inBucket;
  const newFolderShortcut = navigator.platform.toLowerCase().includes('mac') ? '⌘⇧N' : 'Ctrl+Shift+N';
  const copyLabel = t('action.copyToOther');
  const deleteLabel = t('action.delete');

  const pinItems = usePinEntries(side, t, { pin: <Pin size={14} />, unpin: <PinOff size={14} /> });

  const more: MenuEntry[] = [
    ...SORTS.map<MenuEntry>((by) => ({
      kind: 'radio',
      label: t('sort.byNamed', { column: t(`sort.${by}`) }),
      checked: sort.by === by,
      onSelect: () => browser.setSort(side, { ...sort, by }),
    })),
    { kind: 'separator' },
    {
      kind: 'radio',
      label: t('sort.ascending'),
      checked: !sort.descending,
      onSelect: () => browser.setSort(side, { ...sort, descending: false }),
    },
    {
      kind: 'radio',
      label: t('sort.descending'),
      checked: sort.descending,
      onSelect: () => browser.setSort(side, { ...sort, descending: true }),
    },
    { kind: 'separator' },
    {
      label: t('action.cut'),
      icon: <Scissors size={14} />,
      disabled: !inBucket || !hasSelection || readOnly,
      hint: deleteReason,
      onSelect: () => cutToClipboard(side),
    },
    {
      label: `${t('folder.new')} (${newFolderShortcut})`,
      icon: <FolderPlus size={14} />,
      disabled: !inBucket || readOnly,
      hint: deleteReason,
      onSelect: () => requestNewFolder(side),
    },
    {
      label: t('bucket.info'),
      icon: <Info size={14} />,
      disabled: !inBucket,
      onSelect: () => profileId && bucket && requestBucketInfo(profileId, bucket),
    },
    {
      label: t('bucket.deleteAction'),
      icon: <Trash2 size={14} />,
      disabled: !inBucket || readOnly,
      hint: deleteReason,
      onSelect: () => profileId && bucket && requestDeleteBucket(profileId, bucket),
    },
    {
      label: t('orphans.open'),
      icon: <Unplug size={14} />,
      disabled: !inBucket,
      hint: inBucket ? t('orphans.hint') : t('orphans.needsBucket'),
      onSelect: () => {
        if (profileId && bucket) useUi.getState().openDialog({ kind: 'orphans', profileId, bucket });
      },
    },
    ...pinItems,
  ];

  return (
    <section
      className={`pane${active ? ' active' : ''}`}
      aria-label={side === 'left' ? t('pane.left') : t('pane.right')}
      onMouseDown={() => browser.setActive(side)}
    >
      <div className="pane-toolbar" role="toolbar" aria-label={t('pane.toolbar')}>
        <button
          type="button"
          className="icon-button"
          aria-label={t('nav.back')}
          title={`${t('nav.back')} (Alt+Left)`}
          disabled={!canBack}
          onClick={() => browser.goBack(side)}
        >
          <ChevronLeft size={ICON} aria-hidden="true" />
        </button>
        <button
          type="button"
          className="icon-button"
          aria-label={t('nav.forward')}
          title={`${t('nav.forward')} (Alt+Right)`}
          disabled={!canForward}
          onClick={() => browser.goForward(side)}
        >
          <ChevronRight size={ICON} aria-hidden="true" />
        </button>
        <button
          type="button"
          className="icon-button"
          aria-label={t('nav.up')}
          title={`${t('nav.up')} (Backspace)`}
          disabled={!canUp}
          onClick={() => browser.goUp(side)}
        >
          <ArrowUp size={ICON} aria-hidden="true" />
        </button>
        <button
          type="button"
          className="icon-button"
          aria-label={t('nav.refresh')}
          title={t('nav.refresh')}
          onClick={() => void browser.refresh(side, { keepSelection: true })}
        >
          <RotateCw size={ICON - 2} aria-hidden="true" />
        </button>
        <input
          type="search"
          className="filter"
          aria-label={t('pane.filter')}
          placeholder={t('pane.filter')}
          value={filter}
          onChange={(e) => browser.setFilter(side, e.target.value)}
        />
        {readOnly ? <span className="tag read-only-tag">{t('account.readOnlyTag')}</span> : null}
        <button
          type="button"
          className="labelled-icon-button"
          aria-label={copyLabel}
          disabled={!inBucket || !hasSelection || Boolean(copyReason)}
          onClick={() => copyToOtherPane(side)}
          title={copyReason ?? `${copyLabel} (F5)`}
        >
          <Copy size={ICON - 2} aria-hidden="true" />
          <span className="button-label">{copyLabel}</span>
        </button>
        <button
          type="button"
          className="labelled-icon-button danger"
          aria-label={deleteLabel}
          disabled={!inBucket || !hasSelection || readOnly}
          onClick={() => requestDelete(side)}
          title={deleteReason ?? `${deleteLabel} (Del)`}
        >
          <Trash2 size={ICON - 2} aria-hidden="true" />
          <span className="button-label">{deleteLabel}</span>
        </button>
        <button
          type="button"
          className="icon-button"
          aria-label={t('versions.show')}
          title={t('versions.show')}
          aria-pressed={versionsOn}
          disabled={!inBucket}
          onClick={() => useVersions.getState().toggle(side)}
        >
          <History size={ICON - 2} aria-hidden="true" />
        </button>
        <MenuButton label={t('pane.more')} icon={<Ellipsis size={ICON} aria-hidden="true" />} items={more} />
      </div>
      <AddressBar side={side} />
      {versionsOn ? <VersionsList side={side} /> : <ObjectList side={side} />}
    </section>
  );
}
