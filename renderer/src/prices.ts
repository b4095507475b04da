/** The prices the cost figures use (Profiling and Overview), remembered in the page's local storage. */
import type { Prices } from '../../console-api/models-profiling.ts';

const KEY = 'vigie.prices';
export const DEFAULT_PRICES: Prices = { coreHour: 0.04, gpuHour: 2.5, currency: 'USD' };

export function loadPrices(): Prices {
  try {
    const saved = JSON.parse(window.localStorage.getItem(KEY) ?? 'null') as Partial<Prices> | null;
    if (saved && typeof saved.coreHour === 'number' && typeof saved.gpuHour === 'number')
      return { ...DEFAULT_PRICES, ...saved };
  } catch {
    // A damaged entry falls back to the defaults.
  }
  return DEFAULT_PRICES;
}

export function savePrices(prices: Prices): void {
  try {
    window.localStorage.setItem(KEY, JSON.stringify(prices));
  } catch {
    // Storage may be disabled; the prices then last for this page only.
  }
}

/** A money amount with enough digits to be read when it is a fraction of a cent. */
export function formatMoney(value: number | null | undefined, currency: string): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  const digits = value === 0 ? 2 : Math.max(2, Math.min(8, 2 - Math.floor(Math.log10(Math.abs(value)))));
  return `${value.toFixed(digits)} ${currency}`;
}
