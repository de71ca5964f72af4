/** A confirmation dialog for something that cannot be undone. */
import { useState, type ReactNode } from 'react';
import { useT } from '../i18n';
import { ErrorMessage } from './ErrorMessage';
import { Modal } from './Modal';

export function ConfirmBody(props: {
  title: string;
  text: string;
  children?: ReactNode;
  confirm: string;
  error?: { code: string; message: string; requestId?: string } | null;
  onCancel: () => void;
  onConfirm: () => Promise<void>;
}) {
  const t = useT();
  const [busy, setBusy] = useState(false);
  return (
    <Modal title={props.title} onClose={props.onCancel}>
      <p>{props.text}</p>
      {props.children}
      {props.error ? <ErrorMessage error={props.error} /> : null}
      <div className="buttons">
        <button type="button" onClick={props.onCancel} data-autofocus>
          {t('action.cancel')}
        </button>
        <button
          type="button"
          className="danger primary"
          disabled={busy}
          onClick={() => {
            setBusy(true);
            void props.onConfirm().finally(() => setBusy(false));
          }}
        >
          {props.confirm}
        </button>
      </div>
    </Modal>
  );
}
