/**
 * Parses JSON from TikTok or a sign server without losing precision: every integer of 16
 * or more digits (room ids, user ids, msg ids are 19 digits, beyond 2^53) is returned as a
 * decimal string instead of a rounded number. Digits inside strings are left alone.
 * Throws SyntaxError for invalid JSON, like JSON.parse.
 */
export function parseJsonLossless(text: string): unknown {
  let out = "";
  let last = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i += 1; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) {
      inString = true;
      continue;
    }
    const isDigit = c >= 0x30 && c <= 0x39;
    if (!isDigit && c !== 0x2d) continue;
    // A number token starts here (outside strings): find its end.
    let end = i + (c === 0x2d ? 1 : 0);
    while (end < text.length && text.charCodeAt(end) >= 0x30 && text.charCodeAt(end) <= 0x39) end++;
    const digits = end - i - (c === 0x2d ? 1 : 0);
    const next = text.charCodeAt(end);
    const integer = next !== 0x2e && next !== 0x65 && next !== 0x45; // not followed by . e E
    if (integer && digits >= 16) {
      out += `${text.slice(last, i)}"${text.slice(i, end)}"`;
      last = end;
    }
    i = end - 1;
  }
  return JSON.parse(last === 0 ? text : out + text.slice(last));
}
