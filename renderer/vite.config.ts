import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  // Relative asset URLs so the same build loads from the browser shell (http) and the desktop app (file).
  base: './',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1024,
    // No inline scripts or styles anywhere: the CSP allows only files from the app itself.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
  },
});
