/**
 * One compact line per transfer, the same for copy tasks and desktop uploads: what, where to, a
 * small bar, the facts, the state, and the actions (shown on hover and on keyboard focus).
 */
import {
  CircleMinus,
  ArrowRight,
  CircleAlert,
  CircleCheck,
  CircleDashed,
  CirclePause,
  CircleX,
  LoaderCircle,
} from 'lucide-react';
import type { ReactNode } from 'react';
import type { ContractError } from '../../../preload/shared/contract';
import { formatBytes, formatCount, formatDuration, useT, type MessageKey, type Translate } from '../../i18n';
import { useLanguage } from '../../stores/settings';
import { ErrorMessage } from '../ErrorMessage';
import type { Fact } from './progress-view';

/** `skipped`: a desktop file whose name existed, left as it was by the chosen conflict policy. */
export type RowState = 'queued' | 'running' | 'paused' | 'done' | 'failed' | 'cancelled' | 'skipped';

const STATE_ICONS = {
  queued: CircleDashed,
  running: LoaderCircle,
  paused: CirclePause,
  done: CircleCheck,
  failed: CircleAlert,
  cancelled: CircleX,
  skipped: CircleMinus,
} as const;

function factText(fact: Fact, t: Translate, language: string): string {
  const n = (x: number) => formatCount(x, language);
  switch (fact.kind) {
    case 'counting':
      return t('transfer.counting', { count: n(fact.objects), bytes: formatBytes(fact.bytes) });
    case 'objects':
      return t('transfer.objectsOf', { done: n(fact.done), total: n(fact.total) });
    case 'bytes':
      return `${fact.estimated ? t('transfer.estimated') + ' ' : ''}${formatBytes(fact.done)} / ${formatBytes(fact.total)}`;
    case 'rate':
      return `${formatBytes(fact.bytesPerSecond)}/s`;
    case 'eta':
      return t('transfer.left', { eta: formatDuration(fact.seconds) });
    case 'parts':
      return fact.inFlight > 0
        ? t('transfer.partsInFlight', {
            done: n(fact.done),
            total: n(fact.total),
            inFlight: n(fact.inFlight),
          })
        : t('transfer.parts', { done: n(fact.done), total: n(fact.total) });
    case 'finished': {
      const at = new Date(fact.at).toLocaleTimeString(language, {
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
      });
      const speed = fact.averageRate === null ? '' : ` · ${formatBytes(fact.averageRate)}/s`;
      return `${t('transfer.took', { bytes: formatBytes(fact.bytes), duration: formatDuration(fact.seconds) })}${speed} · ${t('transfer.finishedAt', { time: at })}`;
    }
  }
}

interface Props {
  /** The accessible name of the row: the source's name (folders end with "/"). */
  name: string;
  verb: string;
  title: string;
  destination: string;
  /** Shown when the object got another name than its source (keep-both). */
  savedAs?: string;
  state: RowState;
  percent: number | null;
  facts: Fact[];
  badges?: ReactNode;
  actions?: ReactNode;
  error?: Pick<ContractError, 'code' | 'message' | 'requestId'>;
}

export function ProgressRow({
  name,
  verb,
  title,
  destination,
  savedAs,
  state,
  percent,
  facts,
  badges,
  actions,
  error,
}: Props) {
  const t = useT();
  const language = useLanguage();
  const Icon = STATE_ICONS[state];
  const stats = facts.map((f) => factText(f, t, language)).join(' · ');
  return (
    <li className={`transfer state-${state}`} aria-label={name}>
      <div className="transfer-line">
        <Icon size={15} className={`state-icon state-${state}`} aria-hidden="true" />
        <span className="transfer-what" title={title}>
          <span className="transfer-verb">{verb}</span> <span className="transfer-name">{name}</span>
          {savedAs ? (
            <span className="transfer-saved-as"> {t('transfer.savedAs', { name: savedAs })}</span>
          ) : null}
        </span>
        <span className="transfer-dest" title={destination}>
          <ArrowRight size={12} aria-hidden="true" /> {destination}
        </span>
        <div
          role="progressbar"
          aria-label={t('transfer.progressOf', { name })}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={percent ?? undefined}
          aria-valuetext={percent === null ? t('transfer.countingShort') : `${percent}%`}
          className={`progress${percent === null ? ' indeterminate' : ''}`}
        >
          <div className="progress-fill" style={percent === null ? undefined : { width: `${percent}%` }} />
        </div>
        <span className="transfer-stats" title={stats}>
          {stats}
        </span>
        <span className={`badge state-${state}`}>{t(`state.${state}` as MessageKey)}</span>
        {badges}
        <span className="transfer-actions">{actions}</span>
      </div>
      {state === 'failed' && error ? <ErrorMessage error={error} /> : null}
    </li>
  );
}
