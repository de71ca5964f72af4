/**
 * Every copy task with its progress. The list selects only the ordered ids; each row selects its own
 * task, so a `task.progress` tick re-renders one row.
 */
import { memo } from 'react';
import type { TaskSummary } from '../../../preload/shared/contract';
import { baseName, parentOf } from '../../../preload/shared/keys';
import { formatBytes, formatDuration, useT, type MessageKey } from '../../i18n';
import { useAccounts } from '../../stores/accounts';
import { useBrowser } from '../../stores/browser';
import { FINISHED, useTransfers } from '../../stores/transfers';
import { useUploads } from '../../stores/uploads';
import { ErrorMessage } from '../ErrorMessage';

export function taskPercent(task: TaskSummary): number {
  if (task.state === 'done') return 100;
  const p = task.progress;
  if (p.bytesTotal > 0) return Math.min(100, Math.floor((p.bytesDone / p.bytesTotal) * 100));
  if (p.objectsTotal) return Math.min(100, Math.floor((p.objectsDone / p.objectsTotal) * 100));
  return 0;
}

export function showInBrowser(task: TaskSummary): void {
  const browser = useBrowser.getState();
  const { profileId, bucket, key } = task.destination;
  void browser.navigate(browser.active, { profileId, bucket, prefix: parentOf(key) }, { select: key });
}

const TransferRow = memo(function TransferRow({ id }: { id: string }) {
  const t = useT();
  const task = useTransfers((s) => s.byId[id]);
  const destName = useAccounts((s) => s.profiles.find((p) => p.id === task?.destination.profileId)?.name);
  if (!task) return null;
  const act = useTransfers.getState().act;
  const name = baseName(task.source.key);
  const percent = taskPercent(task);
  const p = task.progress;
  const live = task.state === 'running' || task.state === 'queued' || task.state === 'paused';
  return (
    <li className={`transfer state-${task.state}`} aria-label={name}>
      <div className="transfer-head">
        <span className="transfer-name" title={task.source.key}>
          {task.move ? t('transfer.moving') : t('transfer.copying')} {name}
        </span>
        <span className="transfer-dest" title={`${task.destination.bucket}/${task.destination.key}`}>
          → {destName ?? task.destination.profileId}: {task.destination.bucket}/
          {parentOf(task.destination.key)}
        </span>
        <span className={`badge state-${task.state}`}>{t(`state.${task.state}` as MessageKey)}</span>
        {task.resumedAfterRestart ? <span className="badge resumed">{t('transfer.resumed')}</span> : null}
      </div>
      <div
        role="progressbar"
        aria-label={t('transfer.progressOf', { name })}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={`${percent}%`}
        className="progress"
      >
        <div className="progress-fill" style={{ width: `${percent}%` }} />
      </div>
      <div className="transfer-stats">
        <span>
          {formatBytes(p.bytesDone)} / {formatBytes(p.bytesTotal)}
        </span>
        {task.state === 'running' ? <span>{formatBytes(p.rate)}/s</span> : null}
        {task.state === 'running' ? (
          <span>{t('transfer.eta', { eta: formatDuration(p.etaSeconds) })}</span>
        ) : null}
        {p.partsTotal > 0 ? (
          <span>{t('transfer.parts', { done: p.partsDone, total: p.partsTotal })}</span>
        ) : null}
        {task.kind === 'folder' ? (
          <span>{t('transfer.objects', { done: p.objectsDone, total: p.objectsTotal ?? '?' })}</span>
        ) : null}
      </div>
      {task.state === 'failed' && task.error ? <ErrorMessage error={task.error} /> : null}
      <div className="transfer-actions">
        {task.state === 'running' || task.state === 'queued' ? (
          <button
            type="button"
            onClick={() => void act('pause', id)}
            aria-label={t('transfer.pauseNamed', { name })}
          >
            {t('transfer.pause')}
          </button>
        ) : null}
        {task.state === 'paused' ? (
          <button
            type="button"
            onClick={() => void act('resume', id)}
            aria-label={t('transfer.resumeNamed', { name })}
          >
            {t('transfer.resume')}
          </button>
        ) : null}
        {live ? (
          <button
            type="button"
            onClick={() => void act('cancel', id)}
            aria-label={t('transfer.cancelNamed', { name })}
          >
            {t('action.cancel')}
          </button>
        ) : null}
        {task.state === 'failed' || task.state === 'cancelled' ? (
          <button
            type="button"
            onClick={() => void act('retry', id)}
            aria-label={t('transfer.retryNamed', { name })}
          >
            {t('action.retry')}
          </button>
        ) : null}
        <button
          type="button"
          onClick={() => showInBrowser(task)}
          aria-label={t('transfer.showNamed', { name })}
        >
          {t('transfer.show')}
        </button>
      </div>
    </li>
  );
});

