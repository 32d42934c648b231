import { createRandom } from "@tiklive/core/internal";
import { BattleInviteType } from "@tiklive/proto";
import { giftCatalogue } from "./gifts.js";
import {
  type ArmyScore,
  ControlAction,
  type LinkGuest,
  LinkMicBattleAction,
  MemberMessageAction,
  MessageFactory,
  type SimBattle,
} from "./message-factory.js";
import type { ScenarioContext, ScenarioDefinition, ScenarioMessage, ScenarioTick } from "./scenario-types.js";
import { type FillerKind, StreamState, tickSize } from "./stream-state.js";
import { captions, intros, polls, questions, welcomeNotice } from "./texts.js";
import { createHostUser, createUserPool, type SimUser } from "./users.js";

/** Default length of the scripted scenario, in messages (stream end included). */
export const defaultScriptedLength = 600;

const fillerMix: readonly (readonly [FillerKind, number])[] = [
  ["chat", 34],
  ["member", 14],
  ["like", 14],
  ["gift", 20],
  ["roomUserSeq", 6],
  ["follow", 3],
  ["share", 2],
  ["emote", 2],
  ["singleGift", 1],
];

// Messages before the end in which no new gift streak starts, so that every
// streak gets its repeatEnd=1 before the stream end.
const streakQuietZone = 15;

type Beat = (timeMs: number) => ScenarioMessage;

/**
 * The default scenario: a realistic stream. It opens with the welcome notice, the
 * live intro and a viewer count; then a mix of chats, joins, likes, interleaved
 * gift streaks (Gift Gallery gifts with their sponsorship), viewer counts, follows
 * and shares, with one of each "beat" spread over the stream (gifter-level entrance
 * banner, question, subscription, emote, envelope, a multi-guest guest joining and
 * leaving, a battle rematch with armies, its punishment cut short and the winner's
 * banner, poll, goal, captions, pin, deletion, a pause and resume from the app, a
 * top-viewer rank announcement, big gifts); it closes every open gift streak and
 * ends with `WebcastControlMessage` action 3 (stream end).
 * Deterministic: the same context gives the same bytes.
 */
export const scriptedScenario: ScenarioDefinition = {
  name: "default",
  finite: true,
  ticks: (context) => scriptedTicks(context),
};

function* scriptedTicks(ctx: ScenarioContext): Generator<ScenarioTick> {
  const random = createRandom(ctx.seed).fork("scripted");
  const host = createHostUser(ctx.uniqueId, ctx.nickname, ctx.roomId);
  const factory = new MessageFactory(random.fork("ids"), ctx.roomId, host);
  const users = createUserPool(random.fork("users"), 40, ctx.startTime);
  const state = new StreamState(random.fork("stream"), factory, users);
  const story = random.fork("story");
  const length = Math.max(1, ctx.length ?? defaultScriptedLength);
  const last = length - 1;

  const intro = story.pick(intros);
  const opening: Beat[] = [
    (t) => factory.roomMessage(t, welcomeNotice, true),
    (t) => factory.liveIntro(t, intro.text, intro.language),
    (t) => state.roomUserSeq(t),
  ];
  const beats = storyBeats(story, state, factory, host, ctx);

  // Beats are spread evenly between the opening (and the backlog) and the quiet
  // zone; a short stream keeps the first ones that fit.
  const first = Math.max(opening.length, ctx.historySize);
  const span = last - streakQuietZone - first;
  const kept = beats.slice(0, Math.max(0, Math.min(beats.length, span)));
  const beatAt = new Map<number, Beat>();
  for (const [j, beat] of kept.entries())
    beatAt.set(first + Math.floor(((j + 0.5) * span) / kept.length), beat);

  const produce = (i: number, timeMs: number): ScenarioMessage => {
    const open = opening[i];
    if (open !== undefined) return open(timeMs);
    const beat = beatAt.get(i);
    if (beat !== undefined) return beat(timeMs);
    if (last - i <= state.openStreaks) {
      const closing = state.closeStreak(timeMs);
      if (closing !== undefined) return closing;
    }
    return state.filler(timeMs, fillerMix, last - i > streakQuietZone);
  };

  const interval = 1000 / ctx.rate;
  let i = 0;
  let t = 0;
  // The backlog: published the moment the room starts, so the first sign
  // response already carries "recent messages" (docs/protocol.md §12, initial data).
  const backlog = Math.min(ctx.historySize, last);
  if (backlog > 0) {
    const messages: ScenarioMessage[] = [];
    for (; i < backlog; i++)
      messages.push(produce(i, ctx.startTime - (backlog - 1 - i) * Math.round(interval)));
    yield { atMs: 0, messages };
  }
  while (i < last) {
    const k = Math.min(tickSize(story, ctx.maxBatch), last - i);
    t += k * interval;
    const messages: ScenarioMessage[] = [];
    for (let j = 0; j < k; j++, i++)
      messages.push(produce(i, ctx.startTime + Math.round(t - (k - 1 - j) * interval)));
    yield { atMs: t, messages };
  }
  t += interval;
  yield { atMs: t, messages: [factory.control(ctx.startTime + Math.round(t), ControlAction.STREAM_ENDED)] };
}

