// The version comes from package.json at build time (tsup inlines the JSON), so
// `tiklive --version` follows every changeset release.
import manifest from "../package.json" with { type: "json" };

/** This package's version, as in its package.json. */
export const cliVersion: string = manifest.version;
