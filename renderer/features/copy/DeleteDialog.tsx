/** Delete always confirms and names what will be lost; folders lose everything under them. */
import { useState } from 'react';
import { LIMITS } from '../../../preload/shared/contract';
import { call, errorInfo } from '../../api';
import { formatBytes, formatCount, useT } from '../../i18n';
import { useAccounts } from '../../stores/accounts';
import { useBrowser } from '../../stores/browser';
import { useUi, type DeleteRequest } from '../../stores/ui';
import { ConfirmBody } from '../ConfirmBody';
import { NameList } from './NameList';
import { useDeleteCount } from './useDeleteCount';
import { locationLabel } from './CopyDialog';

/** More objects than this (or any folder) are deleted by a task rather than while the dialog waits. */
const TASK_ABOVE = 100;

export function DeleteDialog({ request }: { request: DeleteRequest }) {
  const t = useT();
  const close = useUi((s) => s.closeDialog);
  const profileName = useAccounts(
    (s) => s.profiles.find((p) => p.id === request.profileId)?.name ?? request.profileId,
  );
  const [error, setError] = useState<ReturnType<typeof errorInfo> | null>(null);
  const hasFolders = request.keys.some((k) => k.endsWith('/'));
  const prefix = useBrowser.getState().panes[request.side].place.prefix;
  const counted = useDeleteCount(request);
  const amount = { count: formatCount(counted.objects), bytes: formatBytes(counted.bytes) };

  return (
    <ConfirmBody
      title={t('delete.title', { count: request.keys.length })}
      text={t('delete.text', {
        count: request.keys.length,
        where: locationLabel(profileName, request.bucket, prefix),
      })}
      confirm={t('delete.confirm', { count: request.keys.length })}
      error={error}
      onCancel={close}
      onConfirm={async () => {
        try {
          if (hasFolders || request.keys.length > TASK_ABOVE) {
            // Folders and large selections are deleted by tasks, shown with progress in the transfers panel.
            const exact = counted.done && !counted.failed && request.keys.length <= LIMITS.batch;
            for (let i = 0; i < request.keys.length; i += LIMITS.batch)
              await call('tasks.delete', {
                profileId: request.profileId,
                bucket: request.bucket,
                keys: request.keys.slice(i, i + LIMITS.batch),
                ...(exact ? { expected: { objects: counted.objects, bytes: counted.bytes } } : {}),
              });
            close();
            return;
          }
          const failures: { key: string; message: string }[] = [];
          for (let i = 0; i < request.keys.length; i += LIMITS.batch) {
            const r = await call('storage.deleteObjects', {
              profileId: request.profileId,
              bucket: request.bucket,
              keys: request.keys.slice(i, i + LIMITS.batch),
            });
            failures.push(...r.errors);
          }
          await useBrowser.getState().refresh(request.side);
          if (failures.length) {
            setError({
              code: 'DeleteFailed',
              message: failures
                .map((f) => `${f.key}: ${f.message}`)
                .slice(0, 5)
                .join('; '),
            });
          } else {
            close();
          }
        } catch (err) {
          setError(errorInfo(err));
        }
      }}
    >
      <NameList names={request.keys.map((k) => k.slice(prefix.length))} />
      {hasFolders ? <p className="warning">{t('delete.folders')}</p> : null}
      <p role="status" className="delete-count">
        {!counted.done
          ? t('delete.counting', amount)
          : counted.failed
            ? t('delete.countFailed', amount)
            : t('delete.counted', amount)}
      </p>
    </ConfirmBody>
  );
}
