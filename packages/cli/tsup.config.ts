import { libraryConfig } from "../../tsup.base.js";

export default [
  libraryConfig(),
  // The `tiklive` bin: ESM only, with the shebang so npx can run it.
  libraryConfig({
    entry: { cli: "src/cli.ts" },
    format: ["esm"],
    dts: false,
    clean: false,
    banner: { js: "#!/usr/bin/env node" },
  }),
];
