// The repo's one seeded PRNG (mulberry32, in core's product code) for tests: the same seed
// gives the same cases on every run and machine.
export type { Random } from "@tiklive/core/internal";
export { createRandom, hashSeed } from "@tiklive/core/internal";
