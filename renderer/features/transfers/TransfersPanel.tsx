/**
 * Every transfer with its progress: copy tasks from the engine and desktop uploads, one compact
 * row each, in All / Active / Failed / Done tabs. The list selects only the ordered ids; each row
 * selects its own task, so a `task.progress` tick re-renders one row. The panel's height is dragged
 * from its top edge (or set with the arrow keys there).
 */
import { Eye, Pause, Play, RotateCcw, Trash2, X } from 'lucide-react';
import { memo, useRef, useState, type KeyboardEvent, type PointerEvent as ReactPointerEvent } from 'react';
import type { TaskSummary } from '../../../preload/shared/contract';
import { baseName, parentOf } from '../../../preload/shared/keys';
import { useT, type MessageKey } from '../../i18n';
import { useAccounts } from '../../stores/accounts';
import { useBrowser } from '../../stores/browser';
import { useTransfers } from '../../stores/transfers';
import { useUploads, type Upload } from '../../stores/uploads';
import { ErrorMessage } from '../ErrorMessage';
import { progressFacts, progressPercent } from './progress-view';
import { CredentialsExpiredBadge } from './CredentialsExpiredBadge';
import { ProgressRow } from './ProgressRow';

export function taskPercent(task: TaskSummary): number {
  return progressPercent(task) ?? 0;
}

export function showInBrowser(task: TaskSummary): void {
  const browser = useBrowser.getState();
  const { profileId, bucket, key } = task.destination;
  void browser.navigate(browser.active, { profileId, bucket, prefix: parentOf(key) }, { select: key });
}

export type Tab = 'all' | 'active' | 'failed' | 'done';
const TABS: Tab[] = ['all', 'active', 'failed', 'done'];

/** Which tab a state belongs to: failed is not finished, and cancelled counts as done. */
export function tabOf(state: TaskSummary['state'] | Upload['state']): Exclude<Tab, 'all'> {
  if (state === 'failed') return 'failed';
  if (state === 'done' || state === 'cancelled' || state === 'skipped') return 'done';
  return 'active';
}

function ActionButton({
  label,
  onClick,
  children,
}: {
  label: string;
  onClick: () => void;
  children: React.ReactNode;
}) {
  return (
    <button type="button" className="icon-button" aria-label={label} title={label} onClick={onClick}>
      {children}
    </button>
  );
}

const TransferRow = memo(function TransferRow({ id }: { id: string }) {
  const t = useT();
  const task = useTransfers((s) => s.byId[id]);
  const destName = useAccounts((s) => s.profiles.find((p) => p.id === task?.destination.profileId)?.name);
  if (!task) return null;
  const { act, remove } = useTransfers.getState();
  const name = baseName(task.source.key);
  const finalName = baseName(task.destination.key);
  const live = task.state === 'running' || task.state === 'queued' || task.state === 'paused';
  return (
    <ProgressRow
      name={name}
      verb={task.move ? t('transfer.moving') : t('transfer.copying')}
      title={task.source.key}
      destination={`${destName ?? task.destination.profileId}: ${task.destination.bucket}/${parentOf(task.destination.key)}`}
      savedAs={task.kind === 'object' && finalName !== name ? finalName : undefined}
      state={task.state}
      percent={progressPercent(task)}
      facts={progressFacts(task)}
      badges={
        <>
          {task.resumedAfterRestart ? <span className="badge resumed">{t('transfer.resumed')}</span> : null}
          {task.state === 'paused' && task.credentialsExpired ? (
            <CredentialsExpiredBadge expired={task.credentialsExpired} />
          ) : null}
        </>
      }
      error={task.error}
      actions={
        <>
          {task.state === 'running' || task.state === 'queued' ? (
            <ActionButton label={t('transfer.pauseNamed', { name })} onClick={() => void act('pause', id)}>
              <Pause size={14} aria-hidden="true" />
            </ActionButton>
          ) : null}
          {task.state === 'paused' ? (
            <ActionButton label={t('transfer.resumeNamed', { name })} onClick={() => void act('resume', id)}>
              <Play size={14} aria-hidden="true" />
            </ActionButton>
          ) : null}
          {live ? (
            <ActionButton label={t('transfer.cancelNamed', { name })} onClick={() => void act('cancel', id)}>
              <X size={14} aria-hidden="true" />
            </ActionButton>
          ) : null}
          {task.state === 'failed' || task.state === 'cancelled' ? (
            <ActionButton label={t('transfer.retryNamed', { name })} onClick={() => void act('retry', id)}>
              <RotateCcw size={14} aria-hidden="true" />
            </ActionButton>
          ) : null}
          <ActionButton label={t('transfer.showNamed', { name })} onClick={() => showInBrowser(task)}>
            <Eye size={14} aria-hidden="true" />
          </ActionButton>
          {!live ? (
            <ActionButton label={t('transfer.removeNamed', { name })} onClick={() => void remove(id)}>
              <Trash2 size={14} aria-hidden="true" />
            </ActionButton>
          ) : null}
        </>
      }
    />
  );
});

