import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';

/**
 * Three builds: the Electron host (ESM), the preload (CommonJS: sandboxed windows cannot load an
 * ESM preload) and the renderer. The core is bundled into the main build; the CLI and the
 * browser-mode host run the same core sources through tsx, so no host re-implements it.
 */
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: { index: resolve(__dirname, 'src/main/electron/index.ts') },
      },
    },
  },
  preload: {
    build: {
      // A sandboxed preload can require only 'electron': bundle everything else into it.
      externalizeDeps: false,
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve(__dirname, 'src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    build: {
      outDir: 'out/renderer',
      // electron-vite leaves the renderer unminified by default; ship the small bundle.
      minify: true,
      rollupOptions: {
        input: { index: resolve(__dirname, 'src/renderer/index.html') },
      },
    },
  },
});
