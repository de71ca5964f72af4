/**
 * A pane's listing: a virtualized listbox (a bounded number of DOM rows however long the folder),
 * paged lazily as the user scrolls near the end, with commander-style mouse and keyboard selection.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import {
  ArrowDown,
  ArrowUp,
  Box,
  Database,
  File,
  FileSymlink,
  Folder,
  FolderSymlink,
  LoaderCircle,
} from 'lucide-react';
import {
  memo,
  useEffect,
  useMemo,
  useRef,
  useState,
  type CSSProperties,
  type DragEvent,
  type KeyboardEvent,
  type MouseEvent,
  type PointerEvent as ReactPointerEvent,
} from 'react';
import type { Location } from '../../../preload/shared/contract';
import { formatBytes, formatCount, formatDate, useT } from '../../i18n';
import { otherSide, placeToLocation, useBrowser, type Place, type Side } from '../../stores/browser';
import type { Entry, SortBy } from '../../stores/listing';
import { useLanguage } from '../../stores/settings';
import { useUi } from '../../stores/ui';
import {
  copyToClipboard,
  copyToOtherPane,
  cutToClipboard,
  pasteInto,
  requestDelete,
  selectionItems,
} from '../copy/intents';
import { useDropTarget } from '../copy/useDropTarget';
import { ErrorMessage } from '../ErrorMessage';

const ROW_HEIGHT = 30;
/** Start fetching the next page this many rows before the end, so scrolling rarely waits. */
const PREFETCH_ROWS = 300;
const PAGE_ROWS = 20;

/** Letters typed within this long of each other spell one name for type-ahead. */
const TYPE_AHEAD_MS = 800;

const isMac = () => navigator.platform.toLowerCase().includes('mac');

/** The listing of the other pane, for Tab and F6 (a commander's two lists are one step apart). */
export function focusList(side: Side): void {
  document.getElementById(`${side}-list`)?.focus();
}

const KIND_ICONS = { folder: Folder, object: File, bucket: Database, account: Box } as const;
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
  const linkNote = entry.link ? t('list.linkTo', { target: entry.link.target }) : undefined;

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
      aria-label={linkNote ? `${label}, ${linkNote}` : label}
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
      <EntryIcon kind={entry.kind} link={entry.link?.targetKind} />
      <span className="name" title={linkNote ? `${label} (${linkNote})` : label}>
        {label}
      </span>
      <span className="size">
        {entry.kind === 'object'
          ? entry.link && entry.link.targetKind !== 'file'
            ? ''
            : formatBytes(entry.size ?? 0)
          : entry.kind === 'account'
            ? t(`provider.${entry.detail ?? 'local'}` as 'provider.local')
            : ''}
      </span>
      <span className="date">{formatDate(entry.lastModified, language)}</span>
    </div>
  );
});

function EntryIcon({ kind, link }: { kind: Entry['kind']; link?: string }) {
  if (link) {
    const Link = link === 'folder' ? FolderSymlink : FileSymlink;
    return <Link size={15} className="icon icon-link" aria-hidden="true" />;
  }
  const Icon = KIND_ICONS[kind];
  return <Icon size={15} className={`icon icon-${kind}`} aria-hidden="true" />;
}

/** Folder and bucket rows take drops into themselves. */
function rowDestination(place: Place, entry: Entry): Location | null {
  if (entry.kind === 'folder' && place.profileId && place.bucket)
    return { profileId: place.profileId, bucket: place.bucket, prefix: entry.id };
  if (entry.kind === 'bucket' && place.profileId)
    return { profileId: place.profileId, bucket: entry.id, prefix: '' };
  return null;
}

/** Widths of the columns that give way; the name takes the rest and never goes below its minimum. */
interface ColumnWidths {
  size: number;
  date: number;
}
const DEFAULT_WIDTHS: ColumnWidths = { size: 84, date: 150 };
const MIN_COLUMN = 48;
const MAX_COLUMN = 400;
const clampWidth = (w: number) => Math.max(MIN_COLUMN, Math.min(MAX_COLUMN, Math.round(w)));

/**
 * Drag (or arrow keys) on the boundary to the left of a column. The column sits right of the name,
 * so moving the boundary left widens it.
 */
function ColumnResizer({
  label,
  width,
  onResize,
}: {
  label: string;
  width: number;
  onResize: (width: number) => void;
}) {
  const onPointerDown = (e: ReactPointerEvent<HTMLDivElement>) => {
    e.preventDefault();
    e.stopPropagation();
    const startX = e.clientX;
    const target = e.currentTarget;
    target.setPointerCapture(e.pointerId);
    const move = (ev: PointerEvent) => onResize(clampWidth(width + (startX - ev.clientX)));
    const up = () => {
      target.removeEventListener('pointermove', move);
      target.removeEventListener('pointerup', up);
    };
    target.addEventListener('pointermove', move);
    target.addEventListener('pointerup', up);
  };
  return (
    <div
      role="separator"
      aria-orientation="vertical"
      aria-label={label}
      aria-valuenow={width}
      aria-valuemin={MIN_COLUMN}
      aria-valuemax={MAX_COLUMN}
      tabIndex={0}
      className="column-resizer"
      onPointerDown={onPointerDown}
      onKeyDown={(e) => {
        if (e.key === 'ArrowLeft') onResize(clampWidth(width + 16));
        else if (e.key === 'ArrowRight') onResize(clampWidth(width - 16));
        else return;
        e.preventDefault();
      }}
    />
  );
}

