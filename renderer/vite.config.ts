// Builds the renderer into dist/renderer. The relative base lets Electron load index.html from a file,
// and the web host serve it from its root; no inline scripts or styles, so the page runs under the
// host's strict CSP.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root: here,
  base: './',
  plugins: [react()],
  build: {
    outDir: path.join(here, '..', 'dist', 'renderer'),
    emptyOutDir: true,
    // Inlined assets would become data: URLs in <style>/<script>; keep everything as files.
    assetsInlineLimit: 0,
    sourcemap: true,
    target: 'chrome120',
  },
});
