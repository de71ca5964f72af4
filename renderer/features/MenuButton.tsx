/**
 * A button that opens an ARIA menu (WAI-ARIA menu button pattern): arrow keys move between items,
 * Home/End jump, a letter jumps to the next item starting with it, Enter/Space choose, Escape and a
 * click outside close and give the focus back to the button. Items are plain data, so a caller
 * states what it offers and nothing about focus handling.
 */
import { Check } from 'lucide-react';
import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';

export type MenuEntry =
  | {
      kind?: 'item';
      label: string;
      icon?: ReactNode;
      disabled?: boolean;
      hint?: string;
      onSelect(): void;
    }
  | { kind: 'radio'; label: string; checked: boolean; onSelect(): void }
  | { kind: 'separator' };

interface Props {
  label: string;
  icon: ReactNode;
  items: MenuEntry[];
  className?: string;
}

export function MenuButton({ label, icon, items, className }: Props) {
  const [open, setOpen] = useState(false);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);
  const menuId = useId();

  const focusables = () => [
    ...(menuRef.current?.querySelectorAll<HTMLElement>('[role^="menuitem"]:not([aria-disabled="true"])') ??
      []),
  ];

  useEffect(() => {
    if (!open) return;
    focusables()[0]?.focus();
    const onPointer = (e: PointerEvent) => {
      const target = e.target as Node;
      if (!menuRef.current?.contains(target) && !buttonRef.current?.contains(target)) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointer);
    return () => document.removeEventListener('pointerdown', onPointer);
  }, [open]);

  const close = (refocus: boolean) => {
    setOpen(false);
    if (refocus) buttonRef.current?.focus();
  };

  const onMenuKey = (e: KeyboardEvent) => {
    const list = focusables();
    const at = list.indexOf(document.activeElement as HTMLElement);
    const move = (to: number) => list[(to + list.length) % list.length]?.focus();
    if (e.key === 'ArrowDown') move(at + 1);
    else if (e.key === 'ArrowUp') move(at - 1);
    else if (e.key === 'Home') move(0);
    else if (e.key === 'End') move(list.length - 1);
    else if (e.key === 'Escape') close(true);
    else if (e.key === 'Tab') close(false);
    else if (e.key.length === 1 && /\S/.test(e.key)) {
      const letter = e.key.toLowerCase();
      const order = [...list.slice(at + 1), ...list.slice(0, at + 1)];
      order.find((el) => el.textContent?.trim().toLowerCase().startsWith(letter))?.focus();
    } else return;
    e.preventDefault();
    e.stopPropagation();
  };

  const choose = (entry: MenuEntry) => {
    if (entry.kind === 'separator' || ('disabled' in entry && entry.disabled)) return;
    close(true);
    entry.onSelect();
  };

  return (
    <div className={`menu-button ${className ?? ''}`}>
      <button
        ref={buttonRef}
        type="button"
        className="icon-button"
        aria-label={label}
        title={label}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        onClick={() => setOpen((o) => !o)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
            e.preventDefault();
            setOpen(true);
          }
        }}
      >
        {icon}
      </button>
      {open ? (
        <div ref={menuRef} id={menuId} role="menu" aria-label={label} className="menu" onKeyDown={onMenuKey}>
          {items.map((entry, i) => {
            if (entry.kind === 'separator')
              return <div key={i} role="separator" className="menu-separator" />;
            const disabled = 'disabled' in entry && Boolean(entry.disabled);
            return (
              <div
                key={i}
                role={entry.kind === 'radio' ? 'menuitemradio' : 'menuitem'}
                aria-checked={entry.kind === 'radio' ? entry.checked : undefined}
                aria-disabled={disabled || undefined}
                title={'hint' in entry ? entry.hint : undefined}
                tabIndex={-1}
                className="menu-item"
                onClick={() => choose(entry)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter' || e.key === ' ') {
                    e.preventDefault();
                    e.stopPropagation();
                    choose(entry);
                  }
                }}
              >
                <span className="menu-icon" aria-hidden="true">
                  {entry.kind === 'radio' ? entry.checked ? <Check size={14} /> : null : entry.icon}
                </span>
                <span>{entry.label}</span>
              </div>
            );
          })}
        </div>
      ) : null}
    </div>
  );
}
