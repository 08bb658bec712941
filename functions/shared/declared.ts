/**
 * The value `build` makes, built where it is declared. Called as `/* @__PURE__ *\/ declared(…)`,
 * it tells esbuild that the declaration has no other effect, so a function's bundle drops the
 * ones its handler never reads. Zod builds each schema, and each step of a chain, as an object
 * with every method attached: built at init, all of a module's schemas are part of every cold
 * start that imports one of them (docs/performance.md, figure 9).
 */
export function declared<Value>(build: () => Value): Value {
  return build();
}
