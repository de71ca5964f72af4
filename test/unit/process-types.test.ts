/**
 * Each process is typechecked with only the globals it has (tsconfig.json's references): the same
 * Node-using file fails under the renderer's config and passes under main's.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';

const root = path.resolve(import.meta.dirname, '..', '..');
const fixture = path.join(root, 'test', 'fixtures', 'node-api-in-page.ts');

function errorsUnder(project: string): string[] {
  const parsed = ts.getParsedCommandLineOfConfigFile(
    path.join(root, project, 'tsconfig.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) =>
        assert.fail(ts.flattenDiagnosticMessageText(d.messageText, '\n')),
    },
  );
  assert.ok(parsed, `${project}/tsconfig.json did not parse`);
  const program = ts.createProgram({ rootNames: [fixture], options: parsed.options });
  return ts
    .getPreEmitDiagnostics(program)
    .map((d) => `TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
}

test('a Node API used in the renderer fails the typecheck', () => {
  const errors = errorsUnder('renderer');
  assert.ok(
    errors.some((e) => /Cannot find (module|name) 'node:fs'/.test(e)),
    errors.join('\n'),
  );
  assert.ok(
    errors.some((e) => /Cannot find name 'process'/.test(e)),
    errors.join('\n'),
  );
  assert.ok(
    errors.some((e) => /Cannot find name 'Buffer'/.test(e)),
    errors.join('\n'),
  );
});

test('the same file passes under the main process config, and shared code gets no Node either', () => {
  assert.deepEqual(errorsUnder('main'), []);
  assert.ok(errorsUnder('preload/shared').some((e) => /Cannot find name 'process'/.test(e)));
});
