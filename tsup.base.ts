import type { Options } from "tsup";

/**
 * The build every published @tiklive package shares: dual ESM/CJS from src/index.ts with
 * types for both, source maps, es2022. `overrides` adds entries (e.g. a CLI) or options.
 */
export function libraryConfig(overrides: Options = {}): Options {
  return {
    entry: ["src/index.ts"],
    format: ["esm", "cjs"],
    dts: true,
    sourcemap: true,
    clean: true,
    target: "es2022",
    treeshake: true,
    ...overrides,
  };
}
