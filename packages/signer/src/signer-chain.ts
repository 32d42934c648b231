import {
  ErrorCode,
  type RoomIdLookup,
  type SignBudget,
  type SignedSession,
  type Signer,
  type SignRequest,
  TikLiveError,
} from "@tiklive/core";
import { createRedactor, delayOption, sleep } from "@tiklive/core/internal";
import type { SendChatRequest } from "./euler-signer.js";
import { createRedactedLog, type SignerLogger } from "./logger.js";

/** Options of {@link createSignerChain}. Validated and defaulted once, at creation. */
export interface SignerChainOptions {
  /** The chain's own name (it is a `Signer` too, and may sit in another chain). Default `"chain"`. */
  name?: string;
  /**
   * How long a signer is skipped after it was unavailable, degraded, timed out or answered
   * something unexpected, in ms (a whole number up to 2 147 483 647). Also used after a rate
   * limit that gave no retry time. Default 30 000.
   */
  cooldownMs?: number;
  /**
   * How long a signer is skipped after it rejected its key or needed a paid plan, in ms (a whole
   * number up to 2 147 483 647). Default 600 000 (10 min).
   */
  authCooldownMs?: number;
  /** The clock, in ms since the epoch. Default `Date.now`. */
  now?: () => number;
  /** Where to write failovers and recoveries. Default: none. */
  logger?: SignerLogger;
}

/** Why a signer is being skipped. */
export type SignerState =
  /** Tried normally. */
  | "ready"
  /** Rate-limited until `nextTryAt`. */
  | "rate_limited"
  /** Unavailable, degraded, timed out or answering unexpectedly: cooling down until `nextTryAt`. */
  | "unavailable"
  /** Rejected its key or needs a paid plan: skipped until `nextTryAt` (the long cooldown). */
  | "unauthorized";

/** One signer's place in a chain, as {@link SignerChain.status} reports it. */
export interface SignerStatus {
  /** The signer's name. */
  name: string;
  /** Its state now; `ready` once a cooldown has passed, even before the next try. */
  state: SignerState;
  /** When it will be tried again (ms since the epoch); undefined when ready. */
  nextTryAt: number | undefined;
  /** Failures since it last served. */
  consecutiveFailures: number;
  /** Its latest failure, if any since it last served. */
  lastError: { code: ErrorCode; message: string; at: number } | undefined;
  /** When it last served a request (ms since the epoch). */
  lastServedAt: number | undefined;
}

/** A {@link Signer} that tries several signers in order, with a circuit breaker per signer. */
export interface SignerChain extends Signer {
  /** The signers, in order. */
  readonly signers: readonly Signer[];
  /**
   * A view of the members' budgets, or undefined when no member has one. Each member keeps
   * and draws from its own budget when the chain hands it a request; this view only reads them:
   *
   * - `waitTime()`: the least wait among the members the chain would try now (those not
   *   cooling down; a member without a budget counts 0). When every member cools down: the
   *   least, over the members, of its cooldown or budget wait, whichever is longer.
   * - `acquire(signal)`: waits (on real timers) until `waitTime()` is 0; it takes nothing.
   * - `penalize()`, `report()`: do nothing; a member's 429 blocks that member's own budget.
   */
  readonly budget: SignBudget | undefined;
  /** Each signer's state and next-try time, in order. */
  status(): SignerStatus[];
}

interface Member {
  signer: Signer;
  state: SignerState;
  nextTryAt: number;
  consecutiveFailures: number;
  lastError: TikLiveError | undefined;
  lastErrorAt: number;
  lastServedAt: number | undefined;
}

interface Failure {
  member: Member;
  error: TikLiveError;
  /** True when the signer was skipped (cooling down) rather than tried now. */
  skipped: boolean;
}

// Errors about the request, not the signer: every signer would answer the same, so
// the chain stops at once and blames no one (docs/protocol.md §8 "user not found" is an answer).
const requestErrors: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  ErrorCode.InvalidInput,
  ErrorCode.Aborted,
  ErrorCode.UserNotFound,
  ErrorCode.UserOffline,
  ErrorCode.AgeRestricted,
  ErrorCode.SessionRequired,
]);

