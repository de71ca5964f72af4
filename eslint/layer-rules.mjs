// Who may import whom, checked on every relative import (and export-from / dynamic import) by the
// folder the imported file resolves to, so `../../main/x` and `../../../main/x` are caught alike
// and a renderer file called `main.tsx` is not mistaken for the main process. docs/ARCHITECTURE.md
// explains the layers; the rule only encodes the arrows.
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');

/**
 * Each layer: the folders it covers (first match wins, most specific first) and the folders its
 * files must never import. A layer listed without `forbids` may import anything inside the repo.
 */
export const layers = [
  {
    name: 'contract and shared helpers',
    covers: ['preload/shared'],
    // Pure code both processes load: only itself (and packages).
    allowsOnly: ['preload/shared'],
  },
  { name: 'preload bridge', covers: ['preload'], forbids: ['main', 'renderer'] },
  { name: 'renderer build config', covers: ['renderer/vite.config.ts'], forbids: ['main'] },
  {
    name: 'renderer',
    covers: ['renderer'],
    // The renderer reaches the main process only through the contract.
    allowsOnly: ['renderer', 'preload/shared'],
  },
  {
    name: 'storage',
    covers: ['main/storage'],
    // Providers know nothing of copies, tasks, the app or who hosts them.
    forbids: ['main/copy', 'main/tasks', 'main/app', 'main/electron', 'main/web', 'main/cli', 'renderer'],
  },
  {
    name: 'copy',
    covers: ['main/copy'],
    forbids: ['main/tasks', 'main/app', 'main/electron', 'main/web', 'main/cli', 'renderer'],
  },
  {
    name: 'tasks',
    covers: ['main/tasks'],
    // The engine knows no host.
    forbids: ['main/app', 'main/electron', 'main/web', 'main/cli', 'renderer'],
  },
  {
    name: 'core',
    covers: ['main/core', 'main/accounts'],
    forbids: ['main/copy', 'main/tasks', 'main/app', 'main/electron', 'main/web', 'main/cli', 'renderer'],
  },
  { name: 'app', covers: ['main/app'], forbids: ['main/electron', 'main/web', 'main/cli', 'renderer'] },
  { name: 'main process', covers: ['main'], forbids: ['renderer'] },
];

const within = (rel, folder) =>
  rel === folder || rel.startsWith(folder + '/') || rel.startsWith(folder + '.');

function layerOf(rel) {
  return layers.find((layer) => layer.covers.some((folder) => within(rel, folder)));
}

/** Why `from` (repo-relative) may not import `to` (repo-relative), or undefined when it may. */
export function layerViolation(from, to) {
  const layer = layerOf(from);
  if (!layer) return undefined;
  if (layer.allowsOnly && !layer.allowsOnly.some((folder) => within(to, folder))) {
    return `${layer.name} (${layer.covers.join(', ')}) may import only ${layer.allowsOnly.join(', ')}, not ${to}`;
  }
  const hit = layer.forbids?.find((folder) => within(to, folder));
  return hit ? `${layer.name} (${layer.covers.join(', ')}) must not import ${hit}/ (${to})` : undefined;
}

const toPosix = (p) => p.split(path.sep).join('/');

const importLayers = {
  meta: {
    type: 'problem',
    docs: { description: 'Keeps imports pointing the way docs/ARCHITECTURE.md draws the layers' },
    messages: { layer: 'Layer rule: {{why}}' },
    schema: [],
  },
  create(context) {
    const from = toPosix(path.relative(root, context.filename));
    if (from.startsWith('..') || !layerOf(from)) return {};
    const check = (source) => {
      if (!source || typeof source.value !== 'string' || !source.value.startsWith('.')) return;
      const to = toPosix(path.relative(root, path.resolve(path.dirname(context.filename), source.value)));
      const why = layerViolation(from, to);
      if (why) context.report({ node: source, messageId: 'layer', data: { why } });
    };
    return {
      ImportDeclaration: (node) => check(node.source),
      ExportNamedDeclaration: (node) => check(node.source),
      ExportAllDeclaration: (node) => check(node.source),
      ImportExpression: (node) => check(node.source),
      TSImportType: (node) => check(node.argument?.literal ?? node.argument),
    };
  },
};

export const layerPlugin = { rules: { 'import-layers': importLayers } };
