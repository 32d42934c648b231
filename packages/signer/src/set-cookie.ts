import type { Cookie } from "@tiklive/core";

// A cookie name is an RFC 6265 token: visible ASCII without separators.
const cookieNamePattern = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// Control characters in a value would corrupt the Cookie header we send back
// (a CR/LF there is header injection), so such a cookie is dropped.
const controlCharacter = /[\x00-\x08\x0a-\x1f\x7f]/;

/**
 * Parses a `Set-Cookie`-style header into its cookies: every `name=value`, in order,
 * with the attributes (`Path`, `Domain`, `Expires`, `Max-Age`, `HttpOnly`, `Secure`,
 * `SameSite`, ...) ignored.
 *
 * The Euler sign server's `x-set-tt-cookie` header (docs/protocol.md §7.2) may carry several
 * Set-Cookie strings, either as several header lines (pass the array) or joined by commas
 * in one line. Commas also occur inside `Expires=Wed, 21 Oct 2026 07:28:00 GMT` and inside
 * quoted values, so a comma starts a new cookie only when, outside quotes, it is followed by
 * `name=` before any `;` or `,`.
 *
 * Rules (RFC 6265 §5.2, lenient where browsers are):
 * - the value is everything after the first `=` up to `;`, trimmed; surrounding double quotes
 *   are kept (they are part of the value and must be sent back as they came);
 * - an empty value is kept (`a=` gives `{ name: "a", value: "" }`);
 * - a part without `=`, with an empty or non-token name, or with a control character in its
 *   value is skipped (it is garbage, not a cookie);
 * - a name that occurs twice keeps its first position and its last value, like a cookie jar.
 *
 * Never throws: anything that is not a string or an array of strings yields `[]`.
 */
export function parseSetCookieHeader(header: string | readonly string[] | null | undefined): Cookie[] {
  const lines = typeof header === "string" ? [header] : Array.isArray(header) ? header : [];
  const byName = new Map<string, Cookie>();
  for (const line of lines) {
    if (typeof line !== "string") continue;
    for (const cookieString of splitCookieStrings(line)) {
      const cookie = parseCookieString(cookieString);
      if (cookie === undefined) continue;
      const existing = byName.get(cookie.name);
      if (existing === undefined) byName.set(cookie.name, cookie);
      else existing.value = cookie.value;
    }
  }
  return [...byName.values()];
}

/**
 * Splits one header line into Set-Cookie strings at the commas that start a new cookie.
 * A small state machine over `name=value; attributes`: a value that starts with `"` is
 * quoted up to the next `"`, and separators inside it do not count.
 */
function splitCookieStrings(line: string): string[] {
  const parts: string[] = [];
  let start = 0;
  let state: "name" | "valueStart" | "value" | "quoted" | "attributes" = "name";
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (state === "quoted") {
      if (ch === '"') state = "value";
      continue;
    }
    if (state === "valueStart" && ch === '"') {
      state = "quoted";
      continue;
    }
    if (state === "valueStart" && ch !== " " && ch !== "\t") state = "value";
    if (ch === "=" && state === "name") {
      state = "valueStart";
    } else if (ch === ";") {
      state = "attributes";
    } else if (ch === "," && startsCookie(line, i + 1)) {
      parts.push(line.slice(start, i));
      start = i + 1;
      state = "name";
    }
  }
  parts.push(line.slice(start));
  return parts;
}

/** True when the text from `from` on looks like `name=` (before any `;` or `,`). */
function startsCookie(line: string, from: number): boolean {
  let i = from;
  while (i < line.length && line[i] !== "=" && line[i] !== ";" && line[i] !== ",") i++;
  return line[i] === "=" && cookieNamePattern.test(line.slice(from, i).trim());
}

function parseCookieString(text: string): Cookie | undefined {
  const equals = text.indexOf("=");
  if (equals === -1) return undefined;
  const semicolonBeforeEquals = text.slice(0, equals).includes(";");
  if (semicolonBeforeEquals) return undefined;
  const name = text.slice(0, equals).trim();
  const rest = text.slice(equals + 1).trimStart();
  let end: number;
  if (rest.startsWith('"')) {
    const close = rest.indexOf('"', 1);
    end =
      close === -1 ? rest.length : rest.indexOf(";", close) === -1 ? rest.length : rest.indexOf(";", close);
  } else {
    end = rest.indexOf(";") === -1 ? rest.length : rest.indexOf(";");
  }
  const value = rest.slice(0, end).trim();
  if (!cookieNamePattern.test(name) || controlCharacter.test(value)) return undefined;
  return { name, value };
}
