/**
 * Console responsiveness with a large store: `node --import tsx bench/console.ts [--records 1000000] [--store file]`.
 *
 * Builds the store once (simulated `gradual-drift` traffic over 14 days through the normal ingest path; reused on
 * later runs), starts the browser shell on it, then prints
 *   1. each page's data calls through the HTTP transport (overview, drift, anomalies), first call and repeated,
 *      for several time ranges;
 *      The Drift page's first answer comes from hourly drift sketches; "complete" is the same call with `wait`, once
 *      KS and Wasserstein (raw values, background lane) are in. The first drift call on a store without sketches
 *      counts them (printed separately; `--recount` forgets stored sketches first to measure that again);
 *   2. in Chromium (Debian's /usr/bin/chromium, when installed): time from a page navigation or a time-range change
 *      to the page showing its numbers, and for Drift until KS and Wasserstein are filled in.
 * Figures only, never pass/fail. The store, the backend, the browser and this script share the machine's CPU cores
 * (2 on the reference box, shared with other work), so the figures are a ceiling for a dedicated laptop.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileInputSchema } from '../core/contract/index.ts';
import { ingestRecords } from '../core/ingest/index.ts';
import { generateTraffic } from '../core/simulate/index.ts';
import { openStore } from '../db/index.ts';
import { RENDERER_DIST, buildRenderer, rendererBuilt } from '../electron/headless/renderer-build.ts';
import { startConsoleServer } from '../electron/headless/server.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DAY = 86_400_000;

function flag(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 && process.argv[index + 1] ? process.argv[index + 1]! : fallback;
}

const records = Number(flag('records', '1000000'));
const storeFile = resolve(flag('store', join(ROOT, 'var', 'bench', `console-${records}.sqlite`)));
const useBrowser = !process.argv.includes('--no-browser');
const recount = process.argv.includes('--recount');

async function buildStore(): Promise<void> {
  const store = openStore(storeFile);
  if (recount) store.db.exec('DELETE FROM drift_sketch');
  if (store.count() >= records) {
    const sketched = store.db.prepare('SELECT count(*) FROM drift_sketch').pluck().get() as number;
    console.log(
      `store: ${storeFile} (${store.count().toLocaleString('en')} records, reused; ${sketched} sketched hours)`,
    );
    store.close();
    return;
  }
  const schema = compileInputSchema(
    JSON.parse(readFileSync(join(ROOT, 'models', 'credit-default', '1', 'input_schema.json'), 'utf8')),
  );
  const started = performance.now();
  let last = started;
  const summary = await ingestRecords(
    store,
    generateTraffic({ days: 14, rows: records, seed: 2026, scenario: 'gradual-drift', schema }),
    'bench:gradual-drift',
    {
      onProgress: (p) => {
        if (performance.now() - last > 5000) {
          last = performance.now();
          process.stderr.write(`  building the store: ${p.lines.toLocaleString('en')} records\n`);
        }
      },
    },
  );
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `store: ${storeFile} built with ${summary.inserted.toLocaleString('en')} records in ${seconds.toFixed(1)} s`,
  );
  store.close();
}

async function timed<T>(work: () => Promise<T>): Promise<[number, T]> {
  const started = performance.now();
  const value = await work();
  return [performance.now() - started, value];
}

const ms = (value: number) => `${value.toFixed(0).padStart(6)} ms`;

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(', ');

async function main(): Promise<void> {
  console.log(`load average at start: ${load()} (a shared box: other work competes for the same cores)`);
  mkdirSync(dirname(storeFile), { recursive: true });
  await buildStore();
  if (!rendererBuilt()) await buildRenderer((line) => console.log(line));
  const work = mkdtempSync(join(tmpdir(), 'vigie-bench-console-'));
  const server = await startConsoleServer({
    host: '127.0.0.1',
    port: 0,
    staticDir: RENDERER_DIST,
    backend: {
      dbPath: storeFile,
      settingsPath: join(work, 'settings.json'),
      modelsDir: join(ROOT, 'models'),
      workDir: work,
    },
  });
  try {
    const call = async (method: string, input: unknown) => {
      const response = await fetch(`${server.url}/api/call/${method}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ input }),
      });
      const body = (await response.json()) as { ok: boolean; error?: { message: string } };
      if (!body.ok) throw new Error(`${method}: ${body.error?.message}`);
      return body;
    };
    const sources = (await call('listSources', {})) as unknown as {
      value: { bounds: { from: number; to: number }; records: number };
    };
    const { bounds, records: stored } = sources.value;
    const end = bounds.to + 1;
    const [counting] = await timed(() => call('drift', { range: {} }));
    console.log(
      `\nFirst drift call of this backend, every stored hour (starts the analysis worker, counts hours without a sketch): ${ms(counting)}`,
    );
    const ranges: Array<[string, { from?: number; to?: number }]> = [
      [`all (${Math.round((end - bounds.from) / DAY)} days)`, {}],
      ['last 7 days', { from: end - 7 * DAY, to: end }],
      ['last 24 h', { from: end - DAY, to: end }],
      ['last hour', { from: end - DAY / 24, to: end }],
    ];
    console.log(
      `\nBackend calls over HTTP, ${stored.toLocaleString('en')} stored records (first call, then repeated):`,
    );
    for (const [label, range] of ranges) {
      for (const method of ['overview', 'drift', 'anomalies']) {
        const input = method === 'overview' ? { range, bucket: 'auto' } : { range };
        const [first] = await timed(() => call(method, input));
        const [again] = await timed(() => call(method, input));
        let complete = '';
        if (method === 'drift') {
          const [waited] = await timed(() => call(method, { range, wait: true }));
          complete = `   complete (KS, Wasserstein) after ${ms(first + waited)}`;
        }
        console.log(`  ${method.padEnd(10)} ${label.padEnd(14)} first ${ms(first)}   repeated ${ms(again)}${complete}`);
      }
    }
    const [field] = await timed(() => call('driftField', { field: 'AMT_INCOME_TOTAL', range: {} }));
    console.log(`  driftField AMT_INCOME_TOTAL (analysis cached) ${ms(field)}`);
    const shifted = { from: end - DAY - 90 * 60_000 + 12_345, to: end - 30 * 60_000 };
    const [odd] = await timed(() => call('drift', { range: shifted }));
    console.log(`  drift      24 h not on hour boundaries (partial hours read raw) first ${ms(odd)}`);

    if (useBrowser && existsSync('/usr/bin/chromium')) await browserFigures({ dbPath: storeFile, work }, bounds);
    else console.log('\nChromium figures skipped (no /usr/bin/chromium or --no-browser).');
  } finally {
    await server.close();
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * Time from a navigation or a range change to the page showing the numbers of that range, in Chromium, against a
 * fresh browser shell (empty result caches), so each page meets each range for the first time.
 */
