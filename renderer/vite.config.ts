// Builds the renderer into dist/renderer. The relative base lets Electron load index.html from a file,
// and the web host serve it from its root; no inline scripts or styles, so the page runs under the
// host's strict CSP.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * The dev server injects inline scripts (React Fast Refresh's preamble) and inline styles that the
 * CSP <meta> in index.html forbids, so it is left out of pages the dev server serves. Builds keep it.
 */
const devWithoutCspMeta: Plugin = {
  name: 'ferry-dev-without-csp-meta',
  apply: 'serve',
  transformIndexHtml: (html) => html.replace(/<meta\s+http-equiv="Content-Security-Policy"[^>]*>/i, ''),
};

export default defineConfig({
  root: here,
  base: './',
  plugins: [react(), devWithoutCspMeta],
  build: {
    outDir: path.join(here, '..', 'dist', 'renderer'),
    emptyOutDir: true,
    // Inlined assets would become data: URLs in <style>/<script>; keep everything as files.
    assetsInlineLimit: 0,
    sourcemap: true,
    target: 'chrome120',
  },
});
