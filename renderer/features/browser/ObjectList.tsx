/**
 * A pane's listing: a virtualized listbox (a bounded number of DOM rows however long the folder),
 * paged lazily as the user scrolls near the end, with commander-style mouse and keyboard selection.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { LoaderCircle } from 'lucide-react';
import { memo, useEffect, useMemo, useRef, type DragEvent, type KeyboardEvent, type MouseEvent } from 'react';
import type { Location } from '../../../preload/shared/contract';
import { formatBytes, formatDate, useT } from '../../i18n';
import { placeToLocation, useBrowser, type Place, type Side } from '../../stores/browser';
import type { Entry } from '../../stores/listing';
import { useLanguage } from '../../stores/settings';
import { useUi } from '../../stores/ui';
import { copyToClipboard, copyToOtherPane, pasteInto, requestDelete, selectionItems } from '../copy/intents';
import { useDropTarget } from '../copy/useDropTarget';
import { ErrorMessage } from '../ErrorMessage';

const ROW_HEIGHT = 30;
/** Start fetching the next page this many rows before the end, so scrolling rarely waits. */
const PREFETCH_ROWS = 300;
const PAGE_ROWS = 20;

const isMac = () => navigator.platform.toLowerCase().includes('mac');
const primaryModifier = (e: { ctrlKey: boolean; metaKey: boolean }) => (isMac() ? e.metaKey : e.ctrlKey);

interface RowProps {
  side: Side;
  entry: Entry;
  index: number;
  start: number;
  isCursor: boolean;
  place: Place;
}

const Row = memo(function Row({ side, entry, index, start, isCursor, place }: RowProps) {
  const t = useT();
  const language = useLanguage();
  const selected = useBrowser((s) => s.panes[side].selected.has(entry.id));
  const destination = useMemo(() => rowDestination(place, entry), [place, entry]);
  const drop = useDropTarget(destination);
  const draggable = entry.kind === 'folder' || entry.kind === 'object';
  const label = entry.kind === 'folder' ? `${entry.name}/` : entry.name;

  const onClick = (e: MouseEvent) => {
    const browser = useBrowser.getState();
    browser.setActive(side);
    browser.click(side, entry.id, { range: e.shiftKey, toggle: primaryModifier(e) });
  };

  const onDragStart = (e: DragEvent) => {
    const browser = useBrowser.getState();
    if (!browser.panes[side].selected.has(entry.id)) browser.selectOnly(side, [entry.id]);
    const items = selectionItems(side);
    if (!items) {
      e.preventDefault();
      return;
    }
    useUi.getState().setDragging(items);
    e.dataTransfer.effectAllowed = 'copyMove';
    e.dataTransfer.setData('text/plain', items.names.join('\n'));
  };

  return (
    <div
      role="option"
      id={`${side}-row-${index}`}
      aria-selected={selected}
      aria-label={label}
      className={`row kind-${entry.kind}${selected ? ' selected' : ''}${isCursor ? ' cursor' : ''}${drop.isOver ? ' drop-over' : ''}`}
      style={{ transform: `translateY(${start}px)`, height: ROW_HEIGHT }}
      draggable={draggable}
      onClick={onClick}
      onDoubleClick={() => useBrowser.getState().open(side, entry)}
      onDragStart={draggable ? onDragStart : undefined}
      onDragEnd={() => useUi.getState().setDragging(null)}
      onDragEnter={drop.onDragEnter}
      onDragOver={drop.onDragOver}
      onDragLeave={drop.onDragLeave}
      onDrop={drop.onDrop}
    >
      <span className={`icon icon-${entry.kind}`} aria-hidden="true" />
      <span className="name" title={label}>
        {label}
      </span>
      <span className="size">
        {entry.kind === 'object'
          ? formatBytes(entry.size ?? 0)
          : entry.kind === 'account'
            ? t(`provider.${entry.detail ?? 'local'}` as 'provider.local')
            : ''}
      </span>
      <span className="date">{formatDate(entry.lastModified, language)}</span>
    </div>
  );
});

/** Folder and bucket rows take drops into themselves. */
function rowDestination(place: Place, entry: Entry): Location | null {
  if (entry.kind === 'folder' && place.profileId && place.bucket)
    return { profileId: place.profileId, bucket: place.bucket, prefix: entry.id };
  if (entry.kind === 'bucket' && place.profileId)
    return { profileId: place.profileId, bucket: entry.id, prefix: '' };
  return null;
}

