const NEEDS_QUOTES = /[",\r\n]/;

/** One CSV cell (RFC 4180): missing values are empty, text is quoted only when it must be. */
export function csvCell(value: number | string | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  return NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** csvCell for hot loops: numbers straight through, text (a few repeated categories) formatted once. */
export function cachedCsvCell(): (value: number | string | null | undefined) => string {
  const texts = new Map<string, string>();
  return (value) => {
    if (typeof value === 'number') return String(value);
    if (value === null || value === undefined) return '';
    let cell = texts.get(value);
    if (cell === undefined) {
      cell = csvCell(value);
      if (texts.size < 10_000) texts.set(value, cell);
    }
    return cell;
  };
}
