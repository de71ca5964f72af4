// ESLint flat config: typescript-eslint's recommended rules plus React hooks rules for the renderer.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import { builtinModules } from 'node:module';
import { layerPlugin } from './eslint/layer-rules.mjs';

// Code that runs in the page (the renderer) or on both sides (the contract and shared helpers)
// cannot load Node's modules: the sandboxed renderer has no `require`, and the web host serves it
// to a plain browser.
const nodeBuiltins = {
  paths: builtinModules.filter((name) => !name.startsWith('_')),
  patterns: [{ group: ['node:*'], message: 'Node modules are not available here.' }],
};

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules },
  },
  {
    files: ['main/**/*.{ts,tsx}', 'preload/**/*.{ts,tsx}', 'renderer/**/*.{ts,tsx}'],
    plugins: { ferry: layerPlugin },
    rules: { 'ferry/import-layers': 'error' },
  },
  {
    files: ['renderer/**/*.{ts,tsx}', 'preload/shared/**/*.ts'],
    ignores: ['renderer/vite.config.ts'],
    rules: { 'no-restricted-imports': ['error', nodeBuiltins] },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
);
