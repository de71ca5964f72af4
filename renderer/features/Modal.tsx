/**
 * A modal built on the native <dialog>: focus is trapped, Escape closes, its title names it, the
 * control marked `data-autofocus` starts with the focus, and closing returns the focus where it was.
 */
import { useEffect, useId, useRef, type ReactNode } from 'react';

export function Modal({
  title,
  onClose,
  children,
  className,
}: {
  title: string;
  onClose: () => void;
  children: ReactNode;
  className?: string;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    // The dialog is unmounted rather than closed, so the browser does not restore the focus itself.
    const active = document.activeElement;
    const opener = active instanceof HTMLElement && !dialog.contains(active) ? active : null;
    // Already open when StrictMode runs this effect a second time in development.
    if (!dialog.open) dialog.showModal();
    // React's autoFocus runs while the <dialog> is still closed (nothing in it can take focus then),
    // and showModal() focuses the first control; the element marked data-autofocus is the one meant.
    dialog.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    return () => {
      if (opener?.isConnected) opener.focus();
    };
  }, []);
  return (
    <dialog
      ref={ref}
      className={`modal ${className ?? ''}`}
      aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <h2 id={titleId}>{title}</h2>
      {children}
    </dialog>
  );
}
