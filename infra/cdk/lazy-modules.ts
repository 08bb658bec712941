/**
 * Code a function loads from a file of its own beside its bundle, the first time it needs it,
 * instead of carrying it in the bundle: V8 reads every byte of a bundle when the function starts
 * (about 0.1 ms a kB on Node.js 22), whether the code ever runs or not, and Lambda bills the
 * init. The code imports such a module by a `#…` specifier of package.json's "imports", which
 * the tests and the local stack resolve to its source; a function's bundle leaves the import as
 * written, and the package.json of the function's asset leads it to the module's own bundle.
 */
export interface LazyModule {
  /** The specifier the code imports it by, as package.json's "imports" maps it. */
  readonly specifier: string;
  /** Its source, from the repository root. */
  readonly entry: string;
  /** Its bundle, in the function's asset beside index.js. */
  readonly file: string;
}

export const lazyModules: readonly LazyModule[] = [
  // Ajv and RE2, about 280 kB: only a write that meets a schema in force needs them.
  {
    specifier: '#domain/json-schema-compiler.ts',
    entry: 'functions/domain/json-schema-compiler.ts',
    file: 'json-schema-compiler.js',
  },
];

/**
 * The package.json of every function's asset: its code is CommonJS, and each lazy module's
 * specifier leads to its bundle. A specifier only resolves if the bundle imports it, and then
 * the module's bundle is there (`lazyModulesOf`).
 */
export function assetPackageJson(): string {
  return JSON.stringify({
    type: 'commonjs',
    imports: Object.fromEntries(
      lazyModules.map((module) => [module.specifier, `./${module.file}`]),
    ),
  });
}

/** The lazy modules a bundle imports (esbuild leaves an external specifier as written). */
export function lazyModulesOf(bundleCode: string): LazyModule[] {
  return lazyModules.filter((module) => bundleCode.includes(module.specifier));
}
