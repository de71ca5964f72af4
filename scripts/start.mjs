#!/usr/bin/env node
// `npm start`: builds if needed, then starts the Electron app — or, where the Electron binary is
// missing (it is downloaded by electron's own install script, which needs the internet), the loopback
// web host, opening the page in a browser. Arguments (`--data-dir DIR`, `--port N`, `--no-open`) pass through.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const require = createRequire(import.meta.url);
const args = process.argv.slice(2);

const built = spawnSync(process.execPath, [path.join(root, 'scripts/build.mjs'), '--if-needed'], {
  stdio: 'inherit',
  cwd: root,
});
if (built.status !== 0) process.exit(built.status ?? 1);

function electronBinary() {
  try {
    const binary = require('electron'); // the package resolves to the binary's path when it is installed
    return typeof binary === 'string' && existsSync(binary) ? binary : undefined;
  } catch {
    return undefined;
  }
}

let binary = electronBinary();
if (
  !binary &&
  existsSync(path.join(root, 'node_modules/electron/install.js')) &&
  !process.env.FERRY_NO_ELECTRON_DOWNLOAD
) {
  // npm ci skips electron's download (package.json allowScripts); try it once, quietly.
  spawnSync(process.execPath, [path.join(root, 'node_modules/electron/install.js')], {
    stdio: 'ignore',
    cwd: root,
    timeout: 120_000,
  });
  binary = electronBinary();
}

const child = binary
  ? spawn(binary, [path.join(root, 'dist/main/index.js'), ...args], { stdio: 'inherit', cwd: root })
  : (process.stderr.write(
      'The Electron binary is not installed (it could not be downloaded here), so Ferry runs as a local web app in your browser.\n',
    ),
    spawn(process.execPath, [path.join(root, 'dist/main/web.js'), ...args], { stdio: 'inherit', cwd: root }));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));
