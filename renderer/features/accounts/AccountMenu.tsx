/**
 * An account's rarely used actions (Test, Refresh, Edit, Remove) behind one "…" button: a real ARIA
 * menu button. The menu opens on click, Enter, Space or ↓ (focus on the first item), ↑ opens it on
 * the last; ↑ ↓ Home End move, Enter or Space runs, Escape or Tab closes and gives the focus back.
 */
import { Ellipsis } from 'lucide-react';
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';

export interface MenuAction {
  label: string;
  /** The item's accessible name, when the visible label alone would be ambiguous in the sidebar. */
  name?: string;
  danger?: boolean;
  run(): void;
}

export function AccountMenu({ label, actions }: { label: string; actions: MenuAction[] }) {
  const [open, setOpen] = useState(false);
  const [focusIndex, setFocusIndex] = useState(0);
  const menuId = useId();
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLUListElement>(null);

  useEffect(() => {
    if (!open) return;
    menu.current?.querySelectorAll<HTMLElement>('[role="menuitem"]')[focusIndex]?.focus();
  }, [open, focusIndex]);

  useEffect(() => {
    if (!open) return;
    const onPointer = (e: PointerEvent) => {
      if (!menu.current?.contains(e.target as Node) && !button.current?.contains(e.target as Node))
        setOpen(false);
    };
    document.addEventListener('pointerdown', onPointer);
    return () => document.removeEventListener('pointerdown', onPointer);
  }, [open]);

  const openAt = (index: number) => {
    setFocusIndex(index);
    setOpen(true);
  };
  const close = (refocus: boolean) => {
    setOpen(false);
    if (refocus) button.current?.focus();
  };

  const onButtonKey = (e: KeyboardEvent) => {
    if (e.key === 'ArrowDown') openAt(0);
    else if (e.key === 'ArrowUp') openAt(actions.length - 1);
    else return;
    e.preventDefault();
  };

  const onMenuKey = (e: KeyboardEvent) => {
    const last = actions.length - 1;
    if (e.key === 'ArrowDown') setFocusIndex((i) => (i >= last ? 0 : i + 1));
    else if (e.key === 'ArrowUp') setFocusIndex((i) => (i <= 0 ? last : i - 1));
    else if (e.key === 'Home') setFocusIndex(0);
    else if (e.key === 'End') setFocusIndex(last);
    else if (e.key === 'Escape') close(true);
    else if (e.key === 'Tab') {
      setOpen(false);
      return;
    } else return;
    e.preventDefault();
    e.stopPropagation();
  };

  return (
    <div className="menu-anchor">
      <button
        ref={button}
        type="button"
        className="icon-button"
        aria-label={label}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        onClick={() => (open ? close(false) : openAt(0))}
        onKeyDown={onButtonKey}
      >
        <Ellipsis size={16} aria-hidden="true" />
      </button>
      {open ? (
        <ul ref={menu} id={menuId} role="menu" aria-label={label} className="menu" onKeyDown={onMenuKey}>
          {actions.map((a, i) => (
            <li
              key={a.label}
              role="menuitem"
              tabIndex={i === focusIndex ? 0 : -1}
              aria-label={a.name}
              className={a.danger ? 'danger' : undefined}
              onClick={() => {
                close(true);
                a.run();
              }}
              onKeyDown={(e) => {
                if (e.key === 'Enter' || e.key === ' ') {
                  e.preventDefault();
                  close(true);
                  a.run();
                }
              }}
            >
              {a.label}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
