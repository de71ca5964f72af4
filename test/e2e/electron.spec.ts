/**
 * The real Electron host, driven by Playwright's `_electron`. It needs the Electron binary, which
 * Electron's install script downloads from the internet; where it is missing (as on the build
 * machines) the test skips and says why. The same renderer and services are covered through the web
 * host by the other specs, and the window's security settings by test/unit/electron-security.test.ts.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';

const ROOT = path.join(__dirname, '..', '..');

function electronBinary(): string | undefined {
  try {
    const binary = createRequire(__filename)('electron') as unknown;
    return typeof binary === 'string' && existsSync(binary) ? binary : undefined;
  } catch {
    return undefined;
  }
}

test('the Electron host opens one hardened window on the Local buckets', async () => {
  const binary = electronBinary();
  if (!binary) {
    const reason =
      'the Electron binary is not installed (its download needs the internet); the web host specs cover the same renderer and services';
    console.log(`skipped: ${reason}`);
    test.skip(true, reason);
    return;
  }
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ferry-electron-'));
  const app = await electron.launch({
    executablePath: binary,
    args: [path.join(ROOT, 'dist', 'main', 'index.js'), '--data-dir', dataDir],
    cwd: ROOT,
  });
  try {
    const page = await app.firstWindow();
    await expect(page.getByRole('complementary', { name: 'Accounts' })).toBeVisible();
    await expect(page.getByRole('option', { name: 'sample-photos', exact: true }).first()).toBeVisible();
    expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
    // The page sees the contract's bridge and nothing of Node.
    expect(await page.evaluate(() => typeof (window as unknown as { ferry?: unknown }).ferry)).toBe('object');
    expect(await page.evaluate(() => typeof (globalThis as unknown as { require?: unknown }).require)).toBe(
      'undefined',
    );
    const info = await page.evaluate(() =>
      (window as unknown as { ferry: { invoke(n: string, a?: unknown): Promise<unknown> } }).ferry.invoke(
        'host.info',
      ),
    );
    expect(info).toMatchObject({ ok: true, result: { kind: 'electron' } });
  } finally {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
