/**
 * The custom range's two text fields, in UTC and on a 24-hour clock whatever the browser's locale ("2026-10-15 00:00";
 * a "T" between date and time is accepted too): either the range, or what is wrong in words.
 */
const PATTERN = /^\s*(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}))?\s*$/;

function parseUtc(text: string): number | null {
  const match = PATTERN.exec(text);
  if (!match) return null;
  const [, y, mo, d, h = '00', mi = '00'] = match;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi));
  const back = new Date(ms);
  // Date.UTC rolls 2026-02-31 over to March: refuse dates that do not exist.
  if (back.getUTCDate() !== Number(d) || back.getUTCHours() !== Number(h) || back.getUTCMinutes() !== Number(mi)) {
    return null;
  }
  return ms;
}

export type CustomRange = { ok: true; from: number; to: number } | { ok: false; message: string };

export function parseCustomRange(fromText: string, toText: string): CustomRange {
  if (!fromText.trim() || !toText.trim()) return { ok: false, message: 'Give both a start and an end.' };
  const from = parseUtc(fromText);
  if (from === null) return { ok: false, message: `The start "${fromText}" is not a UTC time like 2026-10-15 00:00.` };
  const to = parseUtc(toText);
  if (to === null) return { ok: false, message: `The end "${toText}" is not a UTC time like 2026-10-29 00:00.` };
  if (from >= to) return { ok: false, message: 'The start must be before the end.' };
  return { ok: true, from, to };
}

/** "2026-10-15 00:00" (UTC, 24-hour clock). */
export function formatRangeInput(ms: number | undefined): string {
  return ms === undefined ? '' : new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
}
