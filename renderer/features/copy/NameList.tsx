/** The names a dialog is about, the first few in full and the rest counted. */
import { useT } from '../../i18n';

const SHOWN = 8;

export function NameList({ names }: { names: string[] }) {
  const t = useT();
  return (
    <ul className="name-list">
      {names.slice(0, SHOWN).map((n) => (
        <li key={n}>{n}</li>
      ))}
      {names.length > SHOWN ? (
        <li className="muted">{t('names.more', { count: names.length - SHOWN })}</li>
      ) : null}
    </ul>
  );
}