/** A desktop file on its way up: not a copy task, so no pause or resume — progress, the outcome, remove. */
const UploadRow = memo(function UploadRow({ id }: { id: string }) {
  const t = useT();
  const up = useUploads((s) => s.byId[id]);
  const destName = useAccounts((s) => s.profiles.find((p) => p.id === up?.destination.profileId)?.name);
  if (!up) return null;
  const input = {
    kind: 'object' as const,
    // A skipped file is finished as far as progress goes; its row says what happened.
    state: up.state === 'skipped' ? ('done' as const) : up.state,
    progress: {
      bytesDone: up.bytesDone,
      bytesTotal: up.bytesTotal,
      objectsDone: 0,
      objectsTotal: 1,
      totalKnown: true,
    },
    createdAt: up.startedAt,
    finishedAt: up.finishedAt,
  };
  return (
    <ProgressRow
      name={up.name}
      verb={t('transfer.uploading')}
      title={up.key}
      destination={`${destName ?? up.destination.profileId}: ${up.destination.bucket}/${up.destination.prefix}`}
      state={up.state}
      percent={progressPercent(input)}
      facts={progressFacts(input)}
      error={up.error}
      actions={
        up.state === 'done' || up.state === 'failed' || up.state === 'skipped' ? (
          <ActionButton
            label={t('transfer.removeNamed', { name: up.name })}
            onClick={() => useUploads.getState().remove(id)}
          >
            <Trash2 size={14} aria-hidden="true" />
          </ActionButton>
        ) : null
      }
    />
  );
});

const MIN_HEIGHT = 90;
const STEP = 24;

/** The top edge of the panel: drag it, or focus it and use the arrow keys. */
function HeightHandle({ height, setHeight }: { height: number | null; setHeight: (h: number) => void }) {
  const t = useT();
  const clamp = (h: number) => Math.round(Math.max(MIN_HEIGHT, Math.min(window.innerHeight * 0.75, h)));
  const current = (el: HTMLElement) => height ?? el.parentElement!.getBoundingClientRect().height;
  const onPointerDown = (e: ReactPointerEvent<HTMLDivElement>) => {
    e.preventDefault();
    const target = e.currentTarget;
    const startY = e.clientY;
    const start = current(target);
    target.setPointerCapture(e.pointerId);
    const move = (ev: PointerEvent) => setHeight(clamp(start + (startY - ev.clientY)));
    const up = () => {
      target.removeEventListener('pointermove', move);
      target.removeEventListener('pointerup', up);
    };
    target.addEventListener('pointermove', move);
    target.addEventListener('pointerup', up);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const h = current(e.currentTarget);
    if (e.key === 'ArrowUp') setHeight(clamp(h + STEP));
    else if (e.key === 'ArrowDown') setHeight(clamp(h - STEP));
    else return;
    e.preventDefault();
  };
  return (
    <div
      role="separator"
      aria-orientation="horizontal"
      aria-label={t('transfers.resize')}
      aria-valuenow={height ?? undefined}
      tabIndex={0}
      className="transfers-resizer"
      onPointerDown={onPointerDown}
      onKeyDown={onKeyDown}
    />
  );
}

