/**
 * The report's charts, read as SVG: page width, every label inside the chart, readable y ticks on nice values, and a
 * legend that covers no label. Boxes use the charts' own generous width estimate; tests/e2e/report-layout.spec.ts
 * measures the real ones in Chromium.
 */
import { describe, expect, it } from 'vitest';
import { barChart } from '../../../core/report/bar-chart.ts';
import { lineChart } from '../../../core/report/line-chart.ts';
import { overlaps, textBox, type Box } from '../../../core/report/chart-layout.ts';

interface SvgText {
  cls: string;
  text: string;
  box: Box;
  inLegend: boolean;
  x: number;
  angle: number;
  fontSize: number;
}

const attr = (attrs: string, name: string): string | undefined =>
  new RegExp(`(?:^|\\s)${name}="([^"]*)"`).exec(attrs)?.[1];

const unescape = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');

const LEGEND_NAMES = new Set(['reference', 'current', 'errors', 'invalid', 'rejected', 'fallback', 'drift share']);

function parse(svg: string): { viewBox: number[]; width: string | undefined; texts: SvgText[]; legend: Box | null } {
  const open = /<svg ([^>]*)>/.exec(svg)![1]!;
  const viewBox = attr(open, 'viewBox')!.split(' ').map(Number);
  const legendMatch = /<g class="legend">([\s\S]*?)<\/g>/.exec(svg);
  const legendStart = legendMatch?.index ?? -1;
  const legendEnd = legendStart + (legendMatch?.[0].length ?? 0);
  const texts: SvgText[] = [];
  for (const m of svg.matchAll(/<text ([^>]*)>([^<]*)/g)) {
    const a = m[1]!;
    const rotate = /rotate\((-?[\d.]+) /.exec(attr(a, 'transform') ?? '');
    texts.push({
      cls: attr(a, 'class') ?? '',
      text: unescape(m[2]!),
      inLegend: m.index! > legendStart && m.index! < legendEnd,
      x: Number(attr(a, 'x')),
      angle: rotate ? Number(rotate[1]) : 0,
      fontSize: Number(attr(a, 'font-size')),
      box: textBox(
        unescape(m[2]!),
        Number(attr(a, 'x')),
        Number(attr(a, 'y')),
        Number(attr(a, 'font-size')),
        (attr(a, 'text-anchor') ?? 'start') as 'start' | 'middle' | 'end',
        rotate ? Number(rotate[1]) : 0,
        attr(a, 'font-weight') === '600',
      ),
    });
  }
  const rects = [...(legendMatch?.[1] ?? '').matchAll(/<rect ([^>]*)\/>/g)].map((m) => {
    const x = Number(attr(m[1]!, 'x'));
    const y = Number(attr(m[1]!, 'y'));
    return { x0: x, y0: y, x1: x + Number(attr(m[1]!, 'width')), y1: y + Number(attr(m[1]!, 'height')) };
  });
  // Without a legend group (charts of older versions), the legend is the texts naming the series.
  if (!legendMatch) for (const t of texts) t.inLegend = LEGEND_NAMES.has(t.text);
  const parts = [...rects, ...texts.filter((t) => t.inLegend).map((t) => t.box)];
  const legend = parts.length
    ? {
        x0: Math.min(...parts.map((b) => b.x0)),
        y0: Math.min(...parts.map((b) => b.y0)),
        x1: Math.max(...parts.map((b) => b.x1)),
        y1: Math.max(...parts.map((b) => b.y1)),
      }
    : null;
  return { viewBox, width: attr(open, 'width'), texts, legend };
}

/** Every label's box lies inside the viewBox; bin labels never run into each other. */
function expectInside(svg: string): void {
  const { viewBox, texts } = parse(svg);
  const [, , w, h] = viewBox as [number, number, number, number];
  for (const t of texts) {
    expect({ text: t.text, inside: t.box.x0 >= 0 && t.box.y0 >= 0 && t.box.x1 <= w && t.box.y1 <= h }).toEqual({
      text: t.text,
      inside: true,
    });
  }
  // Side by side when level, a line's height apart when slanted.
  const bins = texts.filter((t) => t.cls === 'bin');
  for (const [i, a] of bins.slice(1).entries()) {
    const b = bins[i]!;
    if (a.angle === 0) expect(overlaps(a.box, b.box)).toBe(false);
    else expect((a.x - b.x) * Math.sin((Math.abs(a.angle) * Math.PI) / 180)).toBeGreaterThanOrEqual(a.fontSize);
  }
}

function expectLegendClear(svg: string): void {
  const { texts, legend } = parse(svg);
  expect(legend).not.toBeNull();
  for (const t of texts.filter((t) => !t.inLegend)) {
    expect({ text: t.text, underLegend: overlaps(legend!, t.box) }).toEqual({ text: t.text, underLegend: false });
  }
}

/** The y ticks' values: 3 to 8 of them, evenly spaced on a 1, 2 or 5 × 10^k step, the last at or above `max`. */
function expectNiceTicks(svg: string, max: number, parse: (s: string) => number): void {
  const values = [...svg.matchAll(/<text class="tick y"[^>]*>([^<]*)</g)].map((m) => parse(m[1]!));
  expect(values.length).toBeGreaterThanOrEqual(3);
  expect(values.length).toBeLessThanOrEqual(8);
  const ascending = [...values].sort((a, b) => a - b);
  const step = ascending[1]! - ascending[0]!;
  const mantissa = step / 10 ** Math.floor(Math.log10(step));
  expect([1, 2, 5, 10].some((m) => Math.abs(mantissa - m) < 1e-6)).toBe(true);
  ascending.forEach((v, i) => expect(v).toBeCloseTo(ascending[0]! + i * step, 6));
  expect(ascending.at(-1)!).toBeGreaterThanOrEqual(max - 1e-9);
}

const DAYS_BIRTH_EDGES = [-22640, -20493, -18345, -16819, -15583, -14441, -13272, -11946, -10132];
/** Bin labels as the drift analysis writes them (`≤ a`, `a – b`, `> z`). */
const binLabels = (edges: number[]) => [
  `≤ ${edges[0]}`,
  ...edges.slice(1).map((e, i) => `${edges[i]} – ${e}`),
  `> ${edges.at(-1)}`,
];
const percent = (s: string) => Number(s.replace('%', '')) / 100;
const daysLabels = binLabels(DAYS_BIRTH_EDGES);
const CATEGORIES = [
  'Secondary / secondary special',
  'Higher education',
  'Incomplete higher',
  'Lower secondary',
  'Academic degree',
  ...Array.from({ length: 7 }, (_, i) => `Occupation number ${i}`),
  'other (6)',
];
const times = Array.from({ length: 120 }, (_, i) => Date.UTC(2026, 10, 1) + i * 3_600_000);

/** Charts as the report draws them, each with the largest value its y axis must reach. */
const CHARTS: Array<{ name: string; svg: string; max: number; tick: (s: string) => number }> = [
  {
    name: 'numeric bins with negative edges and a long title',
    svg: barChart({
      labels: daysLabels,
      reference: daysLabels.map(() => 0.1),
      current: daysLabels.map((_, i) => 0.06 + i * 0.008),
      title: 'AMT_REQ_CREDIT_BUREAU_YEAR — drift',
    }),
    max: 0.06 + 9 * 0.008,
    tick: percent,
  },
  {
    name: 'thirteen categories with long names',
    svg: barChart({
      labels: CATEGORIES,
      reference: CATEGORIES.map((_, i) => (i === 0 ? 0.71 : 0.02)),
      current: CATEGORIES.map((_, i) => (i === 0 ? 0.7 : 0.025)),
      title: 'NAME_EDUCATION_TYPE',
    }),
    max: 0.71,
    tick: percent,
  },
  {
    name: 'four series over 120 hours with a long title and a threshold',
    svg: lineChart({
      title: 'ROC AUC per window: realised (outcomes known) and estimated (CBPE) over a long period of time',
      times,
      series: ['errors', 'invalid', 'rejected', 'fallback'].map((name, k) => ({
        name,
        values: times.map((_, i) => ((i * (k + 3)) % 17) / 100),
      })),
      threshold: 0.5,
      unit: 'ms',
    }),
    max: 0.5,
    tick: (s) => Number(s.replace(' ms', '')),
  },
  {
    name: 'a drift share under its threshold over five days',
    svg: lineChart({
      title: 'Share of drifted fields per day',
      times: times.slice(0, 5),
      series: [{ name: 'drift share', values: [0, 0, 0.07, 0.15, 0.19] }],
      threshold: 0.5,
    }),
    max: 0.5,
    tick: Number,
  },
];

describe.each(CHARTS)('chart of $name', ({ svg, max, tick }) => {
  it('is as wide as its container (width 100 % over a viewBox)', () => {
    const { viewBox, width } = parse(svg);
    expect(width).toBe('100%');
    expect(viewBox).toHaveLength(4);
  });

  it('keeps every label, bin label and last tick inside the chart', () => {
    expectInside(svg);
  });

  it('has a y axis of 3 to 8 ticks on nice values', () => {
    expectNiceTicks(svg, max, tick);
  });

  it('draws its legend clear of the title and every label', () => {
    expectLegendClear(svg);
  });
});

it('keeps a bin label whole in its tooltip when it is shortened on the axis', () => {
  expect(CHARTS[1]!.svg).toContain('<title>Secondary / secondary special</title>');
});

it('labels the last time tick with its time zone', () => {
  const x = [...CHARTS[2]!.svg.matchAll(/<text class="tick x"[^>]*>([^<]*)</g)].map((m) => m[1]!);
  expect(x.length).toBeGreaterThanOrEqual(3);
  expect(x.at(-1)).toMatch(/ UTC$/);
});
