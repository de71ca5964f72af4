/**
 * The log: recent lines, then live `log.line` events, newest at the bottom. Filter by level (at least
 * that severe) and by text (message, task id or request id); the task and request ids are columns, so
 * a failure in the transfers panel can be found here; and the file the lines are written to is named.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { LogLine } from '../../../preload/shared/contract';
import { call } from '../../api';
import { useT, type MessageKey } from '../../i18n';
import { useLogs } from '../../stores/logs';
import { useUi } from '../../stores/ui';
import { formatLogTime } from './log-time';

type Level = LogLine['level'];
const SEVERITY: Record<Level, number> = { debug: 0, info: 1, warn: 2, error: 3 };
const LEVEL_CHOICES: [Level, MessageKey][] = [
  ['debug', 'logs.levelAll'],
  ['info', 'logs.levelInfo'],
  ['warn', 'logs.levelWarn'],
  ['error', 'logs.levelError'],
];

export function matches(line: LogLine, minLevel: Level, search: string): boolean {
  if (SEVERITY[line.level] < SEVERITY[minLevel]) return false;
  if (!search) return true;
  const needle = search.toLowerCase();
  return [line.message, line.taskId, line.requestId].some((f) => f?.toLowerCase().includes(needle));
}

export function LogView() {
  const t = useT();
  const lines = useLogs((s) => s.lines);
  const setView = useUi((s) => s.setView);
  const endRef = useRef<HTMLDivElement>(null);
  const [minLevel, setMinLevel] = useState<Level>('debug');
  const [search, setSearch] = useState('');
  const [logFile, setLogFile] = useState<string | null>(null);
  const shown = useMemo(
    () => lines.filter((l) => matches(l, minLevel, search.trim())),
    [lines, minLevel, search],
  );

  useEffect(() => {
    void useLogs.getState().load();
    let current = true;
    call('host.info', undefined)
      .then((info) => {
        if (current) setLogFile(info.logFile);
      })
      .catch(() => undefined);
    return () => {
      current = false;
    };
  }, []);
  useEffect(() => {
    endRef.current?.scrollIntoView({ block: 'end' });
  }, [shown.length]);

  return (
    <section className="page log-page" aria-label={t('logs.title')}>
      <div className="page-head">
        <h2>{t('logs.title')}</h2>
        <button type="button" onClick={() => setView('browser')}>
          {t('action.close')}
        </button>
      </div>
      {logFile ? (
        <p className="log-file">
          {t('logs.file')} <code aria-label={t('logs.file')}>{logFile}</code>
        </p>
      ) : null}
      <div className="log-filters" role="search">
        <label>
          {t('logs.level')}
          <select value={minLevel} onChange={(e) => setMinLevel(e.target.value as Level)}>
            {LEVEL_CHOICES.map(([level, key]) => (
              <option key={level} value={level}>
                {t(key)}
              </option>
            ))}
          </select>
        </label>
        <input
          type="search"
          aria-label={t('logs.search')}
          placeholder={t('logs.search')}
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
        <span className="muted" aria-live="polite">
          {t('logs.shown', { shown: shown.length, total: lines.length })}
        </span>
      </div>
      <div role="log" aria-label={t('logs.title')} className="log">
        <table aria-label={t('logs.lines')}>
          <thead>
            <tr>
              <th scope="col">{t('logs.time')}</th>
              <th scope="col">{t('logs.level')}</th>
              <th scope="col">{t('logs.message')}</th>
              <th scope="col">{t('logs.task')}</th>
              <th scope="col">{t('logs.request')}</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((line, i) => (
              <tr key={i} className={`log-line level-${line.level}`}>
                <td className="time">
                  <time dateTime={line.time} title={line.time}>
                    {formatLogTime(line.time)}
                  </time>
                </td>
                <td className="level">{line.level}</td>
                <td className="message">{line.message}</td>
                <td className="id">{line.taskId ?? ''}</td>
                <td className="id">{line.requestId ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {shown.length === 0 && lines.length > 0 ? <p className="muted">{t('logs.noMatch')}</p> : null}
        <div ref={endRef} />
      </div>
    </section>
  );
}
