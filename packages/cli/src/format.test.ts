import type {
  ChatEvent,
  ClientState,
  ControlEvent,
  GiftCompletedEvent,
  GiftEvent,
  RoomUserEvent,
  SocialEvent,
  StreamEndEvent,
} from "@tiklive/client";
import { TikLiveError } from "@tiklive/core";
import { testUser } from "@tiklive/test-support/users";
import { describe, expect, it } from "vitest";
import {
  formatErrorLines,
  formatEventLine,
  plainErrorMessage,
  sanitizeText,
  shouldColor,
  toJsonEvent,
} from "./format.js";

// 2026-01-01 12:34:56 local time.
const createTime = new Date(2026, 0, 1, 12, 34, 56).getTime();
const base = (msgId: string, method: string) => ({
  msgId,
  roomId: "7300993857827228449",
  createTime,
  method,
  isHistory: false,
  displayKey: "",
});
// The decoded protobuf message: formatting must never print it.
const raw = { $typeName: "protobuf", secret: new Uint8Array([1, 2, 3]) };

const chat: ChatEvent = {
  type: "chat",
  ...base("7400000000000000001", "WebcastChatMessage"),
  user: testUser("alice"),
  comment: "hello there",
  language: "en",
  emotes: [],
  mentionedUser: undefined,
  raw: raw as unknown as ChatEvent["raw"],
};

function gift(step: { msgId: string; repeatCount: number; repeatEnd: boolean }): GiftEvent {
  return {
    type: "gift",
    ...base(step.msgId, "WebcastGiftMessage"),
    user: testUser("bob"),
    toUser: undefined,
    giftId: "5655",
    giftName: "Rose",
    giftType: 1,
    diamondCount: 1,
    repeatCount: step.repeatCount,
    repeatEnd: step.repeatEnd,
    isStreaking: !step.repeatEnd,
    groupId: "7400000000000000900",
    comboCount: step.repeatCount,
    groupCount: 1,
    giftPictureUrl: undefined,
    describe: "sent Rose",
    raw: raw as unknown as GiftEvent["raw"],
  };
}

const lastStep = gift({ msgId: "7400000000000000012", repeatCount: 5, repeatEnd: true });
const completed: GiftCompletedEvent = {
  type: "giftCompleted",
  user: testUser("bob"),
  giftId: "5655",
  giftName: "Rose",
  diamondCount: 1,
  repeatCount: 5,
  diamonds: 5,
  reason: "repeatEnd",
  groupId: "7400000000000000900",
  eventCount: 2,
  lastGift: lastStep,
};

const follow: SocialEvent<"follow"> = {
  type: "follow",
  ...base("7400000000000000020", "WebcastSocialMessage"),
  displayKey: "pm_main_follow_message_viewer_2",
  user: testUser("carol"),
  action: 1,
  followCount: 1234,
  shareCount: 0,
  shareType: 0,
  shareTarget: "",
  raw: raw as unknown as SocialEvent["raw"],
};

const roomUser: RoomUserEvent = {
  type: "roomUser",
  ...base("7400000000000000030", "WebcastRoomUserSeqMessage"),
  viewerCount: 321,
  totalViewers: 4567,
  topViewers: [
    { user: testUser("dave"), coinCount: 99, rank: 1 },
    { user: testUser("erin"), coinCount: 10, rank: 2 },
  ],
  raw: raw as unknown as RoomUserEvent["raw"],
};

const control: ControlEvent = {
  type: "controlMessage",
  ...base("7400000000000000040", "WebcastControlMessage"),
  action: 3,
  actionName: "ended",
  tips: "",
  raw: raw as unknown as ControlEvent["raw"],
};
const streamEnd: StreamEndEvent = {
  type: "streamEnd",
  ...base("7400000000000000040", "WebcastControlMessage"),
  action: 3,
  actionName: "ended",
  reason: "ended",
  tips: "",
  raw: raw as unknown as StreamEndEvent["raw"],
};

// A generic method event: the decoded message is its `data` (fields in declaration order).
const gallery = {
  type: "giftGallery",
  ...base("7400000000000000060", "WebcastGiftGalleryMessage"),
  data: {
    $typeName: "tiklive.webcast.v1.WebcastGiftGalleryMessage",
    common: { $typeName: "tiklive.webcast.v1.CommonMessageData", msgId: "7400000000000000060" },
    user: { $typeName: "tiklive.webcast.v1.User", nickname: "alice" },
    msgType: 2,
    allSponsored: true,
    logId: "log\n1",
    priority: undefined,
    $unknown: [{ no: 99, wireType: 2, data: new Uint8Array([1]) }],
  },
} as unknown as ChatEvent;

