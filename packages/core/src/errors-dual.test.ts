// instanceof TikLiveError across copies of the package: the ESM and CJS builds of one version
// side by side (what a dual-package hazard produces), and the sources. Needs the built dist/,
// which `npm test` builds before it runs the tests.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { ErrorCode, TikLiveError } from "./errors.js";

const dist = fileURLToPath(new URL("../dist/", import.meta.url));
type ErrorModule = { TikLiveError: typeof TikLiveError; ErrorCode: typeof ErrorCode };

async function builds(): Promise<{ esm: ErrorModule; cjs: ErrorModule; cjsInternal: ErrorModule }> {
  for (const file of ["index.js", "index.cjs", "internal.cjs"]) {
    if (!existsSync(`${dist}${file}`)) {
      throw new Error(`packages/core/dist/${file} is missing: build first (pnpm build)`);
    }
  }
  const require = createRequire(import.meta.url);
  return {
    esm: (await import(pathToFileURL(`${dist}index.js`).href)) as ErrorModule,
    cjs: require(`${dist}index.cjs`) as ErrorModule,
    cjsInternal: require(`${dist}internal.cjs`) as ErrorModule,
  };
}

describe("TikLiveError across copies of the package", () => {
  it("instanceof holds between the ESM build, the CJS build and the sources, both ways", async () => {
    const { esm, cjs } = await builds();
    expect(esm.TikLiveError).not.toBe(cjs.TikLiveError);
    const copies = [esm.TikLiveError, cjs.TikLiveError, TikLiveError];
    for (const made of copies) {
      const error = new made(ErrorCode.Stalled, "no frames");
      for (const other of copies) {
        expect(error instanceof other).toBe(true);
        expect(other.is(error, ErrorCode.Stalled)).toBe(true);
      }
      // from() returns a foreign copy's error unchanged instead of wrapping it again.
      expect(esm.TikLiveError.from(error, ErrorCode.NetworkError)).toBe(error);
      expect(cjs.TikLiveError.from(error, ErrorCode.NetworkError)).toBe(error);
    }
  });

  it("is not fooled by look-alikes, and a subclass keeps its own instanceof", async () => {
    const { esm, cjs } = await builds();
    const lookAlike = Object.assign(new Error("x"), {
      name: "TikLiveError",
      code: "stalled",
      retryable: true,
    });
    for (const copy of [esm.TikLiveError, cjs.TikLiveError, TikLiveError]) {
      expect(lookAlike instanceof copy).toBe(false);
      for (const value of [null, undefined, "stalled", 7, { code: "stalled" }] as unknown[]) {
        expect(value instanceof copy).toBe(false);
      }
    }
    class RoomError extends TikLiveError {}
    const plain = new TikLiveError(ErrorCode.Stalled, "x");
    const sub = new RoomError(ErrorCode.Stalled, "y");
    expect(sub instanceof TikLiveError).toBe(true);
    expect(sub instanceof cjs.TikLiveError).toBe(true);
    expect(sub instanceof RoomError).toBe(true);
    expect(plain instanceof RoomError).toBe(false);
  });

  it("each build holds one copy of the class, shared by its two entries (index, internal)", async () => {
    await builds();
    for (const ext of [".js", ".cjs"]) {
      const copies = readdirSync(dist)
        .filter((file) => file.endsWith(ext))
        .filter((file) => readFileSync(`${dist}${file}`, "utf8").includes("TikLiveError = class"));
      expect(copies, `files of the ${ext} build defining TikLiveError`).toHaveLength(1);
    }
  });
});

describe("TikLiveError.from", () => {
  it("maps AbortError and TimeoutError to their codes, whatever code was asked", () => {
    const aborted = TikLiveError.from(new DOMException("stop", "AbortError"), ErrorCode.NetworkError);
    expect(aborted.code).toBe(ErrorCode.Aborted);
    expect(aborted.retryable).toBe(false);
    const timedOut = TikLiveError.from(new DOMException("late", "TimeoutError"), ErrorCode.NetworkError);
    expect(timedOut.code).toBe(ErrorCode.Timeout);
    expect(timedOut.retryable).toBe(true);
    const named = Object.assign(new Error("aborted by fetch"), { name: "AbortError" });
    expect(TikLiveError.from(named, ErrorCode.InvalidResponse).code).toBe(ErrorCode.Aborted);
    expect(TikLiveError.from(new TypeError("fetch failed"), ErrorCode.NetworkError).code).toBe(
      ErrorCode.NetworkError,
    );
  });
});
