/**
 * A pane's address bar: the breadcrumb, which turns into a text field (`account:bucket/folder/`) on a
 * click beside the crumbs, on its edit button, or on Ctrl/⌘+L or F4 in the active pane. The field is
 * a WAI-ARIA combobox: the listbox under it completes accounts, buckets and folders; ↑ ↓ choose, Tab
 * takes a suggestion and keeps editing, Enter opens, Escape puts the breadcrumb back. An address that
 * cannot be opened says why under the field and the pane stays where it was.
 */
import { Box, Database, Folder, LoaderCircle, Pencil } from 'lucide-react';
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { useT } from '../../i18n';
import { useAccounts } from '../../stores/accounts';
import { useBrowser, type Side } from '../../stores/browser';
import { useUi } from '../../stores/ui';
import { Breadcrumb } from './Breadcrumb';
import { focusList } from './ObjectList';
import {
  addressAccounts,
  formatAddress,
  resolveAddress,
  usePathCompletion,
  type Suggestion,
} from './path-completion';

const SUGGESTION_ICONS = { account: Box, bucket: Database, folder: Folder } as const;
const isMac = () => navigator.platform.toLowerCase().includes('mac');

/** Ctrl/⌘+L (a browser's own address-bar key) or F4 (Windows Explorer's). */
function opensAddress(e: globalThis.KeyboardEvent): boolean {
  if (e.key === 'F4' && !e.ctrlKey && !e.metaKey && !e.altKey) return true;
  return (isMac() ? e.metaKey : e.ctrlKey) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 'l';
}

export function AddressBar({ side }: { side: Side }) {
  const t = useT();
  const [editing, setEditing] = useState(false);

  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (!opensAddress(e) || useUi.getState().dialog || useBrowser.getState().active !== side) return;
      e.preventDefault();
      setEditing(true);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [side]);

  if (editing) return <AddressEditor side={side} onClose={() => setEditing(false)} />;
  return (
    <div
      className="address-bar"
      // A click on the bar beside the crumbs edits the address, as in a file manager's location bar.
      onClick={(e) => {
        if (!(e.target as Element).closest('button')) setEditing(true);
      }}
    >
      <Breadcrumb side={side} />
      <button
        type="button"
        className="icon-button address-edit"
        aria-label={t('address.edit')}
        title={`${t('address.edit')} (${isMac() ? '⌘L' : 'Ctrl+L'}, F4)`}
        onClick={() => setEditing(true)}
      >
        <Pencil size={13} aria-hidden="true" />
      </button>
    </div>
  );
}

function AddressEditor({ side, onClose }: { side: Side; onClose: () => void }) {
  const t = useT();
  const place = useBrowser((s) => s.panes[side].place);
  // Subscribed so a renamed account shows its new name; the list itself is read when typing.
  useAccounts((s) => s.profiles);
  const [text, setText] = useState(() => formatAddress(place, addressAccounts()));
  const [open, setOpen] = useState(true);
  const [active, setActive] = useState(-1);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const listId = useId();
  const errorId = useId();
  const optionId = (i: number) => `${listId}-option-${i}`;
  const { suggestions } = usePathCompletion(text, open);
  const shown = open && suggestions.length > 0;

  useEffect(() => {
    input.current?.focus();
    input.current?.select();
  }, []);

  useEffect(() => {
    if (active >= 0) document.getElementById(optionId(active))?.scrollIntoView({ block: 'nearest' });
    // optionId only depends on listId, which never changes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [active]);

  const edit = (value: string) => {
    setText(value);
    setActive(-1);
    setOpen(true);
    setError(null);
  };

  const close = (refocusList: boolean) => {
    onClose();
    if (refocusList) focusList(side);
  };

  const go = async (value: string) => {
    setText(value);
    setOpen(false);
    setActive(-1);
    setBusy(true);
    const opened = await resolveAddress(value, t);
    setBusy(false);
    if (!opened.ok) {
      setError(opened.message);
      input.current?.focus();
      return;
    }
    void useBrowser.getState().navigate(side, opened.place, { select: opened.select });
    close(true);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    const count = shown ? suggestions.length : 0;
    if (e.key === 'ArrowDown') {
      if (!open) setOpen(true);
      else if (count) setActive((i) => (i + 1) % count);
    } else if (e.key === 'ArrowUp') {
      if (count) setActive((i) => (i <= 0 ? count - 1 : i - 1));
    } else if (e.key === 'Tab' && !e.shiftKey && count) {
      edit(suggestions[Math.max(active, 0)]!.value);
    } else if (e.key === 'Enter') {
      void go(active >= 0 && count ? suggestions[active]!.value : text);
    } else if (e.key === 'Escape') {
      close(true);
    } else {
      // The pane's own keys (type-ahead, Delete, F5…) must not see what is typed here.
      e.stopPropagation();
      return;
    }
    e.preventDefault();
    e.stopPropagation();
  };

  return (
    <div className="address-bar editing">
      <div className="address-field">
        <input
          ref={input}
          type="text"
          role="combobox"
          className="address-input"
          aria-label={t('address.label')}
          aria-autocomplete="list"
          aria-expanded={shown}
          aria-controls={listId}
          aria-activedescendant={shown && active >= 0 ? optionId(active) : undefined}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? errorId : undefined}
          aria-busy={busy || undefined}
          placeholder={t('address.placeholder')}
          spellCheck={false}
          autoComplete="off"
          value={text}
          onChange={(e) => edit(e.target.value)}
          onKeyDown={onKeyDown}
          onFocus={() => useBrowser.getState().setActive(side)}
          onBlur={() => {
            // Leaving the field (a click elsewhere) puts the breadcrumb back; an open in flight finishes.
            if (!busy) close(false);
          }}
        />
        {busy ? <LoaderCircle className="spinner" size={14} aria-label={t('address.opening')} /> : null}
        <ul
          id={listId}
          role="listbox"
          aria-label={t('address.suggestions')}
          className="address-suggestions"
          hidden={!shown}
          // Keeps the focus in the field, so a click on a suggestion is not a blur first.
          onMouseDown={(e) => e.preventDefault()}
        >
          {shown
            ? suggestions.map((s: Suggestion, i) => {
                const Icon = SUGGESTION_ICONS[s.kind];
                return (
                  <li
                    key={s.value}
                    id={optionId(i)}
                    role="option"
                    aria-selected={i === active}
                    className={i === active ? 'active' : undefined}
                    onMouseEnter={() => setActive(i)}
                    onClick={() => void go(s.value)}
                  >
                    <Icon size={14} aria-hidden="true" />
                    <span>{s.label}</span>
                  </li>
                );
              })
            : null}
        </ul>
      </div>
      {error ? (
        <p id={errorId} role="alert" className="address-error">
          {error}
        </p>
      ) : null}
    </div>
  );
}
