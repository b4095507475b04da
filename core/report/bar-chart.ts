/**
 * Grouped bars of the report: a field's reference and current distributions. The chart is as wide as its cell
 * (`width="100%"` over a viewBox); the margins are computed from the labels so no bin label, tick or legend is cut
 * or drawn over another.
 */
import { escapeHtml } from './escape.ts';
import { compactLabel, fitText, niceTicks, textWidth } from './chart-layout.ts';

export const REFERENCE_COLOR = '#8c96a8';
export const CURRENT_COLOR = '#d9622b';

export interface BarChartInput {
  labels: string[];
  reference: number[];
  current: number[];
  title: string;
}

const WIDTH = 360;
const PLOT_HEIGHT = 110;
const TITLE_SIZE = 11;
const FONT = 9;
const LABEL_ANGLE = 40;
/** Longest bin label drawn; the whole label stays in the bar's tooltip. */
const MAX_LABEL_WIDTH = 88;

const percent = (share: number): string => `${Number((share * 100).toFixed(1))}%`;

export function barChart(input: BarChartInput): string {
  const max = Math.max(1e-9, ...input.reference, ...input.current);
  const ticks = niceTicks(0, max, 4);
  const top = ticks.at(-1)!;
  const tickLabels = ticks.map(percent);
  const left = 8 + Math.max(...tickLabels.map((t) => textWidth(t, FONT)));
  const right = 6;

  const legendItems = [
    ['reference', REFERENCE_COLOR],
    ['current', CURRENT_COLOR],
  ] as const;
  const legendWidth = legendItems.reduce((w, [name]) => w + 16 + textWidth(name, FONT), 0);
  const titleRoom = WIDTH - 8;
  const title = fitText(input.title, TITLE_SIZE, titleRoom, true);
  // The legend shares the title's line only when both fit; otherwise it gets its own line below.
  const legendOnTitleLine = textWidth(title, TITLE_SIZE, true) + 14 + legendWidth <= WIDTH - 4;
  const legendY = legendOnTitleLine ? 13 : 28;
  const plotTop = legendY + 12;

  const n = Math.max(1, input.labels.length);
  const plotWidthGuess = WIDTH - left - right;
  const shown = input.labels.map((l) => fitText(compactLabel(l), FONT, MAX_LABEL_WIDTH));
  const widest = Math.max(0, ...shown.map((l) => textWidth(l, FONT)));
  const rotate = widest > plotWidthGuess / n - 3;
  const rad = (LABEL_ANGLE * Math.PI) / 180;
  // A rotated label hangs down and to the left of its bar: the first one needs room on the left.
  const firstWidth = textWidth(shown[0] ?? '', FONT);
  const firstHang = rotate ? firstWidth * Math.cos(rad) + 0.8 * FONT * Math.sin(rad) : firstWidth / 2;
  const plotLeft = Math.max(left, firstHang - plotWidthGuess / n / 2 + 4);
  const plotWidth = WIDTH - plotLeft - right;
  const group = plotWidth / n;
  const bar = Math.max(1, (group - 4) / 2);
  // Too many bins for a label under each: label every step-th one.
  const step = rotate ? Math.max(1, Math.ceil((FONT * 1.3) / group)) : 1;
  const labelDrop = rotate ? widest * Math.sin(rad) + 0.3 * FONT * Math.cos(rad) : 0.3 * FONT;
  const height = Math.ceil(plotTop + PLOT_HEIGHT + 8 + labelDrop + 4);
  const y = (v: number) => plotTop + PLOT_HEIGHT - (v / top) * PLOT_HEIGHT;

  const parts: string[] = [];
  for (const [i, t] of ticks.entries()) {
    const ty = y(t).toFixed(1);
    parts.push(
      `<line x1="${plotLeft.toFixed(1)}" x2="${WIDTH - right}" y1="${ty}" y2="${ty}" stroke="${t === 0 ? '#999' : '#e2e8f0'}"/>`,
      `<text class="tick y" x="${(plotLeft - 4).toFixed(1)}" y="${(y(t) + 3).toFixed(1)}" font-size="${FONT}" text-anchor="end">${tickLabels[i]}</text>`,
    );
  }
  input.labels.forEach((label, i) => {
    const x = plotLeft + i * group + 2;
    for (const [k, values, color] of [
      [0, input.reference, REFERENCE_COLOR],
      [1, input.current, CURRENT_COLOR],
    ] as const) {
      const v = values[i] ?? 0;
      const h = (v / top) * PLOT_HEIGHT;
      parts.push(
        `<rect x="${(x + k * bar).toFixed(1)}" y="${(plotTop + PLOT_HEIGHT - h).toFixed(1)}" width="${bar.toFixed(1)}" height="${h.toFixed(1)}" fill="${color}"><title>${escapeHtml(label)}: ${k ? 'current' : 'reference'} ${(v * 100).toFixed(1)} %</title></rect>`,
      );
    }
    if (i % step !== 0) return;
    const cx = (x + bar).toFixed(1);
    const ly = (plotTop + PLOT_HEIGHT + (rotate ? 8 : 11)).toFixed(1);
    parts.push(
      rotate
        ? `<text class="bin" x="${cx}" y="${ly}" font-size="${FONT}" transform="rotate(-${LABEL_ANGLE} ${cx} ${ly})" text-anchor="end">${escapeHtml(shown[i])}<title>${escapeHtml(label)}</title></text>`
        : `<text class="bin" x="${cx}" y="${ly}" font-size="${FONT}" text-anchor="middle">${escapeHtml(shown[i])}<title>${escapeHtml(label)}</title></text>`,
    );
  });
  let lx = WIDTH - 4 - legendWidth;
  const legend = legendItems
    .map(([name, color]) => {
      const item = `<rect x="${lx.toFixed(1)}" y="${legendY - 8}" width="9" height="9" fill="${color}"/><text x="${(lx + 12).toFixed(1)}" y="${legendY}" font-size="${FONT}" text-anchor="start">${name}</text>`;
      lx += 16 + textWidth(name, FONT);
      return item;
    })
    .join('');
  return `<svg class="chart bars" viewBox="0 0 ${WIDTH} ${height}" width="100%" role="img" aria-label="${escapeHtml(input.title)}">
<text class="title" x="4" y="13" font-size="${TITLE_SIZE}" font-weight="600" text-anchor="start">${escapeHtml(title)}<title>${escapeHtml(input.title)}</title></text>
<g class="legend">${legend}</g>
${parts.join('\n')}
</svg>`;
}
