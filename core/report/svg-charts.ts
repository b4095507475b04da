/**
 * Inline SVG charts for the report: grouped bars (reference vs current distribution) and line charts (time series).
 * Plain markup with every label escaped, so the file renders offline and prints as vectors.
 */
import { escapeHtml, formatNumber } from './escape.ts';

const REFERENCE_COLOR = '#8c96a8';
const CURRENT_COLOR = '#d9622b';
export const SERIES_COLORS = ['#2b6cb0', '#d9622b', '#2f855a', '#805ad5', '#b7791f', '#c53030'];

export interface BarChartInput {
  labels: string[];
  reference: number[];
  current: number[];
  title: string;
}

export function barChart(input: BarChartInput): string {
  const width = 360;
  const height = 170;
  const left = 34;
  const bottom = 40;
  const top = 22;
  const plotWidth = width - left - 6;
  const plotHeight = height - top - bottom;
  const max = Math.max(1e-9, ...input.reference, ...input.current);
  const group = plotWidth / Math.max(1, input.labels.length);
  const bar = Math.max(1, (group - 4) / 2);
  const parts: string[] = [];
  input.labels.forEach((label, i) => {
    const x = left + i * group + 2;
    for (const [k, values, color] of [
      [0, input.reference, REFERENCE_COLOR],
      [1, input.current, CURRENT_COLOR],
    ] as const) {
      const v = values[i] ?? 0;
      const h = (v / max) * plotHeight;
      parts.push(
        `<rect x="${(x + k * bar).toFixed(1)}" y="${(top + plotHeight - h).toFixed(1)}" width="${bar.toFixed(1)}" height="${h.toFixed(1)}" fill="${color}"><title>${escapeHtml(label)}: ${k ? 'current' : 'reference'} ${(v * 100).toFixed(1)} %</title></rect>`,
      );
    }
    const short = label.length > 12 ? `${label.slice(0, 11)}…` : label;
    parts.push(
      `<text x="${(x + bar).toFixed(1)}" y="${top + plotHeight + 10}" font-size="8" text-anchor="end" transform="rotate(-35 ${(x + bar).toFixed(1)} ${top + plotHeight + 10})">${escapeHtml(short)}</text>`,
    );
  });
  return `<svg class="chart" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeHtml(input.title)}">
<text x="${left}" y="12" font-size="10" font-weight="600">${escapeHtml(input.title)}</text>
<rect x="${width - 150}" y="4" width="8" height="8" fill="${REFERENCE_COLOR}"/><text x="${width - 139}" y="11" font-size="8">reference</text>
<rect x="${width - 90}" y="4" width="8" height="8" fill="${CURRENT_COLOR}"/><text x="${width - 79}" y="11" font-size="8">current</text>
<line x1="${left}" y1="${top + plotHeight}" x2="${width - 6}" y2="${top + plotHeight}" stroke="#999"/>
<text x="${left - 3}" y="${top + 4}" font-size="8" text-anchor="end">${(max * 100).toFixed(0)}%</text>
${parts.join('\n')}
</svg>`;
}

export interface Series {
  name: string;
  values: number[];
}

export interface LineChartInput {
  title: string;
  times: number[];
  series: Series[];
  /** A horizontal dashed line (a threshold). */
  threshold?: number;
  /** Marked points, e.g. windows with findings. */
  marks?: number[];
  unit?: string;
}

