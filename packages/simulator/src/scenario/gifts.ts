import { create } from "@bufbuild/protobuf";
import { createRandom, hashSeed } from "@tiklive/core/internal";
import { type GiftStruct, GiftStructSchema, type ImageModel, ImageModelSchema } from "@tiklive/proto";

/** A gift of the simulated gift panel. */
export interface SimGift {
  /** Gift id (a JSON number in the gift list, a decimal string in messages). */
  readonly id: number;
  readonly name: string;
  /** Coin cost per unit. */
  readonly diamondCount: number;
  /** 1 = streakable (repeatCount grows, then repeatEnd), 2 = sent one at a time. */
  readonly type: 1 | 2;
}

/** Every gift the built-in scenarios send; `/webcast/gift/list/` lists exactly these. */
export const giftCatalogue: readonly SimGift[] = Object.freeze([
  { id: 5655, name: "Rose", diamondCount: 1, type: 1 },
  { id: 5269, name: "TikTok", diamondCount: 1, type: 1 },
  { id: 5827, name: "Ice Cream Cone", diamondCount: 1, type: 1 },
  { id: 6064, name: "GG", diamondCount: 1, type: 1 },
  { id: 5487, name: "Finger Heart", diamondCount: 5, type: 1 },
  { id: 5658, name: "Perfume", diamondCount: 20, type: 1 },
  { id: 5879, name: "Doughnut", diamondCount: 30, type: 1 },
  { id: 5660, name: "Hand Hearts", diamondCount: 100, type: 1 },
  { id: 5585, name: "Confetti", diamondCount: 100, type: 2 },
  { id: 11046, name: "Galaxy", diamondCount: 1000, type: 2 },
  { id: 6089, name: "Sports Car", diamondCount: 7000, type: 2 },
  { id: 6369, name: "Lion", diamondCount: 29999, type: 2 },
] as const satisfies readonly SimGift[]);

/** The streakable gifts of the catalogue. */
export const streakGifts: readonly SimGift[] = giftCatalogue.filter((g) => g.type === 1);
/** The gifts sent one at a time. */
export const singleGifts: readonly SimGift[] = giftCatalogue.filter((g) => g.type === 2);

function imageKey(gift: SimGift): string {
  return createRandom(hashSeed("gift", gift.id)).hex(32);
}

/** CDN URLs of a gift's image (webp first, then png, as real gift lists give them). */
export function giftImageUrls(gift: SimGift): string[] {
  const key = imageKey(gift);
  return [
    `https://p19-webcast.tiktokcdn.com/img/maliva/webcast-va/${key}~tplv-obj.webp`,
    `https://p16-webcast.tiktokcdn.com/img/maliva/webcast-va/${key}~tplv-obj.png`,
  ];
}

/** The protobuf image of a gift. */
export function giftImage(gift: SimGift): ImageModel {
  return create(ImageModelSchema, {
    urlList: giftImageUrls(gift),
    uri: `webcast-va/${imageKey(gift)}`,
    avgColor: "#FFEBEB",
  });
}

// `GiftStruct.primary_effect_id`: the full-screen animation a gift plays. The gifts of 100 coins
// and more have one; the small ones play none (0, so the field is absent, as on real small gifts).
const primaryEffects: ReadonlyMap<number, string> = new Map([
  [5660, "1472"],
  [5585, "1458"],
  [11046, "2176"],
  [6089, "1693"],
  [6369, "2359"],
]);

/** The gift's `primary_effect_id` (decimal), or "0" for a gift without an animation. */
export function primaryEffectId(gift: SimGift): string {
  return primaryEffects.get(gift.id) ?? "0";
}

/**
 * Whether the gift is in the creator's Gift Gallery: every gift of 5 coins and more. Messages of
 * gallery gifts carry `sponsorship_info` (who sponsors the gift in this room); the 1-coin gifts
 * do not.
 */
export function isGalleryGift(gift: SimGift): boolean {
  return gift.diamondCount >= 5;
}

/** The gallery gifts of the catalogue. */
export const galleryGifts: readonly SimGift[] = giftCatalogue.filter(isGalleryGift);

/** URL of a gallery gift's grey ("not yet sponsored") icon. */
export function unlitGiftIconUrl(gift: SimGift): string {
  return `https://p16-webcast.tiktokcdn.com/img/maliva/webcast-va/${imageKey(gift)}~tplv-obj-gray.png`;
}

/** The protobuf `GiftStruct` of a gift (docs/protocol.md §9.6). */
export function toProtoGift(gift: SimGift): GiftStruct {
  return create(GiftStructSchema, {
    image: giftImage(gift),
    describe: `sent ${gift.name}`,
    duration: 1000,
    id: String(gift.id),
    forLinkmic: true,
    combo: gift.type === 1,
    type: gift.type,
    diamondCount: gift.diamondCount,
    isDisplayedOnPanel: true,
    primaryEffectId: primaryEffectId(gift),
    name: gift.name,
    icon: giftImage(gift),
  });
}

/** The gift list entry of `/webcast/gift/list/` (snake_case, id as a JSON number; docs/protocol.md §8 row 6). */
export function giftListEntry(gift: SimGift): Record<string, unknown> {
  const urls = giftImageUrls(gift);
  return {
    id: gift.id,
    name: gift.name,
    describe: `sent ${gift.name}`,
    diamond_count: gift.diamondCount,
    type: gift.type,
    combo: gift.type === 1,
    duration: 1000,
    is_displayed_on_panel: true,
    primary_effect_id: Number(primaryEffectId(gift)),
    for_linkmic: true,
    image: { url_list: urls, uri: `webcast-va/${imageKey(gift)}`, avg_color: "#FFEBEB" },
    icon: { url_list: urls, uri: `webcast-va/${imageKey(gift)}`, avg_color: "#FFEBEB" },
  };
}
