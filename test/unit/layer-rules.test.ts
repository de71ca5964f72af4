/**
 * The layer rules in eslint.config.mjs (eslint/layer-rules.mjs): wrong imports placed where the
 * rules apply fail the lint, right ones pass, and the real tree keeps to them.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { ESLint } from 'eslint';

const root = path.resolve(import.meta.dirname, '..', '..');
const layerRuleIds = new Set(['ferry/import-layers', 'no-restricted-imports']);
// Only the layer rules run, so the whole-tree check stays quick.
const eslint = new ESLint({ cwd: root, ruleFilter: ({ ruleId }) => layerRuleIds.has(ruleId) });

async function layerErrors(code: string, file: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  assert.ok(result, 'eslint returned no result');
  return result.messages.filter((m) => m.ruleId && layerRuleIds.has(m.ruleId)).map((m) => m.message);
}

test('a renderer file importing from main/ fails the lint', async () => {
  const errors = await layerErrors(
    "import { baseName } from '../../../main/copy/job';\nexport const x = baseName;\n",
    'renderer/features/copy/wrong-import.ts',
  );
  assert.equal(errors.length, 1);
  assert.match(errors[0]!, /renderer .* may import only renderer, preload\/shared, not main\/copy\/job/);
});

test('a storage file importing tasks fails the lint', async () => {
  const errors = await layerErrors(
    "import { createCopyEngine } from '../../tasks/copy-engine';\nexport const x = createCopyEngine;\n",
    'main/storage/s3/wrong-import.ts',
  );
  assert.equal(errors.length, 1);
  assert.match(errors[0]!, /storage .* must not import main\/tasks\//);
});

test('copy and tasks importing a host or the app fail the lint; storage importing copy fails too', async () => {
  const cases: Array<[string, string, RegExp]> = [
    [
      "export * from '../electron/index';\n",
      'main/tasks/wrong.ts',
      /tasks .* must not import main\/electron\//,
    ],
    ["export { x } from '../app/services';\n", 'main/copy/wrong.ts', /copy .* must not import main\/app\//],
    ["const m = import('../cli/program');\nexport { m };\n", 'main/tasks/wrong.ts', /main\/cli\//],
    ["import '../copy/plan';\n", 'main/storage/wrong.ts', /storage .* must not import main\/copy\//],
  ];
  for (const [code, file, expected] of cases) {
    const errors = await layerErrors(code, file);
    assert.equal(errors.length, 1, `${file}: ${code}`);
    assert.match(errors[0]!, expected);
  }
});

test('the contract and shared helpers import nothing from main/, renderer/ or Node', async () => {
  assert.match(
    (await layerErrors("import '../../main/core/settings';\n", 'preload/shared/wrong.ts'))[0] ?? '',
    /may import only preload\/shared, not main\/core\/settings/,
  );
  assert.match(
    (await layerErrors("import '../../renderer/api';\n", 'preload/shared/wrong.ts'))[0] ?? '',
    /not renderer\/api/,
  );
  assert.equal(
    (await layerErrors("import fs from 'node:fs';\nexport { fs };\n", 'preload/shared/wrong.ts')).length,
    1,
  );
});

test('the renderer may not load Node modules', async () => {
  for (const name of ['node:fs', 'path', 'child_process']) {
    const errors = await layerErrors(`import x from '${name}';\nexport { x };\n`, 'renderer/stores/wrong.ts');
    assert.equal(errors.length, 1, name);
  }
});

test('allowed imports pass: the renderer uses the contract and its own main.tsx, main uses packages', async () => {
  assert.deepEqual(
    await layerErrors(
      "import type { TaskInfo } from '../../../preload/shared/contract';\nimport '../../main';\nimport '../../stores/ui';\nexport type T = TaskInfo;\n",
      'renderer/features/copy/right-import.ts',
    ),
    [],
  );
  assert.deepEqual(
    await layerErrors(
      "import fs from 'node:fs';\nimport '../storage/provider';\nexport { fs };\n",
      'main/copy/right.ts',
    ),
    [],
  );
  assert.deepEqual(
    await layerErrors("import '../copy/plan';\nimport '../storage/errors';\n", 'main/tasks/right.ts'),
    [],
  );
});

test('the real tree keeps to the layer rules', async () => {
  const results = await eslint.lintFiles(['main', 'preload', 'renderer']);
  const broken = results.flatMap((r) =>
    r.messages.map((m) => `${path.relative(root, r.filePath)}:${m.line} ${m.ruleId}: ${m.message}`),
  );
  assert.ok(results.length > 100, `only ${results.length} files linted`);
  assert.deepEqual(broken, []);
});
