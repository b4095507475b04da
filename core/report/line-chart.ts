/**
 * Time series of the report (drift statistics, traffic, latency, rates, AUC): as wide as the page (`width="100%"`
 * over a 1000-unit viewBox), y axis on nice ticks with grid lines, UTC time labels that stay inside the chart, and a
 * legend on its own part of the header so it never covers a label or a line.
 */
import { escapeHtml, formatNumber } from './escape.ts';
import { fitText, niceTicks, textWidth } from './chart-layout.ts';

export const SERIES_COLORS = ['#2b6cb0', '#d9622b', '#2f855a', '#805ad5', '#b7791f', '#c53030'];

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

const WIDTH = 1000;
const PLOT_HEIGHT = 150;
const TITLE_SIZE = 12;
const FONT = 10;
const RIGHT = 12;

function timeLabel(ms: number, last: boolean): string {
  return `${new Date(ms).toISOString().slice(5, 13).replace('T', ' ')}h${last ? ' UTC' : ''}`;
}

export function lineChart(input: LineChartInput): string {
  const all = input.series.flatMap((s) => s.values).filter((v) => Number.isFinite(v));
  if (input.threshold !== undefined) all.push(input.threshold);
  const ticks = niceTicks(Math.min(0, ...all), all.length ? Math.max(...all) : 1, 5);
  const min = ticks[0]!;
  const max = ticks.at(-1)!;
  const unit = input.unit ? ` ${input.unit}` : '';
  const tickLabels = ticks.map((t) => `${formatNumber(t)}${unit}`);
  const left = 10 + Math.max(...tickLabels.map((t) => textWidth(t, FONT)));

  const legendItems = input.series.map((s, k) => ({
    name: fitText(s.name, FONT, 120),
    color: SERIES_COLORS[k % SERIES_COLORS.length]!,
  }));
  const legendWidth = legendItems.reduce((w, item) => w + 20 + textWidth(item.name, FONT), 0);
  const title = fitText(input.title, TITLE_SIZE, WIDTH - 8, true);
  const legendOnTitleLine = textWidth(title, TITLE_SIZE, true) + 24 + legendWidth <= WIDTH - RIGHT;
  const legendY = legendOnTitleLine ? 14 : 30;
  const top = legendY + 14;
  const bottom = 24;
  const height = top + PLOT_HEIGHT + bottom;
  const plotWidth = WIDTH - left - RIGHT;
  const n = input.times.length;
  const x = (i: number) => left + (n <= 1 ? plotWidth / 2 : (i / (n - 1)) * plotWidth);
  const y = (v: number) => top + PLOT_HEIGHT - ((v - min) / (max - min)) * PLOT_HEIGHT;

  const grid = ticks
    .map((t, i) => {
      const ty = y(t).toFixed(1);
      return `<line x1="${left.toFixed(1)}" x2="${WIDTH - RIGHT}" y1="${ty}" y2="${ty}" stroke="${t === min ? '#999' : '#e2e8f0'}"/><text class="tick y" x="${(left - 5).toFixed(1)}" y="${(y(t) + 3.5).toFixed(1)}" font-size="${FONT}" text-anchor="end">${escapeHtml(tickLabels[i])}</text>`;
    })
    .join('\n');
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
                ? `<circle cx="${x(i).toFixed(1)}" cy="${y(v).toFixed(1)}" r="2" fill="${color}"/>`
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
  let lx = WIDTH - RIGHT - legendWidth;
  const legend = legendItems
    .map((item) => {
      const entry = `<rect x="${lx.toFixed(1)}" y="${legendY - 9}" width="10" height="10" fill="${item.color}"/><text x="${(lx + 14).toFixed(1)}" y="${legendY}" font-size="${FONT}" text-anchor="start">${escapeHtml(item.name)}</text>`;
      lx += 20 + textWidth(item.name, FONT);
      return entry;
    })
    .join('');
  let threshold = '';
  if (input.threshold !== undefined) {
    const ty = y(input.threshold);
    // The label goes under the line when the line runs along the top of the plot, so it stays inside it.
    const labelY = ty - top < FONT + 2 ? ty + FONT + 1 : ty - 3;
    threshold = `<line x1="${left.toFixed(1)}" x2="${WIDTH - RIGHT}" y1="${ty.toFixed(1)}" y2="${ty.toFixed(1)}" stroke="#c53030" stroke-dasharray="4 3"/><text class="threshold" x="${WIDTH - RIGHT - 2}" y="${labelY.toFixed(1)}" font-size="${FONT - 1}" fill="#c53030" text-anchor="end">threshold ${escapeHtml(formatNumber(input.threshold))}</text>`;
  }
  const marks = (input.marks ?? [])
    .map(
      (i) =>
        `<rect x="${(x(i) - 3).toFixed(1)}" y="${top}" width="6" height="${PLOT_HEIGHT}" fill="#c53030" opacity="0.15"/>`,
    )
    .join('');
  const lastLabelWidth = textWidth(timeLabel(input.times.at(-1) ?? 0, true), FONT);
  const tickCount = Math.max(1, Math.min(n, Math.floor(plotWidth / (lastLabelWidth + 24))));
  const xTicks = Array.from({ length: tickCount }, (_, t) => Math.round((t * (n - 1)) / Math.max(1, tickCount - 1)))
    .map((i, t) => {
      // The first and last labels hang inwards so they are not clipped at the chart's edges; times are UTC.
      const anchor = tickCount === 1 ? 'middle' : t === 0 ? 'start' : t === tickCount - 1 ? 'end' : 'middle';
      return `<line x1="${x(i).toFixed(1)}" x2="${x(i).toFixed(1)}" y1="${top + PLOT_HEIGHT}" y2="${top + PLOT_HEIGHT + 4}" stroke="#999"/><text class="tick x" x="${x(i).toFixed(1)}" y="${height - 8}" font-size="${FONT}" text-anchor="${anchor}">${escapeHtml(timeLabel(input.times[i] ?? 0, tickCount === 1 || t === tickCount - 1))}</text>`;
    })
    .join('');
  return `<svg class="chart wide" viewBox="0 0 ${WIDTH} ${height}" width="100%" role="img" aria-label="${escapeHtml(input.title)}">
<text class="title" x="4" y="14" font-size="${TITLE_SIZE}" font-weight="600" text-anchor="start">${escapeHtml(title)}</text>
<g class="legend">${legend}</g>
<line x1="${left.toFixed(1)}" y1="${top}" x2="${left.toFixed(1)}" y2="${top + PLOT_HEIGHT}" stroke="#999"/>
${grid}
${marks}${threshold}${lines.join('\n')}${xTicks}
</svg>`;
}
