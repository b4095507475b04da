/** HTML escaping for every string the report prints: field names, categories and labels can come from logs. */
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** Formats a number for people: 4 significant digits, exponent for the very small and very large. */
export function formatNumber(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs < 1e-3 || abs >= 1e7) return value.toExponential(2);
  return String(Number(value.toPrecision(4)));
}

export function formatPercent(share: number): string {
  if (Number.isNaN(share)) return '–';
  const value = share * 100;
  return `${Math.abs(value) < 1 && value !== 0 ? value.toFixed(2) : value.toFixed(1)} %`;
}

export function formatTime(ms: number | null): string {
  return ms === null
    ? '–'
    : new Date(ms)
        .toISOString()
        .replace('T', ' ')
        .replace(/:\d\d\.\d{3}Z$/, ' UTC');
}
