/** New folder (Ctrl/⌘+Shift+N): the zero-byte `name/` marker, made in the pane's folder. */
import { useState } from 'react';
import type { Location } from '../../../preload/shared/contract';
import { call, errorInfo } from '../../api';
import { useT } from '../../i18n';
import { useBrowser, type Side } from '../../stores/browser';
import { useUi } from '../../stores/ui';
import { ErrorMessage } from '../ErrorMessage';
import { Modal } from '../Modal';

/** Why the typed name cannot be a folder here, or null. A `/` inside makes nested folders. */
export function folderNameProblem(name: string): 'empty' | 'slashes' | 'dots' | null {
  const trimmed = name.replace(/\/+$/, '');
  if (trimmed.trim() === '') return 'empty';
  if (trimmed.startsWith('/') || trimmed.includes('//')) return 'slashes';
  if (trimmed.split('/').some((part) => part === '.' || part === '..')) return 'dots';
  return null;
}

export function NewFolderDialog({ side, location }: { side: Side; location: Location }) {
  const t = useT();
  const close = useUi((s) => s.closeDialog);
  const [name, setName] = useState('');
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ReturnType<typeof errorInfo> | null>(null);
  const problem = folderNameProblem(name);
  const create = async () => {
    setTouched(true);
    if (problem) return;
    setBusy(true);
    setError(null);
    const folder = name.replace(/\/+$/, '');
    try {
      const { key } = await call('storage.createFolder', {
        ...location,
        key: `${location.prefix}${folder}/`,
      });
      close();
      await useBrowser.getState().refresh(side);
      // The new folder is where the cursor goes, as in a file manager.
      const first = key.slice(location.prefix.length).split('/')[0];
      if (first) useBrowser.getState().selectOnly(side, [`${location.prefix}${first}/`]);
    } catch (err) {
      setError(errorInfo(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal title={t('folder.newTitle')} onClose={close}>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          void create();
        }}
      >
        <label>
          {t('folder.name')}
          <input
            value={name}
            data-autofocus
            aria-invalid={touched && problem ? true : undefined}
            aria-describedby="new-folder-problem"
            onChange={(e) => setName(e.target.value)}
          />
        </label>
        <p id="new-folder-problem" className={touched && problem ? 'field-error' : 'muted'}>
          {touched && problem ? t(`folder.problem.${problem}`) : t('folder.hint')}
        </p>
        {error ? <ErrorMessage error={error} /> : null}
        <div className="buttons">
          <button type="button" onClick={close}>
            {t('action.cancel')}
          </button>
          <button type="submit" className="primary" disabled={busy}>
            {t('folder.create')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
