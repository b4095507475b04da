/**
 * What-if and batch scoring figures: `node --import tsx bench/what-if.ts [--rows 1000000] [--no-browser] [--no-batch]`.
 *
 *   1. in the backend (core/explain, the console's own code path through the dispatcher): a field change scored by
 *      champion, challenger and fallback; a sensitivity curve of 100 points × 3 models; reasons with ≥ 2 000 model
 *      evaluations; the flip search;
 *   2. in Chromium (when /usr/bin/chromium exists), against the browser shell: from typing a new EXT_SOURCE_2 to the
 *      three new probabilities painted (debounce included), each change made once the previous one's explanations
 *      are done;
 *   3. batch scoring of a generated CSV of `--rows` applicants (the reference sample repeated) through core/batch:
 *      rows/s and the process's peak RSS.
 * `--main-thread-parse` parses on the scoring thread instead of a worker thread, for comparison.
 * Figures only, never pass/fail. The machine's cores are shared with other work: the load average is printed with
 * every block.
 */
import { once } from 'node:events';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { loadPackageReference } from '../core/analysis/index.ts';
import { CSV_HEADER, readOfflineInputThreaded, scoreBatch } from '../core/batch/index.ts';
import { loadModelPackage } from '../core/contract/index.ts';
import { createEngine, readOfflineInput } from '../core/engine/index.ts';
import { createDispatcher } from '../electron/backend/api/dispatch.ts';
import { METHODS } from '../electron/backend/api/methods.ts';
import { createServices } from '../electron/backend/services.ts';
import { RENDERER_DIST, buildRenderer, rendererBuilt } from '../electron/headless/renderer-build.ts';
import { startConsoleServer } from '../electron/headless/server.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MODELS = join(ROOT, 'models');
const flag = (name: string, fallback: string) => {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 && process.argv[index + 1] ? process.argv[index + 1]! : fallback;
};
const load = () =>
  `load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ')}`;
const ms = (v: number) => `${v.toFixed(1)} ms`;

function quantiles(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return `p50 ${ms(at(0.5))}  p95 ${ms(at(0.95))}  (n=${values.length})`;
}

const golden = (
  JSON.parse(readFileSync(join(MODELS, 'credit-default/1/golden.jsonl'), 'utf8').split('\n')[0]!) as {
    input: Record<string, number | string | null>;
  }
).input;

async function backendFigures(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'vigie-bench-what-if-'));
  const services = createServices(
    {
      dbPath: join(work, 'store.sqlite'),
      settingsPath: join(work, 'settings.json'),
      modelsDir: MODELS,
      workDir: join(work, 'work'),
      persistentVault: false,
    },
    null,
    () => undefined,
  );
  const api = createDispatcher(METHODS, services, () => undefined);
  const call = async (method: string, input: unknown) => {
    const started = performance.now();
    const result = await api.call('bench', method, input);
    if (!result.ok) throw new Error(`${method}: ${result.error.message}`);
    return { elapsed: performance.now() - started, value: result.value as Record<string, unknown> };
  };
  try {
    const first = await call('whatIfSetup', {});
    console.log(`\nBackend (dispatcher → core/explain), ${load()}`);
    console.log(`  first call (loads three models and the 20 000-row reference sample): ${ms(first.elapsed)}`);
    await call('whatIfReasons', { applicant: golden });
    const rounds = (method: string, input: (i: number) => unknown, n: number) =>
      (async () => {
        const times: number[] = [];
        for (let i = 0; i < n; i += 1) times.push((await call(method, input(i))).elapsed);
        return times;
      })();
    const change = (i: number) => ({ applicant: { ...golden, EXT_SOURCE_2: 0.05 + (i % 90) / 100 } });
    console.log(`  field change → three models scored: ${quantiles(await rounds('whatIfScore', change, 300))}`);
    const curve = (i: number) => ({ ...change(i), field: 'EXT_SOURCE_2', points: 100 });
    console.log(`  sensitivity, 100 points × 3 models: ${quantiles(await rounds('whatIfSensitivity', curve, 50))}`);
    const reasons = (await call('whatIfReasons', { applicant: golden, evaluations: 2000 })).value;
    console.log(
      `  reasons, ${reasons.evaluations as number} evaluations: ${quantiles(await rounds('whatIfReasons', (i) => ({ ...change(i), evaluations: 2000 }), 30))}`,
    );
    const flips = (await call('whatIfFlips', { applicant: golden })).value;
    console.log(
      `  what flips the decision, ~${flips.evaluations as number} evaluations: ${quantiles(await rounds('whatIfFlips', change, 20))}`,
    );
  } finally {
    services.close();
    await new Promise((resolve) => setTimeout(resolve, 200));
    rmSync(work, { recursive: true, force: true });
  }
}