export function ObjectList({ side }: { side: Side }) {
  const t = useT();
  const visible = useBrowser((s) => s.panes[side].visible);
  const status = useBrowser((s) => s.panes[side].status);
  const error = useBrowser((s) => s.panes[side].error);
  const filter = useBrowser((s) => s.panes[side].filter);
  const hasMore = useBrowser((s) => Boolean(s.panes[side].nextToken));
  const loadingMore = useBrowser((s) => s.panes[side].loadingMore);
  const cursor = useBrowser((s) => s.panes[side].cursor);
  const place = useBrowser((s) => s.panes[side].place);
  const selectedCount = useBrowser((s) => s.panes[side].selected.size);
  const paneDestination = useMemo(() => placeToLocation(place), [place]);
  const drop = useDropTarget(paneDestination);
  const scrollRef = useRef<HTMLDivElement>(null);

  // eslint-disable-next-line react-hooks/incompatible-library -- TanStack Virtual is designed for this use.
  const virtualizer = useVirtualizer({
    count: visible.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
  });
  const items = virtualizer.getVirtualItems();
  const lastRendered = items.at(-1)?.index ?? -1;
  const cursorIndex = useMemo(
    () => (cursor === undefined ? -1 : visible.findIndex((e) => e.id === cursor)),
    [visible, cursor],
  );

  useEffect(() => {
    if (hasMore && !loadingMore && lastRendered >= visible.length - PREFETCH_ROWS)
      void useBrowser.getState().loadMore(side);
  }, [hasMore, loadingMore, lastRendered, visible.length, side]);

  useEffect(() => {
    if (cursorIndex >= 0) virtualizer.scrollToIndex(cursorIndex, { align: 'auto' });
  }, [cursorIndex, virtualizer]);

  const onKeyDown = (e: KeyboardEvent) => {
    const browser = useBrowser.getState();
    const pane = browser.panes[side];
    const mod = primaryModifier(e);
    const entry = pane.visible.find((x) => x.id === pane.cursor);
    let handled = true;
    if (e.key === 'ArrowDown') browser.moveCursor(side, 1, e.shiftKey);
    else if (e.key === 'ArrowUp') browser.moveCursor(side, -1, e.shiftKey);
    else if (e.key === 'PageDown') browser.moveCursor(side, PAGE_ROWS, e.shiftKey);
    else if (e.key === 'PageUp') browser.moveCursor(side, -PAGE_ROWS, e.shiftKey);
    else if (e.key === 'Home') browser.moveCursor(side, -pane.visible.length, e.shiftKey);
    else if (e.key === 'End') browser.moveCursor(side, pane.visible.length, e.shiftKey);
    else if (e.key === 'Enter' && entry) browser.open(side, entry);
    else if (e.key === 'Backspace') browser.goUp(side);
    else if (e.key === ' ' && entry) browser.click(side, entry.id, { range: false, toggle: true });
    else if (mod && e.key.toLowerCase() === 'a') browser.selectAll(side);
    else if (mod && e.key.toLowerCase() === 'c') copyToClipboard(side);
    else if (mod && e.key.toLowerCase() === 'v') pasteInto(side);
    else if (e.key === 'F5') copyToOtherPane(side);
    else if (e.key === 'Delete') requestDelete(side);
    else if (e.altKey && e.key === 'ArrowLeft') browser.goBack(side);
    else if (e.altKey && e.key === 'ArrowRight') browser.goForward(side);
    else handled = false;
    if (handled) {
      e.preventDefault();
      e.stopPropagation();
    }
  };

  let state: React.ReactNode = null;
  if (status === 'loading')
    state = (
      <div role="status" className="list-state loading-state">
        <LoaderCircle className="spinner" aria-hidden="true" size={16} />
        <span>{t('list.loading')}</span>
        <button type="button" onClick={() => useBrowser.getState().cancelLoading(side)}>
          {t('action.cancel')}
        </button>
      </div>
    );
  else if (status === 'cancelled')
    state = (
      <div role="status" className="list-state">
        <span>{t('list.cancelled')}</span>{' '}
        <button type="button" onClick={() => void useBrowser.getState().refresh(side)}>
          {t('action.retry')}
        </button>
      </div>
    );
  else if (status === 'error' && error)
    state = <ErrorMessage error={error} onRetry={() => void useBrowser.getState().refresh(side)} />;
  else if (visible.length === 0)
    state = (
      <p role="status" className="list-state">
        {filter
          ? t('list.noMatch')
          : place.bucket
            ? t('list.emptyFolder')
            : place.profileId
              ? t('list.noBuckets')
              : t('list.noAccounts')}
      </p>
    );

  return (
    <div className="list-wrap">
      <div className="list-header" aria-hidden="true">
        <span />
        <span>{t('column.name')}</span>
        <span className="size">{t('column.size')}</span>
        <span className="date">{t('column.modified')}</span>
      </div>
      <div
        ref={scrollRef}
        role="listbox"
        aria-label={t('list.label')}
        aria-multiselectable="true"
        aria-activedescendant={cursorIndex >= 0 ? `${side}-row-${cursorIndex}` : undefined}
        aria-busy={status === 'loading' || loadingMore}
        tabIndex={0}
        className={`list${drop.isOver ? ' drop-over' : ''}`}
        onKeyDown={onKeyDown}
        onFocus={() => useBrowser.getState().setActive(side)}
        onDragEnter={drop.onDragEnter}
        onDragOver={drop.onDragOver}
        onDragLeave={drop.onDragLeave}
        onDrop={drop.onDrop}
      >
        {state}
        <div className="list-canvas" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const entry = visible[item.index]!;
            return (
              <Row
                key={entry.id}
                side={side}
                entry={entry}
                index={item.index}
                start={item.start}
                isCursor={item.index === cursorIndex}
                place={place}
              />
            );
          })}
        </div>
      </div>
      <p className="list-footer" aria-live="polite">
        {t('list.count', { count: visible.length })}
        {hasMore ? ` ${t('list.more')}` : ''}
        {selectedCount ? ` · ${t('list.selected', { count: selectedCount })}` : ''}
      </p>
    </div>
  );
}