function storyBeats(
  story: ReturnType<typeof createRandom>,
  state: StreamState,
  factory: MessageFactory,
  host: SimUser,
  ctx: ScenarioContext,
): Beat[] {
  const pick = () => state.user();
  const subscriber = pick();
  const rose = giftCatalogue[0] as (typeof giftCatalogue)[number];
  const poll = story.pick(polls);
  const pollId = factory.newId(ctx.startTime);
  const votes = poll.options.map(() => 0);
  const pollOptions = () => poll.options.map((text, idx) => ({ text, votes: votes[idx] ?? 0 }));
  const goalId = factory.newId(ctx.startTime);
  const goalTarget = 500;
  let goalProgress = story.int(50, 200);
  const caption = story.pick(captions);
  const sentenceId = factory.newId(ctx.startTime);
  const battleId = factory.newId(ctx.startTime);
  // The battle is a rematch with the same rival (invite type AGAIN): NORMAL (0) is the proto3
  // default and never on the wire.
  const battle: SimBattle = {
    battleId,
    channelId: factory.newId(ctx.startTime),
    opponent: createHostUser(`rival_of_${ctx.uniqueId}`.slice(0, 24), "Rival 🥊", battleId),
    opponentRoomId: factory.newId(ctx.startTime),
    inviteType: BattleInviteType.AGAIN,
    durationSec: 300,
  };
  const opponent = battle.opponent;
  const scores: ArmyScore[] = [
    { anchor: host, score: 0, supporters: [] },
    { anchor: opponent, score: 0, supporters: [] },
  ];
  const bumpScores = () => {
    for (const side of scores) {
      const supporter = { user: pick(), score: story.int(1, 300) };
      side.supporters.push(supporter);
      side.supporters.sort((a, b) => b.score - a.score);
      side.supporters.splice(3);
      side.score += supporter.score + story.int(0, 200);
    }
  };
  const recentChat = () => state.recentChats[state.recentChats.length - 1];
  const winner = () => {
    const [a, b] = scores as [ArmyScore, ArmyScore];
    return a.score === b.score ? undefined : a.score > b.score ? a : b;
  };
  const loser = () => {
    const w = winner();
    return w === undefined ? undefined : scores.find((s) => s !== w);
  };
  // A viewer with a gifter level, for the entrance banner (every pool has some).
  const graded = state.users.find((u) => u.gifterLevel > 0) ?? pick();
  // The multi-guest panel: one guest joins, later leaves.
  const linkChannelId = factory.newId(ctx.startTime);
  const hostLinkmicId = story.digits(10);
  let guest: LinkGuest | undefined;

  return [
    (t) => state.follow(t),
    (t) => state.share(t),
    (t) => factory.gradeEntranceBarrage(graded, t, Math.max(1, graded.gifterLevel)),
    (t) => factory.question(pick(), t, story.pick(questions)),
    (t) => factory.subNotify(subscriber, t, 1),
    (t) => state.member(t, subscriber, MemberMessageAction.SUBSCRIBED),
    (t) => factory.emote(subscriber, t),
    (t) => state.singleGift(t),
    (t) => {
      guest = { user: pick(), linkmicId: story.digits(10), linkedAtMs: t, position: 1 };
      return factory.linkListChange(t, linkChannelId, hostLinkmicId, [guest]);
    },
    (t) => factory.poll(t, pollId, "start", poll.title, pollOptions()),
    (t) => factory.caption(t, caption.split(" ").slice(0, 3).join(" "), false, sentenceId, 1),
    (t) => factory.caption(t, caption, true, sentenceId, 2),
    (t) => factory.goal(t, goalId, rose, goalProgress, goalTarget, pick(), 1),
    // The guest leaves the panel (10011: the leave reason of the captured leave).
    (t) => (guest === undefined ? state.chat(t) : factory.linkLeave(t, linkChannelId, guest, 10011)),
    (t) => {
      battle.startTimeMs = t;
      return factory.battle(t, battle, LinkMicBattleAction.OPEN);
    },
    (t) => {
      bumpScores();
      return factory.armies(t, battle, scores, false);
    },
    (t) => state.follow(t),
    (t) => factory.envelope(pick(), t, 100 * story.int(1, 5), story.int(5, 20)),
    (t) => {
      bumpScores();
      return factory.armies(t, battle, scores, false);
    },
    (t) => {
      for (let idx = 0; idx < votes.length; idx++) votes[idx] = (votes[idx] ?? 0) + story.int(1, 30);
      return factory.poll(t, pollId, "update", poll.title, pollOptions());
    },
    (t) => {
      const chat = recentChat();
      return chat === undefined ? state.chat(t) : factory.pin(t, chat.proto);
    },
    (t) => factory.battle(t, battle, LinkMicBattleAction.FINISH, scores),
    (t) => factory.armies(t, battle, scores, true),
    (t) => factory.battleNotify(t, winner()?.anchor),
    // The winner cuts the punishment short (the host on a draw).
    (t) => factory.battlePunishFinish(t, battle, winner()?.anchor ?? host, loser()?.anchor),
    (t) => {
      for (let idx = 0; idx < votes.length; idx++) votes[idx] = (votes[idx] ?? 0) + story.int(0, 10);
      return factory.poll(t, pollId, "end", poll.title, pollOptions());
    },
    (t) => factory.control(t, ControlAction.STREAM_PAUSED, "app"),
    (t) => {
      goalProgress += story.int(10, 60);
      return factory.goal(t, goalId, rose, goalProgress, goalTarget, pick(), 10);
    },
    (t) => factory.control(t, ControlAction.STREAM_UNPAUSED, "app"),
    (t) => state.share(t),
    (t) => {
      const chat = state.recentChats[0];
      return chat === undefined
        ? state.chat(t)
        : factory.imDelete(t, [chat.message.msgId], [chat.message.fields["user.id"] as string]);
    },
    (t) => {
      // The second of the top gifters so far moves up to No. 2 (from No. 3).
      const top = state.topGifters(2);
      return factory.rankText(t, top[1]?.user ?? top[0]?.user ?? pick(), 3, 2);
    },
    (t) => state.singleGift(t),
  ];
}
