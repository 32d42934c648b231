// Fuzzes the codec for longer than the test suite does: random bytes, and corrupted real
// frames and payloads, through every decoding entry point. Any exception that is not a
// TikLiveError, or a single decode slower than 1 s, is a bug: the input is printed and the
// script exits 1. Usage: pnpm fuzz [seconds=30] [seed=random]
import {
  createEventDecoder,
  decodeFetchResult,
  decodeMsgFrame,
  decodePushFrame,
  TikLiveError,
} from "@tiklive/core";
import { mutate, randomBytes, sampleFrame, samplePayloads } from "@tiklive/test-support/fuzz";
import { createRandom } from "@tiklive/test-support/random";

const seconds = Number(process.argv[2] ?? 30);
const seed = Number(process.argv[3] ?? Math.floor(Math.random() * 2 ** 31));
const random = createRandom(seed);
const payloads = samplePayloads();
const decoder = createEventDecoder({ dedup: false });
const outcomes = new Map<string, number>();
let cases = 0;

function attempt(kind: string, input: Uint8Array, fn: () => unknown): void {
  const started = performance.now();
  let outcome = "ok";
  try {
    fn();
  } catch (error) {
    if (!(error instanceof TikLiveError)) {
      console.error(
        `BUG (${kind}, seed ${seed}): untyped ${String(error)}\ninput base64: ${Buffer.from(input).toString("base64")}`,
      );
      process.exit(1);
    }
    outcome = error.code;
  }
  const took = performance.now() - started;
  if (took > 1000) {
    console.error(
      `BUG (${kind}, seed ${seed}): took ${took.toFixed(0)} ms\ninput base64: ${Buffer.from(input).toString("base64")}`,
    );
    process.exit(1);
  }
  outcomes.set(`${kind}:${outcome}`, (outcomes.get(`${kind}:${outcome}`) ?? 0) + 1);
  cases += 1;
}

const deadline = Date.now() + seconds * 1000;
console.error(`fuzzing the codec for ${seconds} s, seed ${seed}`);
while (Date.now() < deadline) {
  for (let i = 0; i < 200; i++) {
    const noise = randomBytes(random, 2048);
    attempt("random-frame", noise, () => decodeMsgFrame(noise));
    attempt("random-result", noise, () => decodeFetchResult(noise));
    const frame = mutate(random, sampleFrame(random, payloads, random.next() < 0.7));
    attempt("mutated-frame", frame, () => decoder.decodeFrame(frame));
    attempt("mutated-push", frame, () => decodePushFrame(frame));
    const sample = payloads[Math.floor(random.next() * payloads.length)] as {
      method: string;
      payload: Uint8Array;
    };
    const payload = mutate(random, sample.payload);
    attempt("mutated-payload", payload, () => {
      for (const event of decoder.decodeMessage({
        method: sample.method,
        payload,
        msgId: "1",
        msgType: 0,
        offset: "0",
        isHistory: false,
      })) {
        if (event.type === "decodeError" && !(event.error instanceof TikLiveError))
          throw new Error("decodeError without a TikLiveError");
      }
    });
  }
}
console.log(`${cases} cases, no untyped error and no slow decode (seed ${seed})`);
for (const [key, count] of [...outcomes].sort()) console.log(`  ${key.padEnd(40)} ${count}`);