async function browserFigures(
  storeDir: { dbPath: string; work: string },
  bounds: { from: number; to: number },
): Promise<void> {
  const { chromium } = await import('@playwright/test');
  const server = await startConsoleServer({
    host: '127.0.0.1',
    port: 0,
    staticDir: RENDERER_DIST,
    backend: {
      dbPath: storeDir.dbPath,
      settingsPath: join(storeDir.work, 'settings-2.json'),
      modelsDir: join(ROOT, 'models'),
      workDir: storeDir.work,
    },
  });
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless=new', '--no-sandbox', '--disable-gpu'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 960 } });
    const end = bounds.to + 1;
    const keyOf = (preset: string) => {
      const span = { '7d': 7 * DAY, '24h': DAY, '1h': DAY / 24 }[preset];
      return span === undefined ? `${bounds.from}-${end}` : `${Math.max(bounds.from, end - span)}-${end}`;
    };
    const loaded = (title: string, preset: string) =>
      page
        .locator(`.page.${title.toLowerCase()}[data-loaded="${keyOf(preset)}"][aria-busy="false"]`)
        .waitFor({ timeout: 180_000 });
    const go = async (title: string) =>
      page
        .getByRole('navigation', { name: 'Pages' })
        .getByRole('button', { name: new RegExp(`^${title}`) })
        .click();

    console.log("\nChromium, fresh backend: navigation or range change until the page shows that range's numbers:");
    let started = performance.now();
    await page.goto(server.openUrl);
    await loaded('Overview', '7d');
    console.log(`  open the console (Overview, last 7 days)   ${ms(performance.now() - started)}`);
    for (const preset of ['7d', '24h', '1h', 'all']) {
      if (preset !== '7d') {
        started = performance.now();
        await page.locator('#range-preset').selectOption(preset);
        await loaded('Overview', preset);
        console.log(`  range change to ${preset.padEnd(4)} on Overview         ${ms(performance.now() - started)}`);
      }
      for (const title of ['Drift', 'Anomalies', 'Overview']) {
        started = performance.now();
        await go(title);
        await loaded(title, preset);
        const painted = performance.now() - started;
        let complete = '';
        if (title === 'Drift') {
          await page.getByTestId('drift-pending').waitFor({ state: 'detached', timeout: 180_000 });
          complete = `   KS/Wasserstein filled in after ${ms(performance.now() - started)}`;
        }
        console.log(`  navigate to ${title.padEnd(10)} (range ${preset.padEnd(4)})  ${ms(painted)}${complete}`);
      }
    }
  } finally {
    await browser.close();
    await server.close();
  }
}

await main();
console.log(`load average at the end: ${load()}`);
