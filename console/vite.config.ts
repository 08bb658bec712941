import { defineConfig } from 'vite';

/** The web console: a static build in console/dist that the local stack serves at `/`. */
export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  // Preact's JSX runtime, without a Babel-based plugin.
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022' },
});