export function TransfersPanel() {
  const t = useT();
  const [tab, setTab] = useState<Tab>('all');
  const [height, setHeight] = useState<number | null>(null);
  const tabRefs = useRef<Record<Tab, HTMLButtonElement | null>>({
    all: null,
    active: null,
    failed: null,
    done: null,
  });
  const order = useTransfers((s) => s.order);
  const error = useTransfers((s) => s.error);
  const byTab = useTransfers((s) => s.order.map((id) => tabOf(s.byId[id]!.state)).join(','));
  const paused = useTransfers((s) => s.order.some((id) => s.byId[id]!.state === 'paused'));
  const uploads = useUploads((s) => s.order);
  const uploadTabs = useUploads((s) => s.order.map((id) => tabOf(s.byId[id]!.state)).join(','));
  const { actAll } = useTransfers.getState();
  const taskTabs = byTab ? byTab.split(',') : [];
  const upTabs = uploadTabs ? uploadTabs.split(',') : [];
  const count = (which: Tab) =>
    which === 'all'
      ? taskTabs.length + upTabs.length
      : taskTabs.filter((x) => x === which).length + upTabs.filter((x) => x === which).length;
  const shownTasks = tab === 'all' ? order : order.filter((_, i) => taskTabs[i] === tab);
  const shownUploads = tab === 'all' ? uploads : uploads.filter((_, i) => upTabs[i] === tab);
  const active = taskTabs.filter((x) => x === 'active').length;
  const finished = taskTabs.filter((x) => x === 'done').length;
  const uploadsFinished = upTabs.includes('done');

  const onTabKey = (e: KeyboardEvent) => {
    const at = TABS.indexOf(tab);
    const to =
      e.key === 'ArrowRight'
        ? (at + 1) % TABS.length
        : e.key === 'ArrowLeft'
          ? (at + TABS.length - 1) % TABS.length
          : e.key === 'Home'
            ? 0
            : e.key === 'End'
              ? TABS.length - 1
              : -1;
    if (to < 0) return;
    e.preventDefault();
    setTab(TABS[to]!);
    tabRefs.current[TABS[to]!]?.focus();
  };

  return (
    <section
      className="transfers"
      aria-label={t('transfers.label')}
      style={height === null ? undefined : { height, maxHeight: 'none' }}
    >
      <HeightHandle height={height} setHeight={setHeight} />
      <div className="transfers-head">
        <h2>{t('transfers.label')}</h2>
        <div role="tablist" aria-label={t('transfers.tabs')} className="tabs" onKeyDown={onTabKey}>
          {TABS.map((which) => (
            <button
              key={which}
              ref={(el) => {
                tabRefs.current[which] = el;
              }}
              type="button"
              role="tab"
              id={`transfers-tab-${which}`}
              aria-selected={tab === which}
              aria-controls="transfers-tabpanel"
              tabIndex={tab === which ? 0 : -1}
              className="tab"
              onClick={() => setTab(which)}
            >
              {t(`transfers.tab.${which}` as MessageKey)} <span className="tab-count">{count(which)}</span>
            </button>
          ))}
        </div>
        <span className="muted transfers-summary">{t('transfers.summary', { active, finished })}</span>
        <span className="spacer" />
        <button type="button" onClick={() => void actAll('pauseAll')} disabled={active === 0}>
          {t('transfers.pauseAll')}
        </button>
        <button type="button" onClick={() => void actAll('resumeAll')} disabled={!paused}>
          {t('transfers.resumeAll')}
        </button>
        <button
          type="button"
          onClick={() => {
            useUploads.getState().clearFinished();
            void actAll('clearFinished');
          }}
          disabled={finished === 0 && !uploadsFinished}
          title={t('transfers.clearFinishedHint')}
        >
          {t('transfers.clearFinished')}
        </button>
      </div>
      {error ? <ErrorMessage error={error} /> : null}
      <div
        role="tabpanel"
        id="transfers-tabpanel"
        aria-labelledby={`transfers-tab-${tab}`}
        className="transfers-body"
      >
        {order.length === 0 && uploads.length === 0 ? (
          <p className="muted empty">{t('transfers.empty')}</p>
        ) : shownTasks.length === 0 && shownUploads.length === 0 ? (
          <p className="muted empty">{t(`transfers.none.${tab}` as MessageKey)}</p>
        ) : null}
        <ul className="transfer-list">
          {shownUploads.map((id) => (
            <UploadRow key={id} id={id} />
          ))}
          {shownTasks.map((id) => (
            <TransferRow key={id} id={id} />
          ))}
        </ul>
      </div>
    </section>
  );
}
