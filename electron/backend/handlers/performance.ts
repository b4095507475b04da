/**
 * The Performance page: realised and estimated performance of the range (core/analysis/performance), the alerts of
 * the range with their state and webhook deliveries, the outcome import, and acknowledging an alert. The rules are
 * evaluated once per store version over every stored record (core/alerts), so each import, pull or outcome import is
 * followed by an evaluation. The drift rules use the same core probe as `vigie check` and the CLI imports.
 */
import { readFile, stat } from 'node:fs/promises';
import {
  applyFindings,
  evaluateStoredPeriod,
  storedDriftProbe,
  type AlertFinding,
  type StoredEvaluation,
} from '../../../core/alerts/index.ts';
import {
  PerformanceInputError,
  storedPerformance,
  validationMetrics,
  type PerformanceAnalysis,
  type PerformanceWindow,
  type ValidationMetrics,
} from '../../../core/analysis/performance/index.ts';
import {
  HashKeyError,
  importOutcomes as importOutcomeFile,
  OutcomeInputError,
  readHashKeyFile,
} from '../../../core/outcomes/index.ts';
import { AlertTable, OutcomeTable } from '../../../db/index.ts';
import { ConsoleError } from '../../../console-api/errors.ts';
import type { MethodInput, MethodOutput } from '../../../console-api/types.ts';
import type { MethodContext } from '../api/method-table.ts';
import type { Services } from '../services.ts';
import { effectiveRange } from './overview.ts';

async function championValidation(services: Services): Promise<ValidationMetrics | null> {
  const champion = await services.reference.tryGet().catch(() => null);
  if (!champion) return null;
  try {
    const metrics = JSON.parse(await readFile(champion.pkg.files.metrics, 'utf8')) as unknown;
    return validationMetrics(metrics, `${champion.pkg.name} version ${champion.pkg.version}`);
  } catch {
    return null;
  }
}

/** Evaluates every rule over the store and records the alerts' state, once per store version. */
export function evaluateConsoleAlerts(services: Services): Promise<StoredEvaluation | null> {
  return services.memo('alert-evaluation', services.store.file, async () => {
    const alerts = new AlertTable(services.store.db);
    const evaluation = await evaluateStoredPeriod(
      {
        performance: new OutcomeTable(services.store.db),
        records: services.store,
        drift: storedDriftProbe(services.store, async () => (await services.reference.tryGet())?.pkg ?? null),
        validation: await championValidation(services),
      },
      alerts.alertSettings(),
    );
    if (evaluation) await applyFindings(alerts, evaluation.findings, evaluation, 'console');
    return evaluation;
  });
}

/** Performance of [from, to) (the Performance page and the report); null when the store has no champion answers. */
export async function rangePerformance(
  services: Services,
  from: number,
  to: number,
  window: PerformanceWindow = 'day',
): Promise<PerformanceAnalysis | null> {
  const validation = await championValidation(services);
  try {
    const analysis = services.memo('performance', [from, to, window], () =>
      storedPerformance(new OutcomeTable(services.store.db), { from, to, window, validation }),
    );
    return analysis.windows.length > 0 ? analysis : null;
  } catch (error) {
    if (error instanceof PerformanceInputError) return null;
    throw error;
  }
}

export async function performance(
  services: Services,
  input: MethodInput<'performance'>,
): Promise<MethodOutput<'performance'>> {
  const { from, to } = effectiveRange(services, input.range);
  const window = input.window ?? 'day';
  const evaluation = await evaluateConsoleAlerts(services);
  const analysis = await rangePerformance(services, from, to, window);
  const table = new AlertTable(services.store.db);
  const retrain = evaluation?.findings.find(
    (f): f is AlertFinding & { reasons: string[]; command: string } =>
      f.rule === 'retraining_recommended' && f.periodEnd > from && f.periodStart < to,
  );
  return {
    range: { from, to },
    window,
    analysis,
    alerts: table.list({ from, to }),
    deliveries: table.deliveries(20),
    retraining: retrain ? { message: retrain.message, reasons: retrain.reasons, command: retrain.command } : null,
    notes: ['Drift rules (drift share, field statistics) are evaluated by vigie check and the CLI imports.'],
  };
}

export async function acknowledgeAlert(
  services: Services,
  input: MethodInput<'acknowledgeAlert'>,
): Promise<MethodOutput<'acknowledgeAlert'>> {
  const alert = new AlertTable(services.store.db).acknowledge(input.id);
  return { acknowledged: alert?.state === 'acknowledged' };
}

const refusal = (refused: string): MethodOutput<'importOutcomes'> => ({
  refused,
  lines: 0,
  inserted: 0,
  duplicates: 0,
  conflicts: 0,
  unmatched: 0,
  quarantined: 0,
  byReason: {},
  conflictList: [],
  unmatchedList: [],
});

export async function importOutcomes(
  services: Services,
  input: MethodInput<'importOutcomes'>,
  context: MethodContext,
): Promise<MethodOutput<'importOutcomes'>> {
  if (!(await stat(input.path).catch(() => null))) throw new ConsoleError('FILE_NOT_FOUND', input.path);
  const key = input.key ?? 'request_id';
  let hashKey: string | null = null;
  if (key === 'SK_ID_CURR') {
    if (!input.hashKeyFile) {
      return refusal("outcomes keyed by SK_ID_CURR need the API's hash key file, so that no raw id is stored");
    }
    try {
      hashKey = readHashKeyFile(input.hashKeyFile);
    } catch (error) {
      if (error instanceof HashKeyError) return refusal(error.message);
      throw error;
    }
  }
  try {
    const summary = await importOutcomeFile(new OutcomeTable(services.store.db), input.path, {
      key,
      hashKey,
      signal: context.signal,
      onProgress: (p) =>
        context.progress(p.bytesTotal > 0 ? p.bytesDone / p.bytesTotal : null, `Read ${p.lines} outcome lines`),
    });
    if (summary.aborted) throw new ConsoleError('OPERATION_CANCELLED');
    if (summary.inserted > 0) {
      services.invalidate();
      services.emit({ type: 'data-changed' });
      await evaluateConsoleAlerts(services);
    }
    return { refused: null, ...summary };
  } catch (error) {
    if (error instanceof OutcomeInputError) return refusal(error.message);
    throw error;
  }
}
