/**
 * `npm run dist` cannot run here (electron-builder downloads Electron and its packaging tools), so
 * CI checks electron-builder.yml statically: electron-builder's own loader and validator accept it,
 * a strict JSON-schema pass over its schema finds nothing it would coerce, the installers we promise
 * are configured, and every file it names exists. The app's files must exist too, so this runs after
 * `npm run build` (which `npm test` does first).
 *
 * The loader, validator, schema, YAML parser and glob matcher are electron-builder's own (resolved
 * from its app-builder-lib), so this checks the configuration the way `electron-builder` reads it.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, type Stats } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { before, describe, test } from 'node:test';

const root = path.resolve(__dirname, '..', '..');
const configFile = path.join(root, 'electron-builder.yml');
const builderLib = createRequire(require.resolve('app-builder-lib/package.json', { paths: [root] }));

interface BuilderConfig {
  [key: string]: unknown;
  appId?: string;
  productName?: string;
  asar?: unknown;
  icon?: string;
  files?: unknown;
  directories?: { output?: string; buildResources?: string };
  electronFuses?: Record<string, boolean>;
  linux?: { target?: TargetSpec[]; icon?: string; maintainer?: string };
  mac?: { target?: TargetSpec[]; icon?: string };
  win?: { target?: TargetSpec[]; icon?: string };
  publish?: unknown;
}
type TargetSpec = string | { target: string; arch?: string[] };

const loadYaml = (text: string): BuilderConfig =>
  (builderLib('js-yaml') as { load(s: string): BuilderConfig }).load(text);
const { getConfig, validateConfiguration } = builderLib('app-builder-lib/out/util/config/config') as {
  getConfig(projectDir: string, configPath: string, fromOptions: null): Promise<BuilderConfig>;
  validateConfiguration(config: BuilderConfig, debugLogger: unknown): Promise<void>;
};
const { DebugLogger } = builderLib('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
const { Minimatch } = builderLib('minimatch') as typeof import('minimatch');
const { createFilter, hasMagic } = builderLib('app-builder-lib/out/util/filter') as {
  createFilter(src: string, patterns: unknown[]): (file: string, stat: Stats) => boolean;
  hasMagic(pattern: unknown): boolean;
};
type Validator = ((data: unknown) => boolean) & { errors?: { instancePath: string; message?: string }[] };
const Ajv = (builderLib('ajv') as { default: new (o: object) => { compile(s: object): Validator } }).default;
const schema = JSON.parse(readFileSync(builderLib.resolve('app-builder-lib/scheme.json'), 'utf8')) as object;

const config = loadYaml(readFileSync(configFile, 'utf8'));

/** Targets of one platform as `name → archs`. */
function targets(specs: TargetSpec[] | undefined): Map<string, string[]> {
  return new Map(
    (specs ?? []).map((t) => (typeof t === 'string' ? [t, []] : ([t.target, t.arch ?? []] as const))),
  );
}

