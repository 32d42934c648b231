import { ErrorCode, TikLiveError } from "./errors.js";

// TikTok handles: letters, digits, "_" and "."; at most 24 characters; they may
// not end with "." and may not consist of digits only (a number is a user id,
// not a handle). Handles are case-insensitive; TikTok shows them lower-case.
const handlePattern = /^[a-z0-9_.]{1,24}$/;
const tiktokHosts = new Set(["tiktok.com", "www.tiktok.com", "m.tiktok.com", "us.tiktok.com"]);

/**
 * Turns what a user typed into a TikTok uniqueId (the @handle, without "@").
 *
 * Accepts `user`, `@user`, `https://www.tiktok.com/@user`, `.../@user/live`, with or
 * without scheme, `www.`/`m.` hosts, trailing slashes, query strings and fragments.
 * Rejects (with `invalid_input`): empty input, invalid characters, non-TikTok hosts,
 * URLs without an `@handle`, and numbers.
 */
export function normalizeUniqueId(input: unknown): string {
  if (typeof input !== "string") {
    throw invalid(`a TikTok uniqueId must be a string, got ${describe(input)}`);
  }
  let text = input.trim();
  if (text === "") throw invalid("the TikTok uniqueId is empty");

  if (/^(https?:\/\/)?([a-z0-9-]+\.)*tiktok\.com(\/|$|\?|#)/i.test(text) || /^https?:\/\//i.test(text)) {
    text = handleFromUrl(text);
  }
  if (text.startsWith("@")) text = text.slice(1);
  const handle = text.toLowerCase();

  if (handle === "") throw invalid("the TikTok uniqueId is empty");
  if (/^\d+$/.test(handle)) {
    throw invalid(`"${clip(input)}" is a number, not a TikTok uniqueId (pass the @handle)`);
  }
  if (!handlePattern.test(handle) || handle.endsWith(".")) {
    throw invalid(
      `"${clip(input)}" is not a valid TikTok uniqueId (letters, digits, "_" and ".", at most 24 characters, not ending in ".")`,
    );
  }
  return handle;
}

function handleFromUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(/^https?:\/\//i.test(text) ? text : `https://${text}`);
  } catch {
    throw invalid(`"${clip(text)}" is not a valid URL`);
  }
  if (!tiktokHosts.has(url.hostname.toLowerCase())) {
    throw invalid(`"${url.hostname}" is not a TikTok host (expected www.tiktok.com)`);
  }
  const first = url.pathname.split("/").find((segment) => segment !== "");
  if (first === undefined || !first.startsWith("@")) {
    throw invalid(
      `"${clip(text)}" is not a TikTok profile or live URL (expected https://www.tiktok.com/@user/live)`,
    );
  }
  return decodeURIComponent(first);
}

/** The largest value an int64 room id can take. */
const maxRoomId = 18446744073709551615n;

/**
 * Validates a room id and returns it as a decimal string. Room ids are 19-digit
 * numbers; only digit strings and bigints are accepted, never JS numbers (they
 * lose precision above 2^53).
 */
export function normalizeRoomId(input: unknown): string {
  let text: string;
  if (typeof input === "bigint") {
    text = input.toString();
  } else if (typeof input === "string") {
    text = input.trim();
  } else if (typeof input === "number") {
    throw invalid(
      `a room id must be a string or bigint, not a number (${input} may already have lost precision)`,
    );
  } else {
    throw invalid(`a room id must be a string of digits or a bigint, got ${describe(input)}`);
  }
  if (!/^\d{1,20}$/.test(text)) throw invalid(`"${clip(text)}" is not a room id (expected digits only)`);
  const value = BigInt(text);
  if (value === 0n) throw invalid("room id 0 is not a room");
  if (value > maxRoomId) throw invalid(`"${text}" is larger than any room id`);
  return value.toString();
}

function invalid(message: string): TikLiveError {
  return new TikLiveError(ErrorCode.InvalidInput, message);
}

function describe(value: unknown): string {
  return value === null ? "null" : Array.isArray(value) ? "an array" : typeof value;
}

function clip(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
