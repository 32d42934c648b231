import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";

/** A number written into JSON with all its digits (TikTok sends 19-digit ids as JSON numbers). */
export class RawJsonNumber {
  constructor(readonly digits: string) {}
}

/**
 * JSON.stringify that writes {@link RawJsonNumber}s as bare numbers. A client that
 * parses them with `JSON.parse` loses precision, exactly as with TikTok's own
 * responses; that is why every such id also has a `*_str` twin.
 */
export function stringifyJson(value: unknown): string {
  const raws: string[] = [];
  const text = JSON.stringify(value, (_key, v: unknown) => {
    if (v instanceof RawJsonNumber) {
      raws.push(v.digits);
      return `\u0000raw${raws.length - 1}\u0000`;
    }
    return v;
  });
  return text.replace(/"\\u0000raw(\d+)\\u0000"/g, (_m, i: string) => raws[Number(i)] ?? "0");
}

/** Sends a JSON response. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = stringifyJson(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** Sends bytes. */
export function sendBytes(
  res: ServerResponse,
  status: number,
  body: Uint8Array,
  headers: Record<string, string>,
): void {
  res.writeHead(status, { "content-length": body.length, ...headers });
  res.end(body);
}

/** Sends HTML. */
export function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, {
    "content-type": "text/html; charset=utf-8",
    "content-length": Buffer.byteLength(html),
  });
  res.end(html);
}

/** Reads a request body up to `limit` bytes; `undefined` when it is larger. */
export async function readBody(req: IncomingMessage, limit = 64 * 1024): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
    size += buf.length;
    if (size > limit) return undefined;
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

/** Parses a `Cookie` header into name -> value (values URI-decoded where they are encoded). */
export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (header === undefined) return out;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    const raw = part.slice(eq + 1).trim();
    let value = raw;
    try {
      value = decodeURIComponent(raw);
    } catch {
      // Not URI-encoded: keep it as sent.
    }
    if (name !== "") out[name] = value;
  }
  return out;
}

/** Every query parameter in order, repeated keys kept (`version_code` comes twice, docs/protocol.md §5.2). */
export function queryPairs(url: URL): [string, string][] {
  return [...url.searchParams.entries()];
}

/** Query parameters as an object; a repeated key becomes an array. */
export function queryObject(pairs: readonly [string, string][]): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of pairs) {
    const prev = out[k];
    if (prev === undefined) out[k] = v;
    else out[k] = Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

const secretHeaders = new Set([
  "x-api-key",
  "x-jwt-key",
  "x-cookie-header",
  "x-oauth-token",
  "authorization",
  "cookie",
  "proxy-authorization",
]);
const secretParams = new Set([
  "apikey",
  "api_key",
  "jwtkey",
  "jwt_key",
  "session_id",
  "sessionid",
  "x-api-key",
]);
const secretCookie = /^(sessionid|sessionid_ss|sid_tt|sid_guard|uid_tt|sid_ucp_v1|ssid_ucp_v1)$/i;

/** The placeholder that replaces secrets in inspection records. */
export const redacted = "[redacted]";

/** Request headers with secrets (API keys, cookies, session headers) replaced by `[redacted]`. */
export function redactHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined) continue;
    out[k] = secretHeaders.has(k.toLowerCase()) ? redacted : Array.isArray(v) ? v.join(", ") : v;
  }
  return out;
}

/** Query pairs with secret parameters (`apiKey`, `session_id`, ...) replaced. */
export function redactPairs(pairs: readonly [string, string][]): [string, string][] {
  return pairs.map(([k, v]) => [k, secretParams.has(k.toLowerCase()) ? redacted : v]);
}

/** Cookies with session cookies replaced. */
export function redactCookies(cookies: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(cookies)) out[k] = secretCookie.test(k) ? redacted : v;
  return out;
}

/** Appends to a list, dropping the oldest entries past `max`. */
export function pushBounded<T>(list: T[], item: T, max: number): void {
  list.push(item);
  if (list.length > max) list.splice(0, list.length - max);
}
