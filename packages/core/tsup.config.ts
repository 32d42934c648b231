import { libraryConfig } from "../../tsup.base.js";

// Two entries: the public API, and the helpers other @tiklive packages share (src/internal.ts).
// Split for CJS too, so both entries share one copy of each module (one TikLiveError class).
export default libraryConfig({ entry: ["src/index.ts", "src/internal.ts"], splitting: true });