function invalid(message: string): TikLiveError {
  return new TikLiveError(ErrorCode.InvalidInput, message);
}

/**
 * Combines signers into one that tries them in order (like viem's `fallback()`): the first
 * that is not cooling down gets the request; when it fails for a reason of its own, the next
 * is tried, and the failed one is skipped for a while:
 *
 * - rate-limited (`sign_rate_limited`): until its `retryAfterMs` (else `cooldownMs`);
 * - unavailable, degraded, timed out, invalid response, any other error: `cooldownMs` (30 s);
 * - unauthorized or premium required: `authCooldownMs` (10 min).
 *
 * After its time a signer is tried again; a success makes it `ready`. Errors about the request
 * itself (`invalid_input`, `aborted`, `user_not_found`, ...) end the call at once and blame no
 * signer; `feature_disabled` moves on to the next signer without blame.
 *
 * When every signer fails or is skipped it throws: if all are rate-limited, a new
 * `sign_rate_limited` error whose `retryAfterMs` is the soonest retry; else the last error's
 * code and message, with every failure in `details.failures`, `retryAfterMs` = when the
 * chain will next try a signer, and `retryable` true when any failure was retryable.
 *
 * Sign budgets: a `sign()` goes first to the members whose budget has room (in their order),
 * then to the others, soonest-free first, so an empty budget does not make the chain wait
 * while another member could sign now; `resolveRoomId`/`sendChat` keep the plain order. The
 * chain's own `budget` is a read-only view of the members' (see {@link SignerChain.budget}).
 *
 * The chain is a `Signer` itself: `SignedSession.signer` names the member that served, and
 * `resolveRoomId`/`sendChat` exist when a member has them, delegating to the first such
 * member that is up, with the same failover.
 */