/** A desktop file on its way up: not a copy task, so no pause or resume — just progress and the outcome. */
const UploadRow = memo(function UploadRow({ id }: { id: string }) {
  const t = useT();
  const up = useUploads((s) => s.byId[id]);
  const destName = useAccounts((s) => s.profiles.find((p) => p.id === up?.destination.profileId)?.name);
  if (!up) return null;
  const percent =
    up.state === 'done' ? 100 : up.bytesTotal ? Math.floor((up.bytesDone / up.bytesTotal) * 100) : 0;
  return (
    <li className={`transfer state-${up.state}`} aria-label={up.name}>
      <div className="transfer-head">
        <span className="transfer-name" title={up.key}>
          {t('transfer.uploading')} {up.name}
        </span>
        <span className="transfer-dest">
          → {destName ?? up.destination.profileId}: {up.destination.bucket}/{up.destination.prefix}
        </span>
        <span className={`badge state-${up.state}`}>{t(`state.${up.state}` as MessageKey)}</span>
      </div>
      <div
        role="progressbar"
        aria-label={t('transfer.progressOf', { name: up.name })}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={`${percent}%`}
        className="progress"
      >
        <div className="progress-fill" style={{ width: `${percent}%` }} />
      </div>
      <div className="transfer-stats">
        <span>
          {formatBytes(up.bytesDone)} / {formatBytes(up.bytesTotal)}
        </span>
      </div>
      {up.state === 'failed' && up.error ? <ErrorMessage error={up.error} /> : null}
    </li>
  );
});

export function TransfersPanel() {
  const t = useT();
  const order = useTransfers((s) => s.order);
  const error = useTransfers((s) => s.error);
  const counts = useTransfers((s) => {
    let active = 0;
    let finished = 0;
    let paused = 0;
    for (const id of s.order) {
      const state = s.byId[id]!.state;
      if (FINISHED.has(state)) finished++;
      else active++;
      if (state === 'paused') paused++;
    }
    return `${active}/${finished}/${paused}`;
  });
  const [active, finished, paused] = counts.split('/').map(Number) as [number, number, number];
  const { actAll } = useTransfers.getState();
  const uploads = useUploads((s) => s.order);
  const uploadsFinished = useUploads((s) =>
    s.order.some((id) => s.byId[id]!.state !== 'queued' && s.byId[id]!.state !== 'running'),
  );
  return (
    <section className="transfers" aria-label={t('transfers.label')}>
      <div className="transfers-head">
        <h2>{t('transfers.label')}</h2>
        <span className="muted">{t('transfers.summary', { active, finished })}</span>
        <span className="spacer" />
        <button type="button" onClick={() => void actAll('pauseAll')} disabled={active === 0}>
          {t('transfers.pauseAll')}
        </button>
        <button type="button" onClick={() => void actAll('resumeAll')} disabled={paused === 0}>
          {t('transfers.resumeAll')}
        </button>
        <button
          type="button"
          onClick={() => {
            useUploads.getState().clearFinished();
            void actAll('clearFinished');
          }}
          disabled={finished === 0 && !uploadsFinished}
        >
          {t('transfers.clearFinished')}
        </button>
      </div>
      {error ? <ErrorMessage error={error} /> : null}
      {order.length === 0 && uploads.length === 0 ? (
        <p className="muted empty">{t('transfers.empty')}</p>
      ) : null}
      <ul className="transfer-list">
        {uploads.map((id) => (
          <UploadRow key={id} id={id} />
        ))}
        {order.map((id) => (
          <TransferRow key={id} id={id} />
        ))}
      </ul>
    </section>
  );
}
