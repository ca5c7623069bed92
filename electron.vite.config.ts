/**
 * Desktop build: main process, sandboxed preload and renderer into out/.
 * Every build target is explicit so the build never needs the Electron binary
 * (Electron 41: Node 24.14, Chromium 146).
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'electron-vite';
import vue from '@vitejs/plugin-vue';

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));
const NODE_TARGET = 'node24.14';
const CHROME_TARGET = 'chrome146';

export default defineConfig({
  main: {
    build: {
      target: NODE_TARGET,
      outDir: here('out/electron'),
      // main.js and worker.js (the job process the app service forks) side by side, shared code in
      // chunks of the same folder so import.meta.url-relative paths are the same from every file.
      lib: { entry: { main: here('electron/main.ts'), worker: here('main/jobs/worker.ts') }, formats: ['es'] },
      rolldownOptions: { output: { entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' } },
    },
  },
  preload: {
    build: {
      target: NODE_TARGET,
      outDir: here('out/preload'),
      // A sandboxed preload cannot be an ES module: one self-contained CommonJS file.
      lib: { entry: here('electron/preload.ts'), formats: ['cjs'] },
      rolldownOptions: { output: { entryFileNames: '[name].cjs', codeSplitting: false } },
    },
  },
  renderer: {
    root: here('renderer'),
    plugins: [vue()],
    build: {
      target: CHROME_TARGET,
      outDir: here('out/renderer'),
      rolldownOptions: { input: here('renderer/index.html') },
      minify: true,
      chunkSizeWarningLimit: 1200,
    },
  },
});
