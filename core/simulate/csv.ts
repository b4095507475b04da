const NEEDS_QUOTES = /[",\r\n]/;

/** One CSV cell (RFC 4180): missing values are empty, text is quoted only when it must be. */
export function csvCell(value: number | string | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  return NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}
