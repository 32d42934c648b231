import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL(".", import.meta.url));

// Tests run against sources: every `@tiklive/<name>` import resolves to
// `packages/<name>/src/index.ts`, so no build is needed before `vitest`.
export default defineConfig({
  resolve: {
    alias: [
      {
        // Subpath entries: `@tiklive/core/internal` -> `packages/core/src/internal.ts`.
        find: /^@tiklive\/([a-z-]+)\/([a-z-]+)$/,
        replacement: `${root}packages/$1/src/$2.ts`,
      },
      {
        find: /^@tiklive\/([a-z-]+)$/,
        replacement: `${root}packages/$1/src/index.ts`,
      },
    ],
  },
  test: {
    include: [
      "packages/*/src/**/*.test.ts",
      "apps/*/src/**/*.test.ts",
      "bench/**/*.test.ts",
      "test/**/*.test.ts",
    ],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: "forks",
    // Tests bind only to 127.0.0.1 and end by themselves; a hang is a failure.
    teardownTimeout: 10_000,
  },
});
