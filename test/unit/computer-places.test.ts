/**
 * The places "This computer" offers: the platform folders (XDG user dirs on Linux, Explorer's known
 * folders on Windows, fixed names on macOS; only those that exist), pinned folders kept in the
 * settings, and the roots.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import {
  computerPlaces,
  pinFolder,
  resolveDroppedPaths,
  unpinFolder,
} from '../../main/app/computer-locations';
import { DEFAULT_SETTINGS } from '../../main/core/settings';
import { ComputerStore } from '../../main/storage/computer/computer-store';
import {
  knownFolderCandidates,
  knownFolders,
  parseWindowsShellFolders,
  parseXdgUserDirs,
} from '../../main/storage/computer/known-folders';
import { StorageError } from '../../main/storage/errors';
import type { Settings } from '../../preload/shared/contract';

const work = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'ferry-places-')));
after(() => rmSync(work, { recursive: true, force: true }));

test('XDG user dirs: $HOME paths, absolute paths, escapes and comments; "$HOME/" alone means none', () => {
  const text = [
    '# This file is written by xdg-user-dirs-update',
    'XDG_DESKTOP_DIR="$HOME/Bureau"',
    'XDG_DOWNLOAD_DIR="$HOME/Téléchargements"',
    'XDG_DOCUMENTS_DIR="/data/ana/Docs \\"2024\\""',
    'XDG_MUSIC_DIR="$HOME/Musique"',
    'XDG_TEMPLATES_DIR="$HOME/"',
    'not a line',
  ].join('\n');
  assert.deepEqual(parseXdgUserDirs(text, '/home/ana'), {
    desktop: '/home/ana/Bureau',
    downloads: '/home/ana/Téléchargements',
    documents: '/data/ana/Docs "2024"',
  });
  assert.deepEqual(parseXdgUserDirs('XDG_DOWNLOAD_DIR="$HOME/"\nXDG_DESKTOP_DIR="relative"', '/h'), {});
});

test("Windows: Explorer's User Shell Folders, with %VARIABLES% expanded, else the profile's folders", () => {
  const output = [
    '',
    'HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Explorer\\User Shell Folders',
    '    Desktop    REG_EXPAND_SZ    %USERPROFILE%\\Desktop',
    '    Personal    REG_SZ    D:\\Ana\\Documents',
    '    {374DE290-123F-4565-9164-39C4925E467B}    REG_EXPAND_SZ    %USERPROFILE%\\Downloads',
    '    My Music    REG_EXPAND_SZ    %USERPROFILE%\\Music',
    '    Favorites    REG_EXPAND_SZ    %NOT_SET%\\Favorites',
  ].join('\r\n');
  const found = parseWindowsShellFolders(output, { UserProfile: 'C:\\Users\\ana' });
  assert.deepEqual(found, {
    desktop: 'C:\\Users\\ana\\Desktop',
    documents: 'D:\\Ana\\Documents',
    downloads: 'C:\\Users\\ana\\Downloads',
  });
  assert.deepEqual(
    knownFolderCandidates('C:\\Users\\ana', 'win32', {}).map((c) => c.path),
    ['C:\\Users\\ana', 'C:\\Users\\ana\\Downloads', 'C:\\Users\\ana\\Desktop', 'C:\\Users\\ana\\Documents'],
  );
});

test('only folders that exist are offered, home first; XDG names win over the English ones', async () => {
  const home = path.join(work, 'home-linux');
  mkdirSync(path.join(home, '.config'), { recursive: true });
  mkdirSync(path.join(home, 'Téléchargements'));
  mkdirSync(path.join(home, 'Downloads')); // the English one is not used when user-dirs names another
  mkdirSync(path.join(home, 'Documents'));
  writeFileSync(path.join(home, 'Desktop'), 'a file, not a folder');
  writeFileSync(path.join(home, '.config', 'user-dirs.dirs'), 'XDG_DOWNLOAD_DIR="$HOME/Téléchargements"\n');
  const linux = await knownFolders({ home, platform: 'linux', env: {} });
  assert.deepEqual(linux, [
    { kind: 'home', path: home },
    { kind: 'downloads', path: path.join(home, 'Téléchargements') },
    { kind: 'documents', path: path.join(home, 'Documents') },
  ]);
  const mac = await knownFolders({ home, platform: 'darwin', env: {} });
  assert.deepEqual(
    mac.map((f) => f.path),
    [home, path.join(home, 'Downloads'), path.join(home, 'Documents')],
    'macOS has fixed names',
  );
});

function memorySettings(): { get(): Settings; set(p: Partial<Settings>): Promise<Settings> } {
  let current: Settings = { ...DEFAULT_SETTINGS };
  return {
    get: () => current,
    set: async (patch) => (current = { ...current, ...patch }),
  };
}

test('places: known folders, then pinned folders, then the roots; pins are saved and removed', async () => {
  if (process.platform === 'win32') return; // the addresses below are POSIX ones
  const home = path.join(work, 'home-places');
  mkdirSync(path.join(home, 'Downloads'), { recursive: true });
  mkdirSync(path.join(home, 'projects', 'ferry'), { recursive: true });
  const settings = memorySettings();
  const deps = {
    store: new ComputerStore(path.join(work, 'state')),
    settings,
    home,
    platform: 'linux' as const,
  };
  const homeKey = `${home.slice(1)}/`;
  assert.deepEqual(await computerPlaces(deps), [
    { kind: 'home', name: path.basename(home), path: `${home}/`, bucket: 'root', prefix: homeKey },
    {
      kind: 'downloads',
      name: 'Downloads',
      path: `${home}/Downloads/`,
      bucket: 'root',
      prefix: `${homeKey}Downloads/`,
    },
    { kind: 'root', name: '/', path: '/', bucket: 'root', prefix: '' },
  ]);
  const pinned = await pinFolder(deps, 'root', `${homeKey}projects/ferry`);
  assert.deepEqual(pinned[2], {
    kind: 'pinned',
    name: 'ferry',
    path: `${home}/projects/ferry/`,
    bucket: 'root',
    prefix: `${homeKey}projects/ferry/`,
    missing: false,
  });
  assert.deepEqual(settings.get().pinnedFolders, [{ bucket: 'root', prefix: `${homeKey}projects/ferry/` }]);
  await pinFolder(deps, 'root', `${homeKey}projects/ferry/`);
  assert.equal(settings.get().pinnedFolders!.length, 1, 'pinning twice keeps one pin');
  rmSync(path.join(home, 'projects', 'ferry'), { recursive: true });
  assert.equal(
    (await computerPlaces(deps))[2]!.missing,
    true,
    'a pinned folder that went away stays, marked',
  );
  await assert.rejects(
    pinFolder(deps, 'root', `${homeKey}nowhere/`),
    (e) =>
      e instanceof StorageError &&
      e.code === 'NotAFolder' &&
      /is not a folder on this computer/.test(e.message),
  );
  const unpinned = await unpinFolder(deps, 'root', `${homeKey}projects/ferry/`);
  assert.ok(!unpinned.some((p) => p.kind === 'pinned'));
  assert.deepEqual(settings.get().pinnedFolders, []);
});

test('dropped paths become addresses by their real folder; a gone path says so', async () => {
  if (process.platform === 'win32') return;
  const dir = path.join(work, 'drops');
  mkdirSync(path.join(dir, 'folder'), { recursive: true });
  writeFileSync(path.join(dir, 'a b.txt'), 'x');
  symlinkSync(dir, path.join(work, 'drops-link'));
  const resolved = await resolveDroppedPaths(
    [
      path.join(work, 'drops-link', 'a b.txt'),
      path.join(dir, 'folder'),
      path.join(dir, 'gone.txt'),
      'relative.txt',
    ],
    'linux',
  );
  assert.deepEqual(resolved, [
    {
      path: path.join(work, 'drops-link', 'a b.txt'),
      bucket: 'root',
      key: `${dir.slice(1)}/a b.txt`,
      isFolder: false,
    },
    { path: path.join(dir, 'folder'), bucket: 'root', key: `${dir.slice(1)}/folder/`, isFolder: true },
    { path: path.join(dir, 'gone.txt'), error: 'it is no longer there' },
    { path: 'relative.txt', error: 'not a full path on this computer' },
  ]);
});
