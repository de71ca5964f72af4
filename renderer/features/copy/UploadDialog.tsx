/**
 * Files dropped from the desktop: where they go, what happens to names that exist there (the same
 * choice and list as a copy's), then one click (or Enter) to upload them.
 */
import { useEffect, useState } from 'react';
import type { ConflictPolicy, Location } from '../../../preload/shared/contract';
import { errorInfo } from '../../api';
import { formatBytes, useT } from '../../i18n';
import { useAccounts } from '../../stores/accounts';
import { useSettings } from '../../stores/settings';
import { useUi } from '../../stores/ui';
import { useUploads } from '../../stores/uploads';
import { Modal } from '../Modal';
import { CONFLICTS, locationLabel, OverwriteNote } from './CopyDialog';
import type { DroppedFile } from './desktop-drop';
import { NameList } from './NameList';
import { CHECK_LIMIT, existingKeys, type OverwriteCheck } from './useOverwriteCheck';

/** The dropped files' destination keys that exist already, as the copy dialog's check reports them. */
function useExistingUploads(files: DroppedFile[], destination: Location): OverwriteCheck {
  const [check, setCheck] = useState<OverwriteCheck>({ status: 'checking' });
  useEffect(() => {
    let current = true;
    const keys = files.map((f) => destination.prefix + f.path);
    existingKeys(destination, keys).then(
      (found) =>
        current &&
        setCheck({
          status: 'done',
          objects: found.map((k) => k.slice(destination.prefix.length)),
          folders: [],
          checked: Math.min(keys.length, CHECK_LIMIT),
          total: keys.length,
        }),
      (err: unknown) => current && setCheck({ status: 'error', error: errorInfo(err) }),
    );
    return () => {
      current = false;
    };
  }, [files, destination]);
  return check;
}

export function UploadDialog({ files, destination }: { files: DroppedFile[]; destination: Location }) {
  const t = useT();
  const close = useUi((s) => s.closeDialog);
  const defaultConflict = useSettings((s) => s.settings?.defaultConflict ?? 'overwrite');
  const [conflict, setConflict] = useState<ConflictPolicy>(defaultConflict);
  const check = useExistingUploads(files, destination);
  const profileName = useAccounts(
    (s) => s.profiles.find((p) => p.id === destination.profileId)?.name ?? destination.profileId,
  );
  const total = files.reduce((sum, f) => sum + f.file.size, 0);
  const replacing = conflict === 'overwrite' && check.status === 'done' ? check.objects.length : 0;
  return (
    <Modal title={t('upload.title', { count: files.length })} onClose={close}>
      <NameList names={files.map((f) => f.path)} />
      <p>
        {t('copy.to')} <strong>{locationLabel(profileName, destination.bucket, destination.prefix)}</strong> (
        {formatBytes(total)})
      </p>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          useUploads.getState().start(files, destination, conflict);
          close();
        }}
      >
        <label>
          {t('copy.conflict')}
          <select value={conflict} onChange={(e) => setConflict(e.target.value as ConflictPolicy)}>
            {CONFLICTS.map((c) => (
              <option key={c} value={c}>
                {t(`conflict.${c}`)}
              </option>
            ))}
          </select>
        </label>
        <OverwriteNote check={check} conflict={conflict} />
        <p className="muted">{t('upload.note')}</p>
        <div className="buttons">
          <button type="button" onClick={close}>
            {t('action.cancel')}
          </button>
          <button type="submit" className={`primary${replacing ? ' danger' : ''}`} data-autofocus>
            {replacing ? t('upload.confirmReplacing', { count: replacing }) : t('upload.confirm')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
