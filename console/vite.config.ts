import { defineConfig } from 'vite';
import { consoleBuildDir } from './hosting.ts';

/** The web console: a static build in console/dist that the local stack serves at `/`. */
export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  // Preact's JSX runtime, without a Babel-based plugin.
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: { outDir: consoleBuildDir, emptyOutDir: true, target: 'es2022' },
});
