// The version comes from package.json at build time (tsup inlines the JSON), so the
// `User-Agent: tiklive/<version>` sent to sign servers follows every changeset release
// without a constant to keep in step by hand.
import manifest from "../package.json" with { type: "json" };

/** This package's version, as in its package.json. */
export const signerVersion: string = manifest.version;