export function lineChart(input: LineChartInput): string {
  const width = 720;
  const height = 180;
  const left = 52;
  const right = 10;
  const top = 22;
  const bottom = 28;
  const plotWidth = width - left - right;
  const plotHeight = height - top - bottom;
  const all = input.series.flatMap((s) => s.values).filter((v) => Number.isFinite(v));
  if (input.threshold !== undefined) all.push(input.threshold);
  const max = all.length ? Math.max(...all) : 1;
  const min = Math.min(0, ...(all.length ? all : [0]));
  const span = max - min || 1;
  const n = input.times.length;
  const x = (i: number) => left + (n <= 1 ? plotWidth / 2 : (i / (n - 1)) * plotWidth);
  const y = (v: number) => top + plotHeight - ((v - min) / span) * plotHeight;
  const lines = input.series.map((s, k) => {
    const color = SERIES_COLORS[k % SERIES_COLORS.length]!;
    const segments: string[] = [];
    let current: string[] = [];
    s.values.forEach((v, i) => {
      if (Number.isFinite(v)) current.push(`${x(i).toFixed(1)},${y(v).toFixed(1)}`);
      else if (current.length) {
        segments.push(current.join(' '));
        current = [];
      }
    });
    if (current.length) segments.push(current.join(' '));
    const dots =
      n <= 60
        ? s.values
            .map((v, i) =>
              Number.isFinite(v)
                ? `<circle cx="${x(i).toFixed(1)}" cy="${y(v).toFixed(1)}" r="1.8" fill="${color}"/>`
                : '',
            )
            .join('')
        : '';
    return (
      segments
        .map((points) => `<polyline fill="none" stroke="${color}" stroke-width="1.5" points="${points}"/>`)
        .join('') + dots
    );
  });
  // The legend sits at the right end of the title line, so a long title never runs into it.
  const legendStart = width - right - input.series.length * 90;
  const legend = input.series
    .map(
      (s, k) =>
        `<rect x="${legendStart + k * 90}" y="5" width="8" height="8" fill="${SERIES_COLORS[k % SERIES_COLORS.length]}"/><text x="${legendStart + 11 + k * 90}" y="12" font-size="9">${escapeHtml(s.name.length > 14 ? `${s.name.slice(0, 13)}…` : s.name)}</text>`,
    )
    .join('');
  const threshold =
    input.threshold !== undefined
      ? `<line x1="${left}" x2="${width - right}" y1="${y(input.threshold).toFixed(1)}" y2="${y(input.threshold).toFixed(1)}" stroke="#c53030" stroke-dasharray="4 3"/><text x="${width - right}" y="${(y(input.threshold) - 3).toFixed(1)}" font-size="8" text-anchor="end" fill="#c53030">threshold ${formatNumber(input.threshold)}</text>`
      : '';
  const marks = (input.marks ?? [])
    .map(
      (i) =>
        `<rect x="${(x(i) - 3).toFixed(1)}" y="${top}" width="6" height="${plotHeight}" fill="#c53030" opacity="0.15"/>`,
    )
    .join('');
  const tickCount = Math.min(6, n);
  const ticks = Array.from({ length: tickCount }, (_, t) => Math.round((t * (n - 1)) / Math.max(1, tickCount - 1)))
    .map(
      (i, t) =>
        // The first and last labels hang inwards so they are not clipped at the chart's edges; times are UTC.
        `<text x="${x(i).toFixed(1)}" y="${height - 8}" font-size="8" text-anchor="${t === 0 ? 'start' : t === tickCount - 1 ? 'end' : 'middle'}">${escapeHtml(new Date(input.times[i] ?? 0).toISOString().slice(5, 13).replace('T', ' '))}h${t === tickCount - 1 ? ' UTC' : ''}</text>`,
    )
    .join('');
  const unit = input.unit ? ` ${escapeHtml(input.unit)}` : '';
  return `<svg class="chart wide" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeHtml(input.title)}">
<text x="${left}" y="12" font-size="10" font-weight="600">${escapeHtml(input.title)}</text>${legend}
<line x1="${left}" y1="${top + plotHeight}" x2="${width - right}" y2="${top + plotHeight}" stroke="#999"/>
<line x1="${left}" y1="${top}" x2="${left}" y2="${top + plotHeight}" stroke="#999"/>
<text x="${left - 4}" y="${top + 6}" font-size="8" text-anchor="end">${escapeHtml(formatNumber(max))}${unit}</text>
<text x="${left - 4}" y="${top + plotHeight}" font-size="8" text-anchor="end">${escapeHtml(formatNumber(min))}</text>
${marks}${threshold}${lines.join('\n')}${ticks}
</svg>`;
}
