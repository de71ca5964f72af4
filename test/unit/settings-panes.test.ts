/** Where the panes were is kept in settings.json; a stale or broken entry never costs the other settings. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { SettingsStore } from '../../main/core/settings';

test('pane places round-trip through the settings file', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ferry-settings-'));
  try {
    const file = path.join(dir, 'settings.json');
    const panes = {
      left: { profileId: 'local', bucket: 'sample-photos', prefix: '2024/', sortBy: 'size' as const },
      right: { prefix: '' },
    };
    await new SettingsStore(file).set({ panes });
    assert.deepEqual(new SettingsStore(file).get().panes, panes);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an invalid saved pane is dropped, and the copy settings beside it are kept', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ferry-settings-'));
  try {
    const file = path.join(dir, 'settings.json');
    writeFileSync(
      file,
      JSON.stringify({
        partsInFlight: 3,
        panes: { left: { bucket: 'Not A Bucket!', prefix: '' }, right: {} },
      }),
    );
    const settings = new SettingsStore(file).get();
    assert.equal(settings.partsInFlight, 3);
    assert.equal(settings.panes, undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