/** Runs in the page: sets EXT_SOURCE_2 as typing would, resolves with the ms until all three numbers are painted. */
const PAINTED = `(value) => new Promise((resolve) => {
  const input = document.querySelector('#field-EXT_SOURCE_2');
  const cells = ['champion', 'challenger', 'fallback'].map((r) => document.querySelector('[data-testid="probability-' + r + '"]'));
  const before = cells.map((c) => c.textContent);
  const started = performance.now();
  const observer = new MutationObserver(() => {
    if (cells.every((c, k) => c.textContent !== before[k])) {
      observer.disconnect();
      requestAnimationFrame(() => resolve(performance.now() - started));
    }
  });
  observer.observe(document.body, { subtree: true, characterData: true, childList: true });
  Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set.call(input, value);
  input.dispatchEvent(new Event('input', { bubbles: true }));
})`;

async function browserFigures(): Promise<void> {
  const { chromium } = await import('@playwright/test');
  if (!rendererBuilt()) await buildRenderer();
  const work = mkdtempSync(join(tmpdir(), 'vigie-bench-what-if-ui-'));
  const server = await startConsoleServer({
    host: '127.0.0.1',
    port: 0,
    staticDir: RENDERER_DIST,
    backend: {
      dbPath: join(work, 'store.sqlite'),
      settingsPath: join(work, 's.json'),
      modelsDir: MODELS,
      workDir: work,
    },
  });
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless=new', '--no-sandbox', '--disable-gpu'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 960 } });
    await page.goto(server.openUrl);
    await page.locator('body').press('6');
    await page.getByTestId('probability-fallback').waitFor({ timeout: 120_000 });
    await page.waitForTimeout(1500);
    const times: number[] = [];
    for (let i = 0; i < 40; i += 1) {
      const value = (0.1 + (i % 2) * 0.5 + i / 1000).toFixed(3);
      times.push(await page.evaluate<number>(`(${PAINTED})(${JSON.stringify(value)})`));
      // Let the explanations of this value (sensitivity, flips, reasons) finish: the next figure is a lone change.
      await page.waitForTimeout(1500);
    }
    console.log(`\nChromium, EXT_SOURCE_2 typed → three probabilities painted (30 ms debounce included), ${load()}`);
    console.log(`  ${quantiles(times)}`);
  } finally {
    await browser.close();
    await server.close();
    rmSync(work, { recursive: true, force: true });
  }
}

async function batchFigures(rows: number): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'vigie-bench-batch-'));
  try {
    const pkgDir = join(MODELS, 'credit-default/1');
    const sample = gunzipSync(readFileSync(join(pkgDir, 'reference/sample.csv.gz')))
      .toString('utf8')
      .trim()
      .split('\n');
    const file = join(work, 'applicants.csv');
    const out = createWriteStream(file);
    out.write(`${sample[0]}\n`);
    for (let i = 0; i < rows; i += 1) {
      if (!out.write(`${sample[1 + (i % (sample.length - 1))]}\n`)) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');
    const size = statSync(file).size;
    const engine = await createEngine({ modelsDir: MODELS, champion: 'champion', fallback: null });
    const reference = await loadPackageReference(await loadModelPackage(pkgDir));
    const scored = createWriteStream(join(work, 'scored.csv'));
    scored.write(CSV_HEADER);
    const started = performance.now();
    const mainThread = process.argv.includes('--main-thread-parse');
    const input = (mainThread ? readOfflineInput : readOfflineInputThreaded)(file, 'csv', engine.schema);
    let row = 0;
    async function* source() {
      for await (const item of input.rows) yield { at: { line: item.line, row: ++row }, value: item.value };
    }
    const summary = await scoreBatch({
      engine,
      rows: source(),
      format: 'csv',
      reference,
      fields: engine.schema.fields,
      write: async (text) => {
        if (!scored.write(text)) await once(scored, 'drain');
      },
    });
    const seconds = (performance.now() - started) / 1000;
    scored.end();
    await once(scored, 'finish');
    await engine.close();
    console.log(
      `\nBatch scoring (core/batch, champion, parse on ${mainThread ? 'the main thread' : 'a worker thread'}), ${load()}`,
    );
    console.log(
      `  ${summary.rows.toLocaleString('en')} CSV rows (${(size / 1e6).toFixed(0)} MB) in ${seconds.toFixed(1)} s: ` +
        `${Math.round(summary.rows / seconds).toLocaleString('en')} rows/s; peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB; ` +
        `drift verdict on ${summary.driftRows.toLocaleString('en')} sampled rows: ${summary.drift?.datasetDrift ? 'drift' : 'no drift'}`,
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

await backendFigures();
if (!process.argv.includes('--no-browser')) await browserFigures();
if (!process.argv.includes('--no-batch')) await batchFigures(Number(flag('rows', '1000000')));
