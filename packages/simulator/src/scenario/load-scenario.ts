import { createRandom } from "@tiklive/core/internal";
import { ControlAction, MessageFactory } from "./message-factory.js";
import type { ScenarioContext, ScenarioDefinition, ScenarioMessage, ScenarioTick } from "./scenario-types.js";
import { type FillerKind, StreamState, tickSize } from "./stream-state.js";
import { createHostUser, createUserPool } from "./users.js";

const loadMix: readonly (readonly [FillerKind, number])[] = [
  ["chat", 50],
  ["like", 18],
  ["member", 14],
  ["gift", 12],
  ["roomUserSeq", 4],
  ["follow", 1],
  ["share", 1],
];

/**
 * The load scenario, for benchmarks: an endless stream (or `length` messages and
 * then a stream end) of chats, likes, joins, gift streaks and viewer counts at
 * `rate` messages per second, from a pool of 200 viewers. Deterministic.
 */
export const loadScenario: ScenarioDefinition = {
  name: "load",
  finite: false,
  ticks: (context) => loadTicks(context),
};

function* loadTicks(ctx: ScenarioContext): Generator<ScenarioTick> {
  const random = createRandom(ctx.seed).fork("load");
  const host = createHostUser(ctx.uniqueId, ctx.nickname, ctx.roomId);
  const factory = new MessageFactory(random.fork("ids"), ctx.roomId, host);
  const state = new StreamState(
    random.fork("stream"),
    factory,
    createUserPool(random.fork("users"), 200, ctx.startTime),
  );
  const pace = random.fork("pace");
  const interval = 1000 / ctx.rate;
  const last = ctx.length === undefined ? Number.POSITIVE_INFINITY : Math.max(1, ctx.length) - 1;
  let i = 0;
  let t = 0;
  while (i < last) {
    const k = Math.min(tickSize(pace, ctx.maxBatch), last - i);
    t += k * interval;
    const messages: ScenarioMessage[] = [];
    for (let j = 0; j < k; j++, i++) {
      const timeMs = ctx.startTime + Math.round(t - (k - 1 - j) * interval);
      const closing = last - i <= state.openStreaks ? state.closeStreak(timeMs) : undefined;
      messages.push(closing ?? state.filler(timeMs, loadMix, last - i > 15));
    }
    yield { atMs: t, messages };
  }
  t += interval;
  yield { atMs: t, messages: [factory.control(ctx.startTime + Math.round(t), ControlAction.STREAM_ENDED)] };
}