function ColumnHeader({
  side,
  by,
  label,
  children,
}: {
  side: Side;
  by: SortBy;
  label: string;
  /** A resizer for the column's left edge. */
  children?: React.ReactNode;
}) {
  const t = useT();
  const sort = useBrowser((s) => s.panes[side].sort);
  const sorted = sort.by === by;
  const Arrow = sort.descending ? ArrowDown : ArrowUp;
  return (
    <div
      role="columnheader"
      aria-label={label}
      className={`column-${by}`}
      aria-sort={sorted ? (sort.descending ? 'descending' : 'ascending') : 'none'}
    >
      {children}
      <button
        type="button"
        className="column-button"
        title={t('sort.byNamed', { column: label })}
        onClick={() =>
          useBrowser.getState().setSort(side, { by, descending: sorted ? !sort.descending : false })
        }
      >
        <span>{label}</span>
        {sorted ? <Arrow size={12} aria-hidden="true" /> : null}
      </button>
    </div>
  );
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
  const typed = useRef({ text: '', at: 0 });
  const [widths, setWidths] = useState<ColumnWidths>(DEFAULT_WIDTHS);

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

  /** Type-ahead: the next name starting with what was typed (one letter again cycles through them). */
  const typeAhead = (key: string): boolean => {
    const now = Date.now();
    const state = typed.current;
    state.text = now - state.at > TYPE_AHEAD_MS ? key : state.text + key;
    state.at = now;
    const pane = useBrowser.getState().panes[side];
    const needle = state.text.toLowerCase();
    const repeat = needle.length > 1 && [...needle].every((c) => c === needle[0]);
    const wanted = repeat ? needle[0]! : needle;
    const at = pane.visible.findIndex((e) => e.id === pane.cursor);
    // A new search includes the row under the cursor; one letter pressed again moves past it.
    const from = needle.length === 1 || repeat ? at + 1 : Math.max(at, 0);
    const order = [...pane.visible.slice(from), ...pane.visible.slice(0, from)];
    const hit = order.find((e) => e.name.toLowerCase().startsWith(wanted));
    if (hit) useBrowser.getState().selectOnly(side, [hit.id]);
    return true;
  };

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
    else if (e.key === ' ' && entry) browser.toggleAtCursor(side);
    else if (mod && e.key.toLowerCase() === 'a') browser.selectAll(side);
    else if (mod && e.key.toLowerCase() === 'c') copyToClipboard(side);
    else if (mod && e.key.toLowerCase() === 'x') cutToClipboard(side);
    else if (mod && e.key.toLowerCase() === 'v') pasteInto(side);
    else if (e.key === 'F5') copyToOtherPane(side);
    else if (e.key === 'F6') focusList(otherSide(side));
    // Tab from the left list and Shift+Tab from the right one go straight to the other list; the
    // other directions leave the lists as usual, so the keyboard is never trapped between them.
    else if (e.key === 'Tab' && !e.shiftKey && !mod && !e.altKey && side === 'left') focusList('right');
    else if (e.key === 'Tab' && e.shiftKey && !mod && !e.altKey && side === 'right') focusList('left');
    else if (e.key === 'Delete') requestDelete(side);
    else if (e.altKey && e.key === 'ArrowLeft') browser.goBack(side);
    else if (e.altKey && e.key === 'ArrowRight') browser.goForward(side);
    else if (e.key.length === 1 && !mod && !e.altKey && e.key !== ' ') typeAhead(e.key);
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

  const columns = { '--col-size': `${widths.size}px`, '--col-date': `${widths.date}px` } as CSSProperties;
  return (
    <div className="list-wrap" style={columns}>
      <div className="list-header" role="table" aria-label={t('list.columns')}>
        <div role="row" className="list-header-row">
          <span aria-hidden="true" />
          <ColumnHeader side={side} by="name" label={t('column.name')} />
          <ColumnHeader side={side} by="size" label={t('column.size')}>
            <ColumnResizer
              label={t('column.resize', { column: t('column.size') })}
              width={widths.size}
              onResize={(size) => setWidths((w) => ({ ...w, size }))}
            />
          </ColumnHeader>
          <ColumnHeader side={side} by="date" label={t('column.modified')}>
            <ColumnResizer
              label={t('column.resize', { column: t('column.modified') })}
              width={widths.date}
              onResize={(date) => setWidths((w) => ({ ...w, date }))}
            />
          </ColumnHeader>
        </div>
      </div>
      <div
        ref={scrollRef}
        id={`${side}-list`}
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
        {selectedCount ? ` · ${t('list.selected', { count: formatCount(selectedCount) })}` : ''}
      </p>
    </div>
  );
}
