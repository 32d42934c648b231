// Fake users as the client hands them over (core's `User`), for tests of what reads events.
import type { User } from "@tiklive/core";

/** A `User` with plain defaults (nickname: the uniqueId upper-cased); `overrides` sets any field. */
export function testUser(uniqueId: string, overrides: Partial<User> = {}): User {
  return {
    userId: "7000000000000000001",
    uniqueId,
    nickname: uniqueId.toUpperCase(),
    secUid: "MS4w",
    profilePictureUrl: "https://p16.example/avatar.webp",
    profilePictureUrls: ["https://p16.example/avatar.webp"],
    verified: false,
    badges: [],
    isModerator: false,
    isSubscriber: false,
    isNewGifter: false,
    topGifterRank: undefined,
    gifterLevel: 0,
    teamMemberLevel: 0,
    followRole: 0,
    followInfo: { followingCount: 1, followerCount: 2, followStatus: 0, pushStatus: 0 },
    isFollower: false,
    isGiftGiver: false,
    ...overrides,
  };
}
