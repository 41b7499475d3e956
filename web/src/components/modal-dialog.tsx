import { useEffect, useId, useRef, type ReactNode, type RefObject } from 'react';

interface ModalDialogProps {
  open: boolean;
  title: string;
  onClose: () => void;
  children: ReactNode;
  /** What gets focus on opening; by default the `[autofocus]` element or the first control. */
  initialFocus?: RefObject<HTMLElement | null>;
  /** The id of the element that explains the dialog, for `aria-describedby`. */
  describedBy?: string | undefined;
}

/**
 * A native `<dialog>` opened with `showModal()` holding a small form (ConfirmDialog is the one for
 * yes/no questions): the rest of the page is inert, Escape closes it, focus moves to its first
 * control and returns to the element that opened it when it closes.
 */
export function ModalDialog(props: ModalDialogProps) {
  const { open, title, onClose, children, initialFocus, describedBy } = props;
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const onCloseRef = useRef(onClose);
  onCloseRef.current = onClose;

  useEffect(() => {
    const element = dialog.current;
    if (!element || !open) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    // showModal is missing in a few older engines (and jsdom): an open dialog still works there.
    if (typeof element.showModal === 'function') element.showModal();
    else element.setAttribute('open', '');
    const first =
      initialFocus?.current ??
      element.querySelector<HTMLElement>('[autofocus]') ??
      element.querySelector<HTMLElement>('input, select, textarea, button');
    first?.focus();
    // Escape: the parent decides (it closes by setting `open` to false).
    const cancel = (event: Event) => {
      event.preventDefault();
      onCloseRef.current();
    };
    element.addEventListener('cancel', cancel);
    return () => {
      element.removeEventListener('cancel', cancel);
      if (typeof element.close === 'function') element.close();
      element.removeAttribute('open');
      opener?.focus();
    };
  }, [open, initialFocus]);

  return (
    <dialog
      ref={dialog}
      aria-labelledby={titleId}
      aria-describedby={describedBy}
      className="m-auto w-[min(32rem,calc(100vw-2rem))] rounded-lg border border-slate-300 bg-white p-6 text-slate-900 shadow-xl backdrop:bg-slate-950/60 dark:border-slate-600 dark:bg-slate-900 dark:text-slate-100"
    >
      {open ? (
        <>
          <h2 id={titleId} className="mb-4 text-lg font-semibold">
            {title}
          </h2>
          {children}
        </>
      ) : null}
    </dialog>
  );
}
