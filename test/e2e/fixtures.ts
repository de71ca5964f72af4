/**
 * Test fixtures: every test gets its own temp data folder and its own web host process
 * (`node dist/main/web.js --port 0 --data-dir DIR --no-open`), and a page opened on its URL. A test
 * can prepare the data folder before the host starts (`test.use({ prepareDataDir: { run } })`) and can kill
 * and restart the host on the same folder.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test as base, expect, type Locator, type Page } from '@playwright/test';

const ROOT = path.join(__dirname, '..', '..');
const READY = /^Ferry web host: (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)$/m;

export interface HostProcess {
  url: string;
  child: ChildProcess;
  /** Everything the host wrote on stderr, for failure messages. */
  stderr(): string;
}

export async function startHost(dataDir: string, env: NodeJS.ProcessEnv = {}): Promise<HostProcess> {
  const child = spawn(
    process.execPath,
    [path.join(ROOT, 'dist', 'main', 'web.js'), '--port', '0', '--data-dir', dataDir, '--no-open'],
    {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the web host did not start in 30 s\n${err}`)), 30_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = READY.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the web host exited with ${code}\n${err}`));
    });
  });
  return { url, child, stderr: () => err };
}

export async function stopHost(host: HostProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (host.child.exitCode !== null || host.child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => host.child.once('exit', () => resolve()));
  host.child.kill(signal);
  const timer = setTimeout(() => host.child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

export interface Ferry {
  dataDir: string;
  host: HostProcess;
  /** Kills the host (SIGKILL unless told otherwise) and starts a new one on the same data folder. */
  restart(signal?: NodeJS.Signals): Promise<HostProcess>;
}

/** Wrapped in an object: Playwright would take a bare function option for a fixture. */
export interface DataDirSetup {
  run(dataDir: string): void | Promise<void>;
}

type Fixtures = {
  prepareDataDir: DataDirSetup | null;
  hostEnv: NodeJS.ProcessEnv;
  ferry: Ferry;
  app: Page;
};

export const test = base.extend<Fixtures>({
  prepareDataDir: [null, { option: true }],
  hostEnv: [{}, { option: true }],

  ferry: async ({ prepareDataDir, hostEnv }, use) => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ferry-e2e-'));
    await prepareDataDir?.run(dataDir);
    const ferry: Ferry = {
      dataDir,
      host: await startHost(dataDir, hostEnv),
      async restart(signal = 'SIGKILL') {
        await stopHost(ferry.host, signal);
        ferry.host = await startHost(dataDir, hostEnv);
        return ferry.host;
      },
    };
    try {
      await use(ferry);
    } finally {
      await stopHost(ferry.host);
      rmSync(dataDir, { recursive: true, force: true });
    }
  },

  app: async ({ page, ferry }, use) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto(ferry.host.url);
    // Both panes open on the Local account's buckets.
    await expect(row(pane(page, 'left'), 'sample-photos')).toBeVisible();
    await use(page);
    // A CSP violation or an uncaught exception is a bug even when the assertions passed.
    expect(
      errors.filter((e) => !e.includes('WebSocket')),
      'errors in the page',
    ).toEqual([]);
  },
});

export { expect };

export function pane(page: Page, side: 'left' | 'right'): Locator {
  return page.getByRole('region', { name: side === 'left' ? 'Left pane' : 'Right pane' });
}

/** The pane's listing (a listbox); the toolbar's sort <select> has options too, so rows are scoped here. */
export function listing(scope: Locator): Locator {
  return scope.getByRole('listbox', { name: 'Items' });
}

export function row(scope: Locator, name: string): Locator {
  return listing(scope).getByRole('option', { name, exact: true });
}

/** The names of the rows the listing renders, in order. */
export function rowNames(scope: Locator): Promise<(string | null)[]> {
  return listing(scope)
    .getByRole('option')
    .evaluateAll((rows) => rows.map((r) => r.getAttribute('aria-label')));
}

export function transfers(page: Page): Locator {
  return page.getByRole('region', { name: 'Transfers' });
}

/** One task in the transfers panel, by the name of what it copies (folders end with "/"). */
export function transfer(page: Page, name: string): Locator {
  return transfers(page).getByRole('listitem', { name, exact: true });
}

/**
 * Records every value each progress bar shows, from now on, in the page: a MutationObserver sees
 * every render, so a test can assert the bar moved through intermediate values without timing anything.
 */
export async function recordProgress(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __progress?: Record<string, number[]> };
    w.__progress = {};
    const record = () => {
      for (const bar of document.querySelectorAll('[role="progressbar"]')) {
        const name = bar.getAttribute('aria-label') ?? '';
        const value = Number(bar.getAttribute('aria-valuenow'));
        const seen = (w.__progress![name] ??= []);
        if (seen.at(-1) !== value) seen.push(value);
      }
    };
    record();
    new MutationObserver(record).observe(document.body, {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ['aria-valuenow'],
    });
  });
}

export async function progressSeen(page: Page, barName: string): Promise<number[]> {
  return page.evaluate(
    (name) => (window as unknown as { __progress?: Record<string, number[]> }).__progress?.[name] ?? [],
    barName,
  );
}

/** Opens a path in a pane by double-clicking each row in turn (folders are named with a trailing "/"). */
export async function openPath(page: Page, side: 'left' | 'right', segments: string[]): Promise<void> {
  const p = pane(page, side);
  for (const segment of segments) {
    await row(p, segment).dblclick();
    await expect(
      p
        .getByRole('navigation', { name: 'Path' })
        .getByRole('button', { name: segment.replace(/\/$/, ''), exact: true }),
    ).toBeVisible();
  }
}

/**
 * Roles that must always carry a name; an unnamed one shows in the snapshot as a bare "- role",
 * perhaps with states ("[checked]") or a colon before its children ("- combobox:").
 */
const UNNAMED =
  /^\s*- (button|link|textbox|searchbox|combobox|checkbox|radio|spinbutton|listbox|progressbar|slider)(\s*\[[^\]]*\])*:?\s*$/m;

export async function expectEveryControlNamed(page: Page): Promise<void> {
  const snapshot = await page.locator('body').ariaSnapshot();
  expect(snapshot.match(UNNAMED)?.[0] ?? null, 'an unnamed control').toBeNull();
}

/** Runs one of an account's actions from its "…" menu in the sidebar (the item's name, e.g. "Edit RGW"). */
export async function accountAction(page: Page, account: string, item: string): Promise<void> {
  const sidebar = page.getByRole('complementary', { name: 'Accounts' });
  await sidebar.getByRole('button', { name: `Actions for ${account}`, exact: true }).click();
  await sidebar.getByRole('menu').getByRole('menuitem', { name: item, exact: true }).click();
}
