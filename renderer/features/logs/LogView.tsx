/** The log: recent lines, then live `log.line` events, newest at the bottom. */
import { useEffect, useRef } from 'react';
import { useT } from '../../i18n';
import { useLogs } from '../../stores/logs';
import { useUi } from '../../stores/ui';

export function LogView() {
  const t = useT();
  const lines = useLogs((s) => s.lines);
  const setView = useUi((s) => s.setView);
  const endRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    void useLogs.getState().load();
  }, []);
  useEffect(() => {
    endRef.current?.scrollIntoView({ block: 'end' });
  }, [lines.length]);

  return (
    <section className="page" aria-label={t('logs.title')}>
      <div className="page-head">
        <h2>{t('logs.title')}</h2>
        <button type="button" onClick={() => setView('browser')}>
          {t('action.close')}
        </button>
      </div>
      <div role="log" aria-label={t('logs.title')} className="log">
        {lines.map((line, i) => (
          <div key={i} className={`log-line level-${line.level}`}>
            <time>{line.time}</time> <span className="level">{line.level}</span> {line.message}
            {line.requestId ? (
              <span className="muted"> [{t('error.requestId', { id: line.requestId })}]</span>
            ) : null}
          </div>
        ))}
        <div ref={endRef} />
      </div>
    </section>
  );
}