/** Width and height from a PNG's IHDR chunk. */
function pngSize(file: string): { width: number; height: number } {
  const bytes = readFileSync(file);
  assert.ok(bytes.subarray(1, 4).toString('latin1') === 'PNG', `${file} is not a PNG`);
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** The `files` filter as electron-builder builds it (FileMatcher.computeParsedPatterns + createFilter). */
function filesFilter(patterns: string[]): (relative: string) => boolean {
  const parsed: unknown[] = [];
  for (const pattern of patterns) {
    const m = new Minimatch(pattern, { dot: true });
    parsed.push(m);
    if (!pattern.includes('.') && !hasMagic(m)) parsed.push(new Minimatch(`${pattern}/**/*`, { dot: true }));
  }
  const filter = createFilter(root, parsed);
  return (relative) => {
    const full = path.join(root, relative);
    return filter(full, statSync(full));
  };
}

/** Every file of the project outside node_modules, .git and the installers folder, relative to root. */
function projectFiles(): string[] {
  const skip = new Set(['node_modules', '.git', config.directories?.output ?? 'release']);
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const d of readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${d.name}` : d.name;
      if (d.isDirectory() && !skip.has(child)) walk(child);
      else if (d.isFile()) out.push(child);
    }
  };
  walk('');
  return out;
}

describe('electron-builder.yml', () => {
  test("electron-builder's own loader and validator accept it", async () => {
    const loaded = await getConfig(root, configFile, null);
    assert.equal(loaded.appId, config.appId, 'the loader read this file');
    await validateConfiguration(loaded, new DebugLogger(false));
  });

  test("electron-builder's validator would refuse a misspelt option (the check is live)", async () => {
    const loaded = await getConfig(root, configFile, null);
    await assert.rejects(
      validateConfiguration({ ...loaded, asr: true }, new DebugLogger(false)),
      /Invalid configuration object/,
    );
  });

  test('matches the JSON schema exactly, with nothing left to type coercion', () => {
    // electron-builder validates with coerceTypes (so `asar: "yes"` slips through); this pass does not.
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    const ok = validate(config);
    assert.ok(ok, JSON.stringify(validate.errors, null, 2));
    assert.equal(validate({ ...config, asar: 'true' }), false, 'a string where a boolean belongs is refused');
  });

  test('names the app and packs it into an asar archive', () => {
    assert.match(config.appId ?? '', /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*){2,}$/, 'reverse-DNS app id');
    assert.equal(config.productName, 'Ferry');
    assert.equal(config.asar, true);
    assert.equal(config.publish, null, 'building never publishes');
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    assert.equal(pkg.scripts.dist, 'npm run build && electron-builder --config electron-builder.yml');
  });

  test('builds AppImage and deb, a universal dmg and an NSIS installer', () => {
    const linux = targets(config.linux?.target);
    assert.ok(linux.has('AppImage'), 'AppImage');
    assert.ok(linux.has('deb'), 'deb');
    assert.ok(config.linux?.maintainer, 'deb packages need a maintainer');
    const mac = targets(config.mac?.target);
    assert.deepEqual(mac.get('dmg'), ['universal']);
    const win = targets(config.win?.target);
    assert.ok(win.has('nsis'), 'NSIS');
    assert.ok(win.get('nsis')!.includes('x64'));
  });

  test('writes installers outside dist/, where `npm run build` puts the app', () => {
    const output = config.directories?.output;
    assert.ok(output, 'directories.output is set (its default is dist/)');
    assert.notEqual(path.resolve(root, output), path.join(root, 'dist'));
    assert.ok(!path.resolve(root, output).startsWith(path.join(root, 'dist') + path.sep));
    const ignored = readFileSync(path.join(root, '.gitignore'), 'utf8').split('\n');
    assert.ok(ignored.includes(`${output}/`), `${output}/ is git-ignored`);
  });

  test('flips the Electron fuses that turn the app into a plain Node', () => {
    const fuses = config.electronFuses ?? {};
    assert.equal(fuses.runAsNode, false);
    assert.equal(fuses.enableNodeOptionsEnvironmentVariable, false);
    assert.equal(fuses.enableNodeCliInspectArguments, false);
    assert.equal(fuses.onlyLoadAppFromAsar, true);
    assert.equal(fuses.enableEmbeddedAsarIntegrityValidation, true);
  });

  test('every icon it names exists and is large enough for its platform', () => {
    const resources = path.join(root, config.directories?.buildResources ?? 'build');
    assert.ok(statSync(resources).isDirectory());
    for (const [where, icon, min] of [
      ['icon', config.icon, 512],
      ['mac.icon', config.mac?.icon, 512],
      ['win.icon', config.win?.icon, 256],
    ] as const) {
      assert.ok(icon, `${where} is set`);
      const { width, height } = pngSize(path.join(root, icon));
      assert.ok(
        width >= min && width === height,
        `${where} ${icon} is ${width}x${height}, needs ${min}+ square`,
      );
    }
    // Linux takes a folder of NxN.png files and trusts the names: they must tell the truth.
    const linuxIcons = path.join(root, config.linux?.icon ?? '');
    const pngs = readdirSync(linuxIcons).filter((f) => f.endsWith('.png'));
    assert.ok(pngs.length > 0, `${config.linux?.icon} holds icons`);
    for (const f of pngs) {
      const m = /^(\d+)x(\d+)\.png$/.exec(f);
      assert.ok(m, `${f} is named NxN.png`);
      const { width, height } = pngSize(path.join(linuxIcons, f));
      assert.deepEqual([width, height], [Number(m[1]), Number(m[2])], f);
    }
    assert.ok(
      pngs.some((f) => f.startsWith('256x256') || f.startsWith('512x512')),
      'a 256 or 512 px icon',
    );
  });
});

describe('the files electron-builder packs (after `npm run build`)', () => {
  let packed: string[];
  let all: string[];
  let patterns: string[];

  before(() => {
    const missing = ['dist/main/index.js', 'dist/preload/index.js', 'dist/renderer/index.html'].filter(
      (f) => !existsSync(path.join(root, f)),
    );
    assert.deepEqual(missing, [], 'run `npm run build` first (npm test does)');
    assert.ok(Array.isArray(config.files) && config.files.every((f) => typeof f === 'string'));
    patterns = config.files as string[];
    const included = filesFilter(patterns);
    all = projectFiles();
    packed = all.filter(included);
  });

  test('include the entry package.json names and everything it loads', () => {
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { main: string };
    assert.equal(pkg.main, 'dist/main/index.js');
    // main/electron/index.ts loads ../preload/index.js and ../renderer/index.html relative to dist/main.
    for (const needed of ['package.json', pkg.main, 'dist/preload/index.js', 'dist/renderer/index.html'])
      assert.ok(packed.includes(needed), `${needed} is packed`);
    const assets = all.filter((f) => f.startsWith('dist/renderer/assets/'));
    assert.ok(assets.length > 0);
    for (const a of assets.filter((f) => !f.endsWith('.map')))
      assert.ok(packed.includes(a), `${a} is packed`);
  });

  test('every pattern that adds files matches at least one', () => {
    for (const pattern of patterns.filter((p) => !p.startsWith('!'))) {
      const m = new Minimatch(pattern, { dot: true });
      assert.ok(
        all.some((f) => m.match(f)),
        `"${pattern}" matches no file`,
      );
    }
  });

  test('leave out sources, tests, source maps, secrets and local state', () => {
    for (const f of packed) {
      assert.ok(f === 'package.json' || f.startsWith('dist/'), `${f} should not be packed`);
      assert.ok(!f.endsWith('.map'), `${f}: no source maps`);
    }
    for (const f of all.filter((f) => /^(main|preload|renderer|test|scripts)\//.test(f)))
      assert.ok(!packed.includes(f), `${f} should not be packed`);
  });
});

test('electron-builder runs here without the network (its --help)', () => {
  const cli = builderLib.resolve('electron-builder/cli.js', { paths: [root] });
  const r = spawnSync(process.execPath, [cli, '--help'], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /--config/);
  assert.match(r.stdout, /--linux/);
});
