/**
 * The HTML report laid out in Chromium (issue 10, item 6): a store built by `vigie simulate traffic` and
 * `vigie ingest`, its report written by `vigie report`, then measured in the browser. Charts fill the page width, no
 * label leaves its chart, y axes carry several ticks, and no legend covers a label.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { runCli } from '../helpers/run-cli.ts';

test.describe.configure({ mode: 'serial' });

let dir: string;
let reportFile: string;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  dir = mkdtempSync(join(tmpdir(), 'vigie-report-layout-'));
  const logs = join(dir, 'logs');
  const db = join(dir, 'store.sqlite');
  reportFile = join(dir, 'report.html');
  const steps = [
    ['simulate', 'traffic', '--days', '3', '--rows', '6000', '--scenario', 'gradual-drift', '--out', logs],
    ['ingest', '--db', db, logs],
    ['report', '--db', db, '--out', reportFile],
  ];
  for (const args of steps) {
    const run = await runCli(args);
    expect(run.code, `${args.join(' ')}: ${run.stderr}`).toBe(0);
  }
});

test.afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Measured {
  title: string;
  svgWidth: number;
  containerWidth: number;
  outside: string[];
  underLegend: string[];
  yTicks: number;
}

test('every chart fills its container, keeps its labels inside and its legend off them', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(`file://${reportFile}`);
  const charts: Measured[] = await page.$$eval('svg.chart', (svgs) =>
    svgs.map((svg) => {
      const box = svg.getBoundingClientRect();
      const container = svg.parentElement!;
      const style = svg.ownerDocument.defaultView!.getComputedStyle(container);
      const inner =
        container.getBoundingClientRect().width -
        ['paddingLeft', 'paddingRight', 'borderLeftWidth', 'borderRightWidth']
          .map((side) => parseFloat(style.getPropertyValue(side.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`))))
          .reduce((a, b) => a + b, 0);
      const legend = svg.querySelector('g.legend')?.getBoundingClientRect() ?? null;
      const texts = [...svg.querySelectorAll('text')];
      const rect = (t: (typeof texts)[number]) => t.getBoundingClientRect();
      const outside = texts
        .filter((t) => {
          const r = rect(t);
          return (
            r.left < box.left - 0.5 || r.right > box.right + 0.5 || r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5
          );
        })
        .map((t) => t.textContent ?? '');
      const underLegend = legend
        ? texts
            .filter((t) => !t.closest('g.legend'))
            .filter((t) => {
              const r = rect(t);
              return r.left < legend.right && legend.left < r.right && r.top < legend.bottom && legend.top < r.bottom;
            })
            .map((t) => t.textContent ?? '')
        : ['(no legend)'];
      return {
        title: svg.getAttribute('aria-label') ?? '',
        svgWidth: box.width,
        containerWidth: inner,
        outside,
        underLegend,
        yTicks: svg.querySelectorAll('text.tick.y').length,
      };
    }),
  );
  expect(charts.length).toBeGreaterThan(10);
  for (const chart of charts) {
    expect.soft(chart.svgWidth, chart.title).toBeGreaterThanOrEqual(chart.containerWidth - 1);
    expect.soft(chart.outside, chart.title).toEqual([]);
    expect.soft(chart.underLegend, chart.title).toEqual([]);
    expect.soft(chart.yTicks, chart.title).toBeGreaterThanOrEqual(3);
  }
});

test('the distributions use the page width: three or more charts a row on a wide screen', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(`file://${reportFile}`);
  const { grid, rowWidth, perRow } = await page.$eval('.grid', (el) => {
    const figures = [...el.querySelectorAll('figure')].map((f) => f.getBoundingClientRect());
    const firstRow = figures.filter((f) => Math.abs(f.top - figures[0]!.top) < 1);
    return {
      grid: el.getBoundingClientRect().width,
      rowWidth: firstRow.at(-1)!.right - firstRow[0]!.left,
      perRow: firstRow.length,
    };
  });
  expect(perRow).toBeGreaterThanOrEqual(3);
  expect(rowWidth).toBeGreaterThanOrEqual(grid - 2);
});