const rateLimit = new TikLiveError("sign_rate_limited", "rate-limited by the sign server", {
  retryAfterMs: 3000,
});

describe("toJsonEvent", () => {
  it("gives the event name and its friendly fields, without raw or bytes, nested users kept", () => {
    const json = toJsonEvent(chat);
    expect(json).toEqual({
      event: "chat",
      msgId: "7400000000000000001",
      roomId: "7300993857827228449",
      createTime,
      method: "WebcastChatMessage",
      isHistory: false,
      displayKey: "",
      user: { ...testUser("alice"), topGifterRank: undefined },
      comment: "hello there",
      language: "en",
      emotes: [],
    });
    expect(Object.keys(json)[0]).toBe("event");
    expect(JSON.stringify(json)).not.toContain("protobuf");
    // undefined fields are left out (JSON has no undefined)
    expect("mentionedUser" in json).toBe(false);
  });

  it("prints ids as strings, even when a number slipped in, and bigints as strings", () => {
    const odd = {
      ...chat,
      msgId: 7400000000000001 as unknown as string,
      user: { ...testUser("x"), userId: 12 as unknown as string },
      extra: 5n,
    };
    const json = toJsonEvent(odd as unknown as ChatEvent);
    expect(json["msgId"]).toBe("7400000000000001");
    expect((json["user"] as { userId: unknown }).userId).toBe("12");
    expect(json["extra"]).toBe("5");
  });

  it("keeps a method event's decoded message as data, without protobuf bookkeeping", () => {
    const json = toJsonEvent(gallery);
    expect(json).toMatchObject({ event: "giftGallery", msgId: "7400000000000000060" });
    expect(json["data"]).toEqual({
      common: { msgId: "7400000000000000060" },
      user: { nickname: "alice" },
      msgType: 2,
      allSponsored: true,
      logId: "log\n1",
    });
  });

  it("keeps giftCompleted's last gift as a friendly event (no raw inside either)", () => {
    const json = toJsonEvent(completed);
    expect(json).toMatchObject({
      event: "giftCompleted",
      giftId: "5655",
      repeatCount: 5,
      diamonds: 5,
      reason: "repeatEnd",
    });
    expect(json["lastGift"]).toMatchObject({ type: "gift", msgId: "7400000000000000012", repeatEnd: true });
    expect(JSON.stringify(json)).not.toContain("protobuf");
  });

  it("prints the client's own events with their fields; errors as code, message, retryable", () => {
    expect(toJsonEvent({ type: "error", error: rateLimit })).toEqual({
      event: "error",
      code: "sign_rate_limited",
      message: "rate-limited by the sign server",
      retryable: true,
      retryAfterMs: 3000,
    });
    expect(toJsonEvent({ type: "disconnected", reason: "streamEnd", error: undefined })).toEqual({
      event: "disconnected",
      reason: "streamEnd",
    });
    expect(
      toJsonEvent({
        type: "reconnecting",
        attempt: 2,
        delayMs: 1500,
        reason: "drop",
        signBudgetWaitMs: 0,
        error: new TikLiveError("connection_closed", "closed 1006"),
      }),
    ).toEqual({
      event: "reconnecting",
      attempt: 2,
      delayMs: 1500,
      reason: "drop",
      signBudgetWaitMs: 0,
      error: { code: "connection_closed", message: "closed 1006", retryable: true },
    });
    expect(
      toJsonEvent({ type: "gap", from: 1, until: 2, reason: "offline", lostMessages: undefined }),
    ).toEqual({ event: "gap", from: 1, until: 2, reason: "offline" });
    const state: ClientState = {
      status: "connected",
      uniqueId: "alice",
      roomId: "7300993857827228449",
      live: "live",
      roomInfo: { status: 2, title: "Live now", owner: { secret: "not printed" } },
      availableGifts: undefined,
      transport: "websocket",
      signer: "euler",
      reconnects: 1,
      cursor: "c",
    };
    expect(toJsonEvent({ type: "connected", state, reconnected: true })).toEqual({
      event: "connected",
      uniqueId: "alice",
      roomId: "7300993857827228449",
      title: "Live now",
      transport: "websocket",
      signer: "euler",
      reconnects: 1,
      reconnected: true,
    });
    expect(
      toJsonEvent({ type: "rawData", method: "WebcastChatMessage", msgId: "1", payload: new Uint8Array(7) }),
    ).toEqual({ event: "rawData", method: "WebcastChatMessage", msgId: "1", payloadSize: 7 });
  });
});

