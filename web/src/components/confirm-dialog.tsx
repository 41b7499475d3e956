import { useEffect, useId, useRef, type ReactNode } from 'react';

interface ConfirmDialogProps {
  open: boolean;
  title: string;
  confirmLabel: string;
  cancelLabel: string;
  /** Red confirm button; focus starts on Cancel so Enter never destroys by accident. */
  destructive?: boolean;
  busy?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
  children?: ReactNode;
}

/**
 * A native modal `<dialog>`: the browser traps focus, makes the page behind it inert and closes
 * it on Escape (reported as a cancel). Focus returns to the element that opened it.
 */
export function ConfirmDialog(props: ConfirmDialogProps) {
  const { open, title, confirmLabel, cancelLabel, destructive, busy, children } = props;
  const dialog = useRef<HTMLDialogElement>(null);
  const cancelButton = useRef<HTMLButtonElement>(null);
  const confirmButton = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  const bodyId = useId();
  const onCancel = useRef(props.onCancel);
  onCancel.current = props.onCancel;

  useEffect(() => {
    const element = dialog.current;
    if (!element || !open) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    // showModal is missing in a few older engines (and jsdom): an open dialog still works there.
    if (typeof element.showModal === 'function') element.showModal();
    else element.setAttribute('open', '');
    (destructive ? cancelButton : confirmButton).current?.focus();
    const cancel = (event: Event) => {
      event.preventDefault();
      onCancel.current();
    };
    element.addEventListener('cancel', cancel);
    return () => {
      element.removeEventListener('cancel', cancel);
      if (typeof element.close === 'function') element.close();
      element.removeAttribute('open');
      opener?.focus();
    };
  }, [open, destructive]);

  return (
    <dialog
      ref={dialog}
      aria-labelledby={titleId}
      aria-describedby={children ? bodyId : undefined}
      className="m-auto w-[min(32rem,calc(100vw-2rem))] rounded-lg border border-slate-300 bg-white p-6 text-slate-900 shadow-xl backdrop:bg-slate-950/60 dark:border-slate-600 dark:bg-slate-900 dark:text-slate-100"
    >
      {open ? (
        <>
          <h2 id={titleId} className="mb-3 text-lg font-semibold">
            {title}
          </h2>
          {children ? (
            <div id={bodyId} className="mb-5 text-sm">
              {children}
            </div>
          ) : null}
          <div className="flex flex-wrap justify-end gap-3">
            <button
              ref={cancelButton}
              type="button"
              onClick={() => onCancel.current()}
              className="rounded border border-slate-400 px-4 py-2 dark:border-slate-500"
            >
              {cancelLabel}
            </button>
            <button
              ref={confirmButton}
              type="button"
              disabled={busy}
              aria-busy={busy}
              onClick={props.onConfirm}
              className={
                destructive
                  ? 'rounded bg-red-700 px-4 py-2 font-medium text-white hover:bg-red-800 disabled:opacity-60 dark:bg-red-400 dark:text-slate-950 dark:hover:bg-red-300'
                  : 'rounded bg-blue-700 px-4 py-2 font-medium text-white hover:bg-blue-800 disabled:opacity-60 dark:bg-blue-500 dark:text-slate-950 dark:hover:bg-blue-400'
              }
            >
              {confirmLabel}
            </button>
          </div>
        </>
      ) : null}
    </dialog>
  );
}
