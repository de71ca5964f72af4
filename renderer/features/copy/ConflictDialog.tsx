/**
 * The one question a copy without a dialog still asks: names exist at the destination. Replace,
 * Skip or Keep both, for all of them at once, as Transmit and Cyberduck ask; "Options…" opens the
 * full copy dialog instead.
 */
import { useState } from 'react';
import type { ConflictPolicy } from '../../../preload/shared/contract';
import { errorInfo } from '../../api';
import { useT } from '../../i18n';
import { useUi, type CopyRequest } from '../../stores/ui';
import { ErrorMessage } from '../ErrorMessage';
import { Modal } from '../Modal';
import { startSimpleCopy } from './intents';
import { NameList } from './NameList';

export function ConflictDialog({ request, existing }: { request: CopyRequest; existing: string[] }) {
  const t = useT();
  const ui = useUi();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ReturnType<typeof errorInfo> | null>(null);
  const choose = async (conflict: ConflictPolicy) => {
    setBusy(true);
    try {
      await startSimpleCopy(request, conflict);
      ui.closeDialog();
    } catch (err) {
      setError(errorInfo(err));
      setBusy(false);
    }
  };
  return (
    <Modal title={t('conflictAsk.title', { count: existing.length })} onClose={ui.closeDialog}>
      <NameList names={existing} />
      <p>{t('conflictAsk.text')}</p>
      {error ? <ErrorMessage error={error} /> : null}
      <div className="buttons">
        <button type="button" onClick={ui.closeDialog}>
          {t('action.cancel')}
        </button>
        <button type="button" disabled={busy} onClick={() => ui.openDialog({ kind: 'copy', request })}>
          {t('conflictAsk.options')}
        </button>
        <button type="button" disabled={busy} onClick={() => void choose('skip')}>
          {t('conflictAsk.skip')}
        </button>
        <button type="button" disabled={busy} onClick={() => void choose('keep-both')}>
          {t('conflictAsk.keepBoth')}
        </button>
        <button
          type="button"
          className="primary danger"
          disabled={busy}
          data-autofocus
          onClick={() => void choose('overwrite')}
        >
          {t('conflictAsk.replace')}
        </button>
      </div>
    </Modal>
  );
}
