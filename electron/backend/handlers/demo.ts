/**
 * "Load demo data": the simulator's six scenarios and their outcomes, one after the other on the calendar, ingested
 * through the same checks as real logs. Each scenario keeps its own period so a newcomer can find it with the range
 * picker: stable, then gradual drift, a sudden population shift, a broken upstream feed, a one-hour incident and a
 * concept drift that only the outcomes reveal.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileInputSchema, type InputSchema, type LogRecord } from '../../../core/contract/index.ts';
import { ingestRecords } from '../../../core/ingest/index.ts';
import { createEngine, type ScoringEngine } from '../../../core/engine/index.ts';
import { importOutcomes } from '../../../core/outcomes/index.ts';
import {
  generateTraffic,
  SCENARIO_NAMES,
  scoreTraffic,
  type ScenarioName,
  type SimulatedOutcome,
} from '../../../core/simulate/index.ts';
import { OutcomeTable } from '../../../db/index.ts';
import { ConsoleError } from '../../../console-api/errors.ts';
import type { MethodContext } from '../api/method-table.ts';
import type { MethodInput, MethodOutput } from '../../../console-api/types.ts';
import type { Services } from '../services.ts';
import { reportProgress, storeChanged } from './ingest.ts';

const DAY = 86_400_000;
/** The first day of the demo calendar. */
const DEMO_START = Date.UTC(2026, 9, 1);
/** Requests per scenario: enough for stable statistics, few enough to load in seconds. */
const ROWS_PER_SCENARIO = 12_000;
/** Until a champion package is installed, the applicant schema of CONTRACT.md section 1 (as `vigie simulate`). */
const FALLBACK_SCHEMA = fileURLToPath(new URL('../../../tests/fixtures/input_schema.json', import.meta.url));

export interface DemoPeriod {
  scenario: ScenarioName;
  start: string;
  from: number;
  to: number;
}

export function demoCalendar(days: number): DemoPeriod[] {
  return SCENARIO_NAMES.map((scenario, i) => {
    const from = DEMO_START + i * days * DAY;
    return { scenario, start: new Date(from).toISOString().slice(0, 10), from, to: from + days * DAY };
  });
}

async function demoSchema(services: Services): Promise<InputSchema> {
  const champion = await services.reference.tryGet();
  if (champion) return champion.pkg.schema;
  return compileInputSchema(JSON.parse(await readFile(FALLBACK_SCHEMA, 'utf8')));
}

/** Yields to the event loop now and then, so a cancel message reaches the backend while records are generated. */
async function* allScenarios(
  schema: InputSchema,
  days: number,
  counter: { produced: number },
  outcomes: string[],
): AsyncGenerator<LogRecord> {
  const onOutcome = (o: SimulatedOutcome) => outcomes.push(`${o.request_id},${o.TARGET},${o.observed_at}`);
  for (const [i, period] of demoCalendar(days).entries()) {
    for (const record of generateTraffic(
      {
        days,
        rows: ROWS_PER_SCENARIO,
        seed: 101 + i,
        scenario: period.scenario,
        start: period.start,
        schema,
      },
      onOutcome,
    )) {
      counter.produced += 1;
      if (counter.produced % 2000 === 0) await new Promise((resolve) => setImmediate(resolve));
      yield record;
    }
  }
}

/**
 * The champion scores the demo's answered requests, so the probabilities on the Overview and the prediction row of
 * the Drift page are the model's own (the simulator alone writes a stand-in score). Requests the scenario sends to
 * the fallback keep their fallback answer, so the incident stays visible. Without a loadable champion, the
 * simulator's stand-in probabilities stay.
 */
async function* scoredByChampion(records: AsyncIterable<LogRecord>, engine: ScoringEngine): AsyncGenerator<LogRecord> {
  const kept = new WeakMap<LogRecord, LogRecord['output']>();
  async function* hideFallbackAnswers() {
    for await (const record of records) {
      if (record.status === 'ok' && record.served_by !== 'champion' && record.output) {
        kept.set(record, record.output);
        record.output = null;
      }
      yield record;
    }
  }
  for await (const record of scoreTraffic(hideFallbackAnswers(), engine)) {
    const output = kept.get(record);
    if (output !== undefined) record.output = output;
    yield record;
  }
}

async function championEngine(services: Services): Promise<ScoringEngine | null> {
  try {
    return await createEngine({
      modelsDir: services.config.modelsDir,
      champion: 'champion',
      fallback: null,
      workers: 1,
    });
  } catch {
    return null;
  }
}

/**
 * The demo's outcomes go through the same import as a user's outcome file (a CSV in the work folder), so the
 * Performance page shows realised performance, coverage and lag from the first load.
 */
async function importDemoOutcomes(services: Services, rows: string[], context: MethodContext): Promise<void> {
  const file = join(services.config.workDir, `demo-outcomes-${Date.now()}.csv`);
  await writeFile(file, `request_id,TARGET,observed_at\n${rows.join('\n')}\n`);
  try {
    await importOutcomes(new OutcomeTable(services.store.db), file, { signal: context.signal });
  } finally {
    await rm(file, { force: true });
  }
}

export async function loadDemoData(
  services: Services,
  input: MethodInput<'loadDemoData'>,
  context: MethodContext,
): Promise<MethodOutput<'loadDemoData'>> {
  const days = input.days ?? 14;
  if (services.store.count() > 0) {
    // Never mix simulated records into someone's real logs: the demo gets its own store for this session.
    const file = join(dirname(services.store.file), `vigie-demo-${Date.now()}.sqlite`);
    services.replaceStore(file);
  }
  const schema = await demoSchema(services);
  const counter = { produced: 0 };
  const total = ROWS_PER_SCENARIO * SCENARIO_NAMES.length;
  const progress = reportProgress(context, 'Loaded');
  const engine = await championEngine(services);
  const outcomes: string[] = [];
  const generated = allScenarios(engine?.schema ?? schema, days, counter, outcomes);
  let summary;
  try {
    summary = await ingestRecords(
      services.store,
      engine ? scoredByChampion(generated, engine) : generated,
      `demo:${SCENARIO_NAMES.join('+')}`,
      {
        signal: context.signal,
        onProgress: (p) => progress({ ...p, bytesDone: counter.produced, bytesTotal: total }),
      },
    );
    if (!summary.aborted) await importDemoOutcomes(services, outcomes, context);
  } finally {
    await engine?.close();
    storeChanged(services);
  }
  if (summary.aborted) throw new ConsoleError('OPERATION_CANCELLED');
  return { scenarios: [...SCENARIO_NAMES], inserted: summary.inserted, range: services.store.timeBounds() };
}
