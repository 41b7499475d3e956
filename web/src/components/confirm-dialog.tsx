import { useId, useRef, type ReactNode } from 'react';
import { ModalDialog } from './modal-dialog.tsx';

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
 * A yes/no question in a ModalDialog (the page behind is inert, Escape cancels, focus returns to
 * the opener). Destructive questions start on Cancel so Enter never destroys by accident.
 */
export function ConfirmDialog(props: ConfirmDialogProps) {
  const { open, title, confirmLabel, cancelLabel, destructive, busy, children } = props;
  const cancelButton = useRef<HTMLButtonElement>(null);
  const confirmButton = useRef<HTMLButtonElement>(null);
  const bodyId = useId();

  return (
    <ModalDialog
      open={open}
      title={title}
      onClose={props.onCancel}
      initialFocus={destructive ? cancelButton : confirmButton}
      describedBy={children ? bodyId : undefined}
    >
      {children ? (
        <div id={bodyId} className="mb-5 text-sm">
          {children}
        </div>
      ) : null}
      <div className="flex flex-wrap justify-end gap-3">
        <button
          ref={cancelButton}
          type="button"
          onClick={props.onCancel}
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
    </ModalDialog>
  );
}
