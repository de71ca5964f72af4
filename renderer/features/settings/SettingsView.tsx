/** Settings: concurrency, multipart threshold and part size, language and theme, how copies ask. */
import { useState, type FormEvent } from 'react';
import type { ConflictPolicy, Settings } from '../../../preload/shared/contract';
import { useT } from '../../i18n';
import { useSettings } from '../../stores/settings';
import { useUi } from '../../stores/ui';
import { CONFLICTS } from '../copy/CopyDialog';
import { ErrorMessage } from '../ErrorMessage';

const MiB = 1024 * 1024;

function SettingsForm({ settings }: { settings: Settings }) {
  const t = useT();
  const error = useSettings((s) => s.error);
  const [objects, setObjects] = useState(settings.objectsInFlight);
  const [parts, setParts] = useState(settings.partsInFlight);
  const [threshold, setThreshold] = useState(settings.multipartThreshold / MiB);
  const [partSize, setPartSize] = useState(settings.partSize / MiB);
  const [saved, setSaved] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const ok = await useSettings.getState().save({
      objectsInFlight: objects,
      partsInFlight: parts,
      multipartThreshold: Math.round(threshold * MiB),
      partSize: Math.round(partSize * MiB),
    });
    setSaved(ok);
  };

  return (
    <form className="form settings-form" onSubmit={(e) => void submit(e)} onChange={() => setSaved(false)}>
      <fieldset>
        <legend>{t('settings.transfers')}</legend>
        <label>
          {t('settings.objectsInFlight')}
          <input
            type="number"
            min={1}
            max={256}
            required
            value={objects}
            onChange={(e) => setObjects(Number(e.target.value))}
          />
        </label>
        <label>
          {t('settings.partsInFlight')}
          <input
            type="number"
            min={1}
            max={64}
            required
            value={parts}
            onChange={(e) => setParts(Number(e.target.value))}
          />
        </label>
        <label>
          {t('settings.multipartThreshold')}
          <input
            type="number"
            min={0.1}
            max={5120}
            step="any"
            required
            value={threshold}
            onChange={(e) => setThreshold(Number(e.target.value))}
          />
        </label>
        <label>
          {t('settings.partSize')}
          <input
            type="number"
            min={0.1}
            max={5120}
            step="any"
            required
            value={partSize}
            onChange={(e) => setPartSize(Number(e.target.value))}
          />
        </label>
        <div className="buttons">
          <button type="submit" className="primary">
            {t('action.save')}
          </button>
        </div>
        {saved ? <p role="status">{t('settings.saved')}</p> : null}
        {error ? <ErrorMessage error={error} /> : null}
      </fieldset>
    </form>
  );
}

export function SettingsView() {
  const t = useT();
  const settings = useSettings((s) => s.settings);
  const setView = useUi((s) => s.setView);
  const save = useSettings((s) => s.save);
  if (!settings) return <p role="status">{t('list.loading')}</p>;
  return (
    <section className="page" aria-label={t('settings.title')}>
      <div className="page-head">
        <h2>{t('settings.title')}</h2>
        <button type="button" onClick={() => setView('browser')}>
          {t('action.close')}
        </button>
      </div>
      <div className="form">
        <fieldset>
          <legend>{t('settings.appearance')}</legend>
          {/* Language and theme apply at once: they are cheap and the user wants to see the effect. */}
          <label>
            {t('settings.language')}
            <select
              value={settings.language}
              onChange={(e) => void save({ language: e.target.value as Settings['language'] })}
            >
              <option value="system">{t('settings.followSystem')}</option>
              <option value="en">English</option>
              <option value="zh-CN">简体中文</option>
            </select>
          </label>
          <label>
            {t('settings.theme')}
            <select
              value={settings.theme}
              onChange={(e) => void save({ theme: e.target.value as Settings['theme'] })}
            >
              <option value="system">{t('settings.followSystem')}</option>
              <option value="light">{t('settings.light')}</option>
              <option value="dark">{t('settings.dark')}</option>
            </select>
          </label>
        </fieldset>
        <fieldset>
          <legend>{t('settings.copies')}</legend>
          {/* Applied at once, like the appearance: a choice about dialogs should not need a Save. */}
          <label>
            {t('settings.defaultConflict')}
            <select
              value={settings.defaultConflict}
              onChange={(e) => void save({ defaultConflict: e.target.value as ConflictPolicy })}
            >
              {CONFLICTS.map((c) => (
                <option key={c} value={c}>
                  {t(`conflict.${c}`)}
                </option>
              ))}
            </select>
          </label>
          <label className="check">
            <input
              type="checkbox"
              checked={settings.confirmSimpleCopies}
              onChange={(e) => void save({ confirmSimpleCopies: e.target.checked })}
            />
            {t('settings.confirmSimpleCopies')}
          </label>
        </fieldset>
      </div>
      <SettingsForm settings={settings} />
      <h3>{t('settings.shortcuts')}</h3>
      <dl className="shortcuts">
        {(
          [
            ['Up / Down, Shift+Up / Down', 'shortcut.move'],
            ['Home / End / Page Up / Page Down', 'shortcut.jump'],
            ['a–z, 0–9', 'shortcut.typeAhead'],
            ['Space / Ctrl+click', 'shortcut.toggle'],
            ['Ctrl/⌘+A', 'shortcut.selectAll'],
            ['Enter', 'shortcut.open'],
            ['Backspace', 'shortcut.up'],
            ['Alt+Left / Alt+Right', 'shortcut.history'],
            ['Ctrl/⌘+C, Ctrl/⌘+V', 'shortcut.copyPaste'],
            ['Ctrl/⌘+X, Ctrl/⌘+V', 'shortcut.cutPaste'],
            ['F5', 'shortcut.copyOther'],
            ['Delete', 'shortcut.delete'],
            ['Tab / Shift+Tab, F6', 'shortcut.switchPane'],
            ['Ctrl/⌘+L, F4', 'shortcut.address'],
          ] as const
        ).map(([keys, what]) => (
          <div key={what} className="field">
            <dt>
              <kbd>{keys}</kbd>
            </dt>
            <dd>{t(what)}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
