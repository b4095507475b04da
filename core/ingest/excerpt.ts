/** The largest excerpt of a quarantined line kept in the store, in UTF-8 bytes. */
export const MAX_EXCERPT_BYTES = 1024;

/** The start of `text`, cut to at most 1 KB of UTF-8 without splitting a character. */
export function excerpt(text: string): string {
  if (text.length <= MAX_EXCERPT_BYTES / 3 || Buffer.byteLength(text) <= MAX_EXCERPT_BYTES) return text;
  let cut = text.slice(0, MAX_EXCERPT_BYTES);
  while (Buffer.byteLength(cut) > MAX_EXCERPT_BYTES) {
    const over = Buffer.byteLength(cut) - MAX_EXCERPT_BYTES;
    cut = cut.slice(0, cut.length - Math.max(1, Math.floor(over / 4)));
  }
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  return cut;
}
