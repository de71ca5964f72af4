/**
 * Where Ferry keeps its state: profiles, settings, logs, checkpoints and the Local provider's buckets.
 * The same folder serves the Electron host, the web host and the CLI, so a task started in one can be
 * resumed by another.
 */
import { mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface DataDirLayout {
  root: string;
  local: string;
  /** The computer provider's own state (metadata sidecars, parts of uploads to the disk). */
  computer: string;
  checkpoints: string;
  logs: string;
  profiles: string;
  settings: string;
  secrets: string;
}

/** The default used when neither `--data-dir` nor `FERRY_DATA_DIR` is given (Electron uses `userData`). */
export function defaultDataDir(): string {
  const home = os.homedir();
  if (process.platform === 'win32')
    return path.join(process.env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Ferry');
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Ferry');
  return path.join(process.env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'Ferry');
}

/** `--data-dir` wins over `FERRY_DATA_DIR`, which wins over the platform default. */
export function resolveDataDir(flag: string | undefined, fallback = defaultDataDir()): string {
  const chosen = flag ?? process.env.FERRY_DATA_DIR ?? fallback;
  if (chosen.includes('\0')) throw new Error('the data folder path contains a NUL byte');
  return path.resolve(chosen);
}

export function layoutOf(root: string): DataDirLayout {
  return {
    root,
    local: path.join(root, 'local'),
    computer: path.join(root, 'computer'),
    checkpoints: path.join(root, 'checkpoints'),
    logs: path.join(root, 'logs'),
    profiles: path.join(root, 'profiles.json'),
    settings: path.join(root, 'settings.json'),
    secrets: path.join(root, 'secrets'),
  };
}

export function prepareDataDir(root: string): DataDirLayout {
  const layout = layoutOf(root);
  for (const dir of [layout.root, layout.local, layout.checkpoints, layout.logs, layout.secrets]) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  }
  return layout;
}
