/** Files dropped from the desktop: where they go, then one click (or Enter) to upload them. */
import type { Location } from '../../../preload/shared/contract';
import { formatBytes, useT } from '../../i18n';
import { useAccounts } from '../../stores/accounts';
import { useUi } from '../../stores/ui';
import { useUploads } from '../../stores/uploads';
import { Modal } from '../Modal';
import { locationLabel } from './CopyDialog';
import type { DroppedFile } from './desktop-drop';
import { NameList } from './NameList';

export function UploadDialog({ files, destination }: { files: DroppedFile[]; destination: Location }) {
  const t = useT();
  const close = useUi((s) => s.closeDialog);
  const profileName = useAccounts(
    (s) => s.profiles.find((p) => p.id === destination.profileId)?.name ?? destination.profileId,
  );
  const total = files.reduce((sum, f) => sum + f.file.size, 0);
  return (
    <Modal title={t('upload.title', { count: files.length })} onClose={close}>
      <NameList names={files.map((f) => f.path)} />
      <p>
        {t('copy.to')} <strong>{locationLabel(profileName, destination.bucket, destination.prefix)}</strong> (
        {formatBytes(total)})
      </p>
      <p className="muted">{t('upload.note')}</p>
      <div className="buttons">
        <button type="button" onClick={close}>
          {t('action.cancel')}
        </button>
        <button
          type="button"
          className="primary"
          data-autofocus
          onClick={() => {
            useUploads.getState().start(files, destination);
            close();
          }}
        >
          {t('upload.confirm')}
        </button>
      </div>
    </Modal>
  );
}