describe("formatEventLine", () => {
  it("chat: name, @user and the comment", () => {
    expect(formatEventLine(chat)).toBe("chat           @alice: hello there");
  });

  it("gift: every step of a streak, then the end, then giftCompleted once", () => {
    expect(formatEventLine(gift({ msgId: "7400000000000000011", repeatCount: 3, repeatEnd: false }))).toBe(
      "gift           @bob sent Rose x3 (streak running)",
    );
    expect(formatEventLine(lastStep)).toBe("gift           @bob sent Rose x5 (streak ended)");
    expect(
      formatEventLine({
        ...lastStep,
        giftType: 2,
        repeatEnd: false,
        isStreaking: false,
        repeatCount: 1,
        toUser: testUser("host"),
      }),
    ).toBe("gift           @bob sent Rose x1 to @host");
    expect(formatEventLine(completed)).toBe("giftCompleted  @bob gave Rose x5 = 5 diamonds");
    expect(formatEventLine({ ...completed, reason: "timeout", repeatCount: 1, diamonds: 1 })).toBe(
      "giftCompleted  @bob gave Rose x1 = 1 diamond (streak timed out)",
    );
  });

  it("follow, roomUser, controlMessage and streamEnd", () => {
    expect(formatEventLine(follow)).toBe("follow         @carol followed the host");
    expect(formatEventLine(roomUser)).toBe(
      "roomUser       321 viewers now, 4567 in total; top: @dave (99), @erin (10)",
    );
    expect(formatEventLine(control)).toBe("controlMessage stream ended (action 3)");
    expect(formatEventLine(streamEnd)).toBe("streamEnd      the stream ended");
  });

  it("error and disconnected name the code, and a rate limit its retry time", () => {
    expect(formatEventLine({ type: "error", error: rateLimit })).toBe(
      "error          sign_rate_limited: rate-limited by the sign server, retry in 3 s",
    );
    expect(
      formatEventLine({
        type: "disconnected",
        reason: "error",
        error: new TikLiveError("user_offline", "@x is not live"),
      }),
    ).toBe("disconnected   disconnected (error): user_offline: @x is not live");
  });

  it("falls back to a summary for events without a template", () => {
    const notice = {
      type: "notice",
      ...base("7400000000000000050", "WebcastNoticeMessage"),
      content: "be kind",
      raw,
    } as unknown as ChatEvent;
    expect(formatEventLine(notice)).toBe("notice         be kind");
  });

  it("shows a method event as its method and the message's set scalar fields", () => {
    expect(formatEventLine(gallery)).toBe(
      'giftGallery    WebcastGiftGalleryMessage msgType=2 allSponsored=true logId="log 1"',
    );
    const empty = { ...gallery, data: { $typeName: "x", common: undefined, msgType: 0, logId: "" } };
    expect(formatEventLine(empty as unknown as ChatEvent)).toBe("giftGallery    WebcastGiftGalleryMessage");
  });

  it("starts with the message's local time when asked, or the clock's for events without one", () => {
    expect(formatEventLine(chat, { time: true })).toBe("12:34:56 chat           @alice: hello there");
    expect(
      formatEventLine(
        { type: "websocketConnected", url: undefined },
        { time: true, now: () => createTime + 1000 },
      ),
    ).toBe("12:34:57 websocketConnected WebSocket open");
  });

  it("colours only when asked, and keeps the text the same", () => {
    const plain = formatEventLine(chat);
    const coloured = formatEventLine(chat, { color: true });
    expect(plain).not.toContain("\u001b[");
    expect(coloured).toContain("\u001b[36mchat");
    expect(coloured.replace(/\u001b\[[0-9;]*m/g, "")).toBe(plain);
  });

  it("never lets stream text break the line or drive the terminal", () => {
    const nasty = { ...chat, comment: "hi\nthere\u001b[2J\u0007!", user: testUser("x\u001b]0;title\u0007") };
    const line = formatEventLine(nasty);
    expect(line).not.toMatch(/[\u0000-\u001f]/);
    expect(line).toBe("chat           @x\uFFFD]0;title\uFFFD: hi there\uFFFD[2J\uFFFD!");
    expect(sanitizeText("a\tb\r\nc")).toBe("a b  c");
    // Emoji, RTL and CJK are kept as they are.
    expect(sanitizeText("שלום 🇲🇽 你好")).toBe("שלום 🇲🇽 你好");
  });
});

describe("shouldColor", () => {
  it("only on a TTY without NO_COLOR", () => {
    expect(shouldColor(true, {})).toBe(true);
    expect(shouldColor(false, {})).toBe(false);
    expect(shouldColor(true, { NO_COLOR: "1" })).toBe(false);
    expect(shouldColor(true, { NO_COLOR: "" })).toBe(false);
  });
});

describe("formatErrorLines", () => {
  it("names the code and the cause, no stack trace", () => {
    const lines = formatErrorLines(new TikLiveError("user_offline", "@sim_offline is not live"));
    expect(lines).toEqual(["tiklive: user_offline: @sim_offline is not live"]);
  });

  it("gives a rate limit's retry time, in seconds and as a clock time", () => {
    const lines = formatErrorLines(rateLimit, { now: () => createTime });
    expect(lines).toEqual([
      "tiklive: sign_rate_limited: rate-limited by the sign server",
      "tiklive: rate-limited; try again in 3 s (after 12:34:59)",
    ]);
  });

  it("says the one failure behind 'no transport could open the stream'", () => {
    const cause = new TikLiveError(
      "handshake_rejected",
      "the push server rejected the handshake: 417 illegal secret key",
    );
    const error = new TikLiveError(
      "handshake_rejected",
      `no transport could open the stream: handshake_rejected: ${cause.message}`,
      {
        cause,
        details: { attempts: [{ code: cause.code, message: cause.message }] },
      },
    );
    const lines = formatErrorLines(error);
    expect(lines[0]).toBe(
      "tiklive: handshake_rejected: the push server rejected the handshake: 417 illegal secret key",
    );
    expect(lines).toHaveLength(2);
  });

  it("says what the signer was doing in plain words, not its method or function names", () => {
    const refused = new TikLiveError(
      "sign_unauthorized",
      'signer "euler@127.0.0.1:9" sign: the sign server rejected the API key or JWT (HTTP 403): Invalid API key.',
      {
        details: { signer: "euler@127.0.0.1:9", operation: "sign", url: "http://127.0.0.1:9/webcast/fetch" },
      },
    );
    expect(formatErrorLines(refused)).toEqual([
      "tiklive: sign_unauthorized: signing the connection (sign server 127.0.0.1:9): the sign server rejected the API key or JWT (HTTP 403): Invalid API key.",
      "tiklive: the sign server refused the API key: check --api-key (or EULER_API_KEY)",
    ]);
    // Nested in the room lookup's error; the default signer's host comes from its details.
    const signerError = new TikLiveError(
      "signer_unavailable",
      'signer "euler" resolveRoomId: cannot reach the sign server (connect ECONNREFUSED)',
      { details: { signer: "euler", url: "https://api.eulerstream.com/webcast/room_id" } },
    );
    const lookup = new TikLiveError(
      "signer_unavailable",
      `could not find the room of @x: ${signerError.message}`,
      { cause: signerError },
    );
    expect(plainErrorMessage(lookup)).toBe(
      "could not find the room of @x: looking up the room id (sign server api.eulerstream.com): cannot reach the sign server (connect ECONNREFUSED)",
    );
    expect(formatEventLine({ type: "error", error: lookup })).not.toMatch(/resolveRoomId|signer "/);
    expect(toJsonEvent({ type: "error", error: lookup })["message"]).toBe(plainErrorMessage(lookup));
    // Checks of createEulerSigner's options name the flag.
    expect(
      formatErrorLines(
        new TikLiveError("invalid_input", "createEulerSigner: `apiKey` is too short to be a key"),
      ),
    ).toEqual(["tiklive: invalid_input: the API key (--api-key or EULER_API_KEY) is too short to be a key"]);
    // Other text is left alone, signer names in other places too.
    expect(plainErrorMessage(new Error('signer "a" failed: x'))).toBe('signer "a" failed: x');
  });

  it("names a failed proxy and what to check", () => {
    const error = new TikLiveError("network_error", "the proxy 127.0.0.1:1 failed: connection refused", {
      details: { proxy: "127.0.0.1:1", hint: "is the proxy running?" },
    });
    expect(formatErrorLines(error)).toEqual([
      "tiklive: network_error: the proxy 127.0.0.1:1 failed: connection refused",
      "tiklive: check --proxy: is the proxy running?",
    ]);
    expect(formatErrorLines(new TikLiveError("network_error", "reset"))).toHaveLength(1);
  });

  it("reports an unexpected error in one line", () => {
    expect(formatErrorLines(new TypeError("boom"))).toEqual(["tiklive: unexpected error: boom"]);
  });
});
