/**
 * The look keeps one icon set (lucide-react): no text arrows or glyph icons in what the renderer
 * shows — components, styles and both languages' strings. Comments may use them.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

const RENDERER = path.join(__dirname, '..', '..', 'renderer');
const ARROWS = /[←→↑↓⟳▲▼]/;

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? files(path.join(dir, e.name))
      : /\.(tsx?|css|json)$/.test(e.name)
        ? [path.join(dir, e.name)]
        : [],
  );
}

test('no text arrows in the renderer: icons come from lucide-react', () => {
  const found: string[] = [];
  for (const file of files(RENDERER)) {
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        const code = line.trim();
        if (code.startsWith('*') || code.startsWith('//') || code.startsWith('/*')) return;
        if (ARROWS.test(code)) found.push(`${path.relative(RENDERER, file)}:${i + 1}: ${code}`);
      });
  }
  assert.deepEqual(found, []);
});
