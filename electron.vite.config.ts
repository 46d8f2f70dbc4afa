import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import vue from '@vitejs/plugin-vue';

const shared = resolve(__dirname, 'src/shared');

export default defineConfig({
  main: {
    resolve: { alias: { '@shared': shared } },
    build: {
      outDir: 'out/main',
      // Optional native backends are loaded at run time from node_modules, never bundled; so is the
      // browser driver PDF exports use (it reads its own package files at run time).
      externalizeDeps: { include: ['webgpu', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu', 'playwright-core'] },
      rollupOptions: {
        // One bundle per entry: the Electron shell, the CLI/browser host, and the engine worker.
        input: {
          index: resolve(__dirname, 'src/main/electron/index.ts'),
          cli: resolve(__dirname, 'src/main/cli/awb.ts'),
          'engine-worker': resolve(__dirname, 'src/main/engine/jobs/engine-worker.ts'),
          'engine-process': resolve(__dirname, 'src/main/engine-process/engine-process.ts'),
        },
      },
    },
  },
  preload: {
    resolve: { alias: { '@shared': shared } },
    build: {
      outDir: 'out/preload',
      // Sandboxed preloads must be CommonJS.
      rollupOptions: { output: { format: 'cjs', entryFileNames: '[name].cjs' } },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    resolve: { alias: { '@shared': shared } },
    plugins: [vue()],
    build: { outDir: 'out/renderer', minify: true },
  },
});
