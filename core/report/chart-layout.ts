/**
 * Layout helpers of the report's SVG charts: text widths estimated generously for the sans-serif fonts browsers
 * fall back to (DejaVu Sans is among the widest), "nice" axis ticks (1, 2 or 5 × 10^k), compact bin labels, and the
 * boxes the tests use to check that no label leaves the chart or runs under the legend.
 */

/** Width of `text` at `fontSize` px, on the generous side so the real text fits in the room made for it. */
export function textWidth(text: string, fontSize: number, bold = false): number {
  let em = 0;
  for (const c of text) {
    if (c === ' ') em += 0.34;
    else if (/[0-9]/.test(c)) em += 0.66;
    else if (/[A-Z_]/.test(c)) em += 0.78;
    else if (/[a-z]/.test(c)) em += 0.64;
    else if (/[.,:;'|!()[\]-]/.test(c)) em += 0.42;
    else em += 0.86;
  }
  return em * fontSize * (bold ? 1.12 : 1);
}

/** `text` cut with an ellipsis so it is at most `width` wide. */
export function fitText(text: string, fontSize: number, width: number, bold = false): string {
  if (textWidth(text, fontSize, bold) <= width) return text;
  const chars = [...text];
  while (chars.length > 1 && textWidth(`${chars.join('')}…`, fontSize, bold) > width) chars.pop();
  return `${chars.join('').trimEnd()}…`;
}

/** Ticks from at or below `min` to at or above `max`, about `target` of them, on a 1-2-5 step. */
export function niceTicks(min: number, max: number, target = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [0, 1];
  if (max <= min) max = min + (min === 0 ? 1 : Math.abs(min) * 0.1);
  const raw = (max - min) / Math.max(1, target);
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((m) => m * power >= raw) ?? 10) * power;
  const first = Math.floor(min / step + 1e-9);
  const last = Math.ceil(max / step - 1e-9);
  // Rounded so 0.1 + 0.2 prints as 0.3.
  const digits = Math.max(0, -Math.floor(Math.log10(step)) + 1);
  return Array.from({ length: last - first + 1 }, (_, i) => Number(((first + i) * step).toFixed(digits)));
}

/** A number in three significant digits with k/M, for bin labels: 79650 → 79.7k, 0.007744 → 0.00774. */
export function compactNumber(value: number): string {
  const abs = Math.abs(value);
  const sign = value < 0 ? '−' : '';
  if (abs >= 1e6) return `${sign}${Number((abs / 1e6).toPrecision(3))}M`;
  if (abs >= 1e4) return `${sign}${Number((abs / 1e3).toPrecision(3))}k`;
  if (abs >= 1000) return `${sign}${Math.round(abs)}`;
  return `${sign}${Number(abs.toPrecision(3))}`;
}

/** A bin label (`≤ a`, `a – b`, `> z`) with its numbers made compact; other labels unchanged. */
export function compactLabel(label: string): string {
  const match = /^(≤ |> )?(-?[\d.]+(?:e-?\d+)?)(?: – (-?[\d.]+(?:e-?\d+)?))?$/.exec(label);
  if (!match) return label;
  const [, prefix, a, b] = match;
  return `${prefix ?? ''}${compactNumber(Number(a))}${b === undefined ? '' : `–${compactNumber(Number(b))}`}`;
}

export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/**
 * The box of a text drawn at (x, y) with this anchor, optionally rotated by `angle` degrees around (x, y): the
 * baseline sits at y, ascenders reach about 0.8 em above it and descenders 0.25 em below.
 */
export function textBox(
  text: string,
  x: number,
  y: number,
  fontSize: number,
  anchor: 'start' | 'middle' | 'end',
  angle = 0,
  bold = false,
): Box {
  const w = textWidth(text, fontSize, bold);
  const left = anchor === 'start' ? 0 : anchor === 'middle' ? -w / 2 : -w;
  const corners: Array<[number, number]> = [
    [left, -0.8 * fontSize],
    [left + w, -0.8 * fontSize],
    [left, 0.25 * fontSize],
    [left + w, 0.25 * fontSize],
  ];
  const rad = (angle * Math.PI) / 180;
  const cos = Math.cos(rad);
  const sin = Math.sin(rad);
  const xs = corners.map(([dx, dy]) => x + dx * cos - dy * sin);
  const ys = corners.map(([dx, dy]) => y + dx * sin + dy * cos);
  return { x0: Math.min(...xs), y0: Math.min(...ys), x1: Math.max(...xs), y1: Math.max(...ys) };
}

export function overlaps(a: Box, b: Box): boolean {
  return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
}