export function createSignerChain(signers: readonly Signer[], options: SignerChainOptions = {}): SignerChain {
  if (!Array.isArray(signers) || signers.length === 0)
    throw invalid("createSignerChain: give at least one signer");
  const names = new Set<string>();
  for (const [index, signer] of signers.entries()) {
    if (
      signer === null ||
      typeof signer !== "object" ||
      typeof signer.sign !== "function" ||
      typeof signer.name !== "string"
    ) {
      throw invalid(
        `createSignerChain: signer #${index} is not a Signer (an object with \`name\` and \`sign()\`)`,
      );
    }
    if (names.has(signer.name)) {
      throw invalid(
        `createSignerChain: two signers are named "${signer.name}"; give each a distinct \`name\` so failures and status() can tell them apart`,
      );
    }
    names.add(signer.name);
  }
  if (options === null || typeof options !== "object")
    throw invalid("createSignerChain: options must be an object");
  if (options.name !== undefined && (typeof options.name !== "string" || options.name === "")) {
    throw invalid("createSignerChain: `name` must be a non-empty string");
  }
  if (options.now !== undefined && typeof options.now !== "function")
    throw invalid("createSignerChain: `now` must be a function");
  const name = options.name ?? "chain";
  const rules = { allowZero: true, caller: "createSignerChain" };
  const cooldownMs = delayOption("cooldownMs", options.cooldownMs, 30_000, rules);
  const authCooldownMs = delayOption("authCooldownMs", options.authCooldownMs, 600_000, rules);
  const now = options.now ?? Date.now;
  const log = createRedactedLog(options.logger, createRedactor([]));

  const members: Member[] = signers.map((signer) => ({
    signer,
    state: "ready",
    nextTryAt: 0,
    consecutiveFailures: 0,
    lastError: undefined,
    lastErrorAt: 0,
    lastServedAt: undefined,
  }));

  function isCoolingDown(member: Member, at: number): boolean {
    return member.state !== "ready" && at < member.nextTryAt;
  }

  function recordFailure(member: Member, error: TikLiveError): void {
    const at = now();
    let state: SignerState;
    let waitMs: number;
    if (error.code === ErrorCode.SignRateLimited) {
      state = "rate_limited";
      waitMs = error.retryAfterMs ?? cooldownMs;
    } else if (error.code === ErrorCode.SignUnauthorized || error.code === ErrorCode.SignPremiumRequired) {
      state = "unauthorized";
      waitMs = authCooldownMs;
    } else {
      state = "unavailable";
      waitMs = cooldownMs;
    }
    member.state = state;
    member.nextTryAt = at + waitMs;
    member.consecutiveFailures += 1;
    member.lastError = error;
    member.lastErrorAt = at;
    log.warn(
      `signer chain "${name}": "${member.signer.name}" failed (${error.code}); skipped for ${Math.ceil(waitMs / 1000)} s`,
      {
        message: error.message,
      },
    );
  }

  function recordSuccess(member: Member): void {
    if (member.state !== "ready" || member.consecutiveFailures > 0) {
      log.debug(`signer chain "${name}": "${member.signer.name}" serves again`);
    }
    member.state = "ready";
    member.nextTryAt = 0;
    member.consecutiveFailures = 0;
    member.lastError = undefined;
    member.lastServedAt = now();
  }

  function budgetWait(member: Member): number {
    return member.signer.budget?.waitTime() ?? 0;
  }

  function skipped(member: Member, at: number): boolean {
    return isCoolingDown(member, at) && member.lastError !== undefined;
  }

  // The members by sign budget: those with room first, in their order; then the others,
  // soonest-free first (a stable sort keeps the order among equal waits).
  function byBudget(): Member[] {
    const waits = new Map(members.map((m) => [m, budgetWait(m)]));
    return [...members].sort((a, b) => (waits.get(a) ?? 0) - (waits.get(b) ?? 0));
  }

  // What the chain's budget view says (SignerChain.budget).
  function chainWait(): number {
    const at = now();
    let ready: number | undefined;
    let cooling = Number.POSITIVE_INFINITY;
    for (const member of members) {
      const wait = budgetWait(member);
      if (skipped(member, at)) cooling = Math.min(cooling, Math.max(member.nextTryAt - at, wait));
      else ready = Math.min(ready ?? Number.POSITIVE_INFINITY, wait);
    }
    return Math.max(0, Math.ceil(ready ?? (Number.isFinite(cooling) ? cooling : 0)));
  }

  const budgetView: SignBudget = {
    waitTime: chainWait,
    async acquire(signal) {
      // A call, so TypeScript does not keep the narrowing across the await.
      const aborted = () => signal?.aborted === true;
      let waited = 0;
      for (;;) {
        if (aborted()) throw abortedError("budget", signal?.reason);
        const wait = chainWait();
        if (wait === 0) return waited;
        try {
          await sleep(wait, signal);
        } catch (error) {
          throw aborted() ? abortedError("budget", signal?.reason) : error;
        }
        waited += wait;
      }
    },
    penalize() {},
    report() {},
  };

  /** Runs `attempt` on each eligible member in order until one succeeds. */
  async function run<T>(
    operation: string,
    eligible: (member: Member) => boolean,
    attempt: (signer: Signer) => Promise<T>,
    signal: AbortSignal | undefined,
    order: readonly Member[] = members,
  ): Promise<{ value: T; member: Member }> {
    const failures: Failure[] = [];
    let lastDisabled: TikLiveError | undefined;
    for (const member of order) {
      if (!eligible(member)) continue;
      if (signal?.aborted === true) throw abortedError(operation, signal.reason);
      if (isCoolingDown(member, now()) && member.lastError !== undefined) {
        failures.push({ member, error: member.lastError, skipped: true });
        continue;
      }
      try {
        const value = await attempt(member.signer);
        recordSuccess(member);
        return { value, member };
      } catch (thrown) {
        const error = TikLiveError.from(
          thrown,
          ErrorCode.SignerUnavailable,
          `signer "${member.signer.name}" failed: ${describe(thrown)}`,
        );
        if (requestErrors.has(error.code)) throw error;
        if (error.code === ErrorCode.FeatureDisabled) {
          lastDisabled = error;
          continue;
        }
        recordFailure(member, error);
        failures.push({ member, error, skipped: false });
      }
    }
    if (failures.length === 0) {
      throw (
        lastDisabled ??
        new TikLiveError(
          ErrorCode.FeatureDisabled,
          `signer chain "${name}": no signer supports ${operation}`,
          { retryable: false },
        )
      );
    }
    throw chainError(operation, failures);
  }

  function chainError(operation: string, failures: readonly Failure[]): TikLiveError {
    const at = now();
    const waits = failures.map((f) => Math.max(0, f.member.nextTryAt - at));
    const soonest = Math.min(...waits);
    const summaries = failures.map((f, i) => ({
      signer: f.member.signer.name,
      code: f.error.code,
      message: f.error.message,
      skipped: f.skipped,
      retryAfterMs: waits[i],
    }));
    if (failures.every((f) => f.error.code === ErrorCode.SignRateLimited)) {
      return new TikLiveError(
        ErrorCode.SignRateLimited,
        `signer chain "${name}" ${operation}: every signer is rate-limited; the first is free again in ${Math.ceil(soonest / 1000)} s`,
        {
          retryAfterMs: soonest,
          details: { chain: name, failures: summaries },
          cause: failures[failures.length - 1]?.error,
        },
      );
    }
    const last = failures[failures.length - 1] as Failure;
    const how = last.skipped
      ? `"${last.member.signer.name}" is cooling down after`
      : `"${last.member.signer.name}" failed:`;
    return new TikLiveError(
      last.error.code,
      `signer chain "${name}" ${operation}: every signer failed; ${how} ${last.error.message}`,
      {
        cause: last.error,
        retryable: failures.some((f) => f.error.retryable),
        retryAfterMs: soonest,
        details: { ...last.error.details, chain: name, signer: last.member.signer.name, failures: summaries },
      },
    );
  }

  function abortedError(operation: string, reason: unknown): TikLiveError {
    return new TikLiveError(ErrorCode.Aborted, `signer chain "${name}" ${operation}: aborted by the caller`, {
      cause: reason,
      retryable: false,
    });
  }

  const budgeted = signers.some((s) => s.budget !== undefined);
  const chain: SignerChain = {
    name,
    signers: Object.freeze([...signers]),
    budget: budgeted ? budgetView : undefined,
    async sign(request: SignRequest): Promise<SignedSession> {
      const { value, member } = await run(
        "sign",
        () => true,
        (signer) => signer.sign(request),
        request?.signal,
        budgeted ? byBudget() : members,
      );
      return { ...value, signer: member.signer.name };
    },
    status(): SignerStatus[] {
      const at = now();
      return members.map((m) => {
        const cooling = isCoolingDown(m, at);
        return {
          name: m.signer.name,
          state: cooling ? m.state : "ready",
          nextTryAt: cooling ? m.nextTryAt : undefined,
          consecutiveFailures: m.consecutiveFailures,
          lastError:
            m.lastError === undefined
              ? undefined
              : { code: m.lastError.code, message: m.lastError.message, at: m.lastErrorAt },
          lastServedAt: m.lastServedAt,
        };
      });
    },
  };
  if (signers.some((s) => typeof s.resolveRoomId === "function")) {
    chain.resolveRoomId = async (
      uniqueId: string,
      callOptions?: { signal?: AbortSignal },
    ): Promise<RoomIdLookup> => {
      const { value } = await run(
        "resolveRoomId",
        (m) => typeof m.signer.resolveRoomId === "function",
        (signer) =>
          (signer.resolveRoomId as NonNullable<Signer["resolveRoomId"]>).call(signer, uniqueId, callOptions),
        callOptions?.signal,
      );
      return value;
    };
  }
  if (signers.some((s) => typeof s.sendChat === "function")) {
    chain.sendChat = async (request: SendChatRequest): Promise<void> => {
      await run(
        "sendChat",
        (m) => typeof m.signer.sendChat === "function",
        (signer) => (signer.sendChat as NonNullable<Signer["sendChat"]>).call(signer, request),
        request?.signal,
      );
    };
  }
  return chain;
}

function describe(value: unknown): string {
  return value instanceof Error ? value.message : String(value);
}
