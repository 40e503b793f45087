// electron-vite builds three bundles into out/: main (Node: Electron's main process and
// the worker threads), preload (CommonJS: sandboxed preloads cannot be ES modules) and
// renderer (React). `npm run web` builds the renderer alone from this same config.
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

const fromRoot = (path: string) => resolve(__dirname, path);

// Worker threads are started by file (`new URL('./x.js', import.meta.url)`), so every
// worker script is an entry and modules keep their source paths (preserveModules):
// trainingWorker.js then sits next to trainingHost.js, poolWorker.js next to pool.js.
const mainEntries: Record<string, string> = {
  'main/index': fromRoot('src/main/index.ts'),
  'main/training/trainingWorker': fromRoot('src/main/training/trainingWorker.ts'),
  'engine/parallel/poolWorker': fromRoot('src/engine/parallel/poolWorker.ts'),
};

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: mainEntries,
        output: {
          format: 'es',
          preserveModules: true,
          preserveModulesRoot: fromRoot('src'),
          entryFileNames: '[name].js',
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: fromRoot('src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: fromRoot('src/renderer'),
    base: './',
    plugins: [react()],
    build: {
      outDir: fromRoot('out/renderer'),
      emptyOutDir: true,
      // electron-vite leaves bundles unminified; the UI's 1.7 MB of JS parses in a third of the time minified.
      minify: true,
      // The UI is one bundle of ~0.75 MB minified, read from disk (Electron) or from localhost
      // (npm run web), never over a network: Vite's 500 kB default is a budget for web sites, and
      // splitting would only add requests. Past 1 MB the warning still says the UI has grown.
      chunkSizeWarningLimit: 1000,
      rollupOptions: { input: fromRoot('src/renderer/index.html') },
    },
  },
});
