/**
 * The optimisation report built from a finished profiling run: every configuration tried, the baseline (the first
 * variant asked, on CPU, as the engine runs by default), each strategy's best against it, the bottleneck, the
 * accuracy check and the recommended configuration. A strategy is kept only where it wins and the accuracy holds.
 */
import type { ApiSplitHour } from './api-split.ts';
import type { CellAccuracy, ProfileResult, ProfileRow, StageSplit } from './types.ts';

export const REPORT_FORMAT_VERSION = 1;

/** How far a faster configuration may move the figures that matter before it is refused. */
export const TOLERANCES = Object.freeze({
  parityMaxAbsDiff: 1e-5,
  rocAuc: 0.001,
  approvalRate: 0.005,
  /** A strategy must beat the baseline's rows per CPU-second by this factor to count as a win. */
  minGain: 1.05,
  /** p99 latency per call a recommended configuration must stay under. */
  p99BudgetMs: 100,
});

export interface AccuracyCheck {
  name: string;
  baseline: number | null;
  candidate: number | null;
  tolerance: number;
  ok: boolean;
}

export interface StrategyResult {
  name: string;
  question: string;
  tried: string[];
  best: ProfileRow | null;
  gain: number | null;
  kept: boolean;
  verdict: string;
}

export interface OptimisationReport {
  format_version: number;
  title: string;
  generated_at: string;
  run: Pick<ProfileResult, 'machine' | 'prices' | 'request' | 'startedAt' | 'finishedAt'>;
  configurations: ProfileRow[];
  unavailable: Array<{ ref: string; provider: string; status: string }>;
  baseline: ProfileRow | null;
  recommended: ProfileRow | null;
  gain: { rows_per_cpu_s: number; rows_per_s: number; cost_per_1000: number } | null;
  strategies: StrategyResult[];
  bottleneck: {
    engine: StageSplit | null;
    largest_stage: string | null;
    share: number | null;
    api: ApiSplitHour[];
    text: string;
  };
  accuracy: { checks: AccuracyCheck[]; ok: boolean; baseline: CellAccuracy | null; recommended: CellAccuracy | null };
  justification: string[];
  not_tried: string[];
}

const describe = (row: ProfileRow) =>
  `${row.model} ${row.version} (${row.ref}) on ${row.provider}, ${row.workers} worker(s) × ${row.intra_op_threads} thread(s), graph ${row.graph_optimization}, batch ${row.batch_size}`;

const sameCell =
  (row: { ref: string; provider: string; workers: number; graph_optimization: string }) =>
  (other: { ref: string; provider: string; workers: number; graph_optimization: string }) =>
    other.ref === row.ref &&
    other.provider === row.provider &&
    other.workers === row.workers &&
    other.graph_optimization === row.graph_optimization;

function pickBaseline(rows: ProfileRow[], result: ProfileResult): ProfileRow | null {
  const first = result.request.models[0];
  const ok = rows.filter((row) => row.status === 'ok' && row.ref === first);
  const onCpu = ok.filter((row) => row.provider === 'cpu' && row.graph_optimization === 'all');
  const pool = onCpu.length ? onCpu : ok;
  if (pool.length === 0) return null;
  const firstWorkers = result.request.workers[0];
  const sameWorkers = pool.filter((row) => row.workers === firstWorkers);
  const candidates = sameWorkers.length ? sameWorkers : pool;
  return [...candidates].sort(
    (a, b) => Math.abs(Math.log(a.batch_size / 64)) - Math.abs(Math.log(b.batch_size / 64)),
  )[0]!;
}

function accuracyChecks(
  baseline: CellAccuracy | null,
  candidate: CellAccuracy | null,
  row: ProfileRow | null,
): AccuracyCheck[] {
  if (!baseline || !candidate || !row) return [];
  const checks: AccuracyCheck[] = [
    {
      name: 'parity with golden.jsonl (max abs difference)',
      baseline: 0,
      candidate: row.parity_max_abs_diff,
      tolerance: TOLERANCES.parityMaxAbsDiff,
      ok: (row.parity_max_abs_diff ?? Infinity) <= TOLERANCES.parityMaxAbsDiff,
    },
    {
      name: 'AUC on the reference sample',
      baseline: baseline.roc_auc,
      candidate: candidate.roc_auc,
      tolerance: TOLERANCES.rocAuc,
      ok: Math.abs(candidate.roc_auc - baseline.roc_auc) <= TOLERANCES.rocAuc,
    },
    {
      name: 'approval rate',
      baseline: baseline.approval_rate,
      candidate: candidate.approval_rate,
      tolerance: TOLERANCES.approvalRate,
      ok: Math.abs(candidate.approval_rate - baseline.approval_rate) <= TOLERANCES.approvalRate,
    },
  ];
  for (const [field, groups] of Object.entries(baseline.segments)) {
    for (const [value, figures] of Object.entries(groups)) {
      const other = candidate.segments[field]?.[value];
      checks.push({
        name: `approval rate, ${field} = ${value}`,
        baseline: figures.approval_rate,
        candidate: other?.approval_rate ?? null,
        tolerance: TOLERANCES.approvalRate,
        ok: other !== undefined && Math.abs(other.approval_rate - figures.approval_rate) <= TOLERANCES.approvalRate,
      });
    }
  }
  return checks;
}

function accuracyOf(result: ProfileResult, row: ProfileRow | null): CellAccuracy | null {
  if (!row) return null;
  return result.accuracy.find((item) => sameCell(row)(item) && item.version === row.version) ?? null;
}

function passes(result: ProfileResult, baseline: ProfileRow, row: ProfileRow): boolean {
  const checks = accuracyChecks(accuracyOf(result, baseline), accuracyOf(result, row), row);
  return checks.length > 0 && checks.every((check) => check.ok);
}

function strategy(
  result: ProfileResult,
  baseline: ProfileRow,
  name: string,
  question: string,
  varies: (row: ProfileRow) => string,
  fixed: (row: ProfileRow) => boolean,
): StrategyResult {
  const rows = result.rows.filter(fixed);
  const tried = [...new Set(rows.map(varies))];
  const ok = rows.filter((row) => row.status === 'ok' && row.rows_per_cpu_s !== null);
  const best = [...ok].sort((a, b) => b.rows_per_cpu_s! - a.rows_per_cpu_s!)[0] ?? null;
  const gain = best ? best.rows_per_cpu_s! / baseline.rows_per_cpu_s! : null;
  if (tried.length < 2) {
    return {
      name,
      question,
      tried,
      best,
      gain,
      kept: false,
      verdict: `only ${tried.join('') || 'one option'} was tried`,
    };
  }
  if (!best || varies(best) === varies(baseline) || gain === null || gain < TOLERANCES.minGain) {
    return {
      name,
      question,
      tried,
      best,
      gain,
      kept: false,
      verdict: `not kept: ${varies(baseline)} stays best or within ${Math.round((TOLERANCES.minGain - 1) * 100)} %`,
    };
  }
  if (!passes(result, baseline, best)) {
    return {
      name,
      question,
      tried,
      best,
      gain,
      kept: false,
      verdict: `not kept: ${varies(best)} is ${gain.toFixed(2)}× faster but fails the accuracy check`,
    };
  }
  return {
    name,
    question,
    tried,
    best,
    gain,
    kept: true,
    verdict:
      name === 'Batch size'
        ? `kept for bulk scoring: ${varies(best)} gives ${gain.toFixed(2)}× the rows per CPU-second; the API's micro-batch stays bounded by its latency`
        : `kept: ${varies(best)} gives ${gain.toFixed(2)}× the rows per CPU-second`,
  };
}

const STAGES = ['queue_ms', 'pack_ms', 'transfer_ms', 'inference_ms', 'return_ms'] as const;

function bottleneck(
  stages: StageSplit[],
  baseline: ProfileRow | null,
  api: ApiSplitHour[],
): OptimisationReport['bottleneck'] {
  const engine =
    (baseline &&
      stages.find(
        (item) => sameCell({ ...baseline, ref: '' })({ ...item, ref: '' }) && item.version === baseline.version,
      )) ??
    stages[0] ??
    null;
  if (!engine)
    return {
      engine: null,
      largest_stage: null,
      share: null,
      api,
      text: 'No configuration ran, so no stage split was measured.',
    };
  const total = STAGES.reduce((sum, stage) => sum + engine[stage], 0);
  const largest = [...STAGES].sort((a, b) => engine[b] - engine[a])[0]!;
  const share = total > 0 ? engine[largest] / total : 0;
  const stageName = largest.replace('_ms', '');
  let text = `In the engine, ${stageName} takes ${(share * 100).toFixed(0)} % of a micro-batch's time (mean batch ${engine.mean_batch} applicants, ${engine.batches} batches measured).`;
  const hours = api.filter((hour) => hour.requests > 0);
  if (hours.length) {
    const requests = hours.reduce((sum, hour) => sum + hour.requests, 0);
    const mean = (pick: (hour: ApiSplitHour) => number | null) =>
      hours.reduce((sum, hour) => sum + (pick(hour) ?? 0) * hour.requests, 0) / requests;
    const queue = mean((hour) => hour.queue_ms);
    const inference = mean((hour) => hour.inference_ms);
    const totalMs = mean((hour) => hour.total_ms);
    const other = Math.max(0, totalMs - queue - inference);
    text += ` In production (${requests.toLocaleString('en')} requests over ${hours.length} hours), a request spends on average ${queue.toFixed(2)} ms queued, ${inference.toFixed(2)} ms in inference and ${other.toFixed(2)} ms elsewhere in the API (validation, HTTP, logging) of ${totalMs.toFixed(2)} ms.`;
  } else {
    text += ' No production records are in the store, so the API side of the split is not shown.';
  }
  return { engine, largest_stage: stageName, share, api, text };
}

export function buildOptimisationReport(result: ProfileResult, api: ApiSplitHour[] = []): OptimisationReport {
  const baseline = pickBaseline(result.rows, result);
  const strategies: StrategyResult[] = [];
  if (baseline) {
    const others = (keep: Array<keyof ProfileRow>) => (row: ProfileRow) =>
      keep.every((key) => row[key] === baseline[key]);
    strategies.push(
      strategy(
        result,
        baseline,
        'Model variant',
        'Which graph of the same model scores fastest?',
        (row) => `version ${row.version}`,
        others(['provider', 'workers', 'graph_optimization', 'batch_size']),
      ),
      strategy(
        result,
        baseline,
        'Graph optimisation level',
        'Does ONNX Runtime graph optimisation change the cost?',
        (row) => row.graph_optimization,
        others(['ref', 'provider', 'workers', 'batch_size']),
      ),
      strategy(
        result,
        baseline,
        'Thread layout',
        'More workers with fewer threads each, or the reverse?',
        (row) => `${row.workers}×${row.intra_op_threads}`,
        others(['ref', 'provider', 'graph_optimization', 'batch_size']),
      ),
      strategy(
        result,
        baseline,
        'Execution provider',
        'Does another execution provider serve it cheaper?',
        (row) => row.provider,
        others(['ref', 'workers', 'graph_optimization', 'batch_size']),
      ),
      strategy(
        result,
        baseline,
        'Batch size',
        'How much does batching buy (the API micro-batches up to 64)?',
        (row) => `batch ${row.batch_size}`,
        others(['ref', 'provider', 'workers', 'graph_optimization']),
      ),
    );
  }
  const candidates = baseline
    ? result.rows.filter(
        (row) =>
          row.status === 'ok' &&
          (row.p99_ms ?? Infinity) <= TOLERANCES.p99BudgetMs &&
          row.batch_size === baseline.batch_size &&
          passes(result, baseline, row),
      )
    : [];
  const best = [...candidates].sort((a, b) => b.rows_per_cpu_s! - a.rows_per_cpu_s!)[0] ?? null;
  const recommended =
    best && baseline && best.rows_per_cpu_s! >= baseline.rows_per_cpu_s! * TOLERANCES.minGain ? best : baseline;
  const checks = accuracyChecks(accuracyOf(result, baseline), accuracyOf(result, recommended), recommended);
  const gain =
    baseline && recommended
      ? {
          rows_per_cpu_s: recommended.rows_per_cpu_s! / baseline.rows_per_cpu_s!,
          rows_per_s: recommended.rows_per_s! / baseline.rows_per_s!,
          cost_per_1000: recommended.cost_per_1000! / baseline.cost_per_1000!,
        }
      : null;
  const justification: string[] = [];
  if (baseline && recommended) {
    justification.push(
      recommended === baseline
        ? `Keep the baseline, ${describe(baseline)}: no configuration tried beat it by ${Math.round((TOLERANCES.minGain - 1) * 100)} % with the accuracy unchanged.`
        : `Use ${describe(recommended)}: ${gain!.rows_per_cpu_s.toFixed(2)}× the rows per CPU-second of the baseline (${describe(baseline)}), so ${(100 * (1 - gain!.cost_per_1000)).toFixed(0)} % less per 1 000 predictions.`,
      `Compared at batch ${baseline.batch_size}, the size closest to the API's micro-batch of 64; p99 per call ${recommended.p99_ms} ms (budget ${TOLERANCES.p99BudgetMs} ms).`,
      checks.every((check) => check.ok)
        ? 'Accuracy unchanged within the stated tolerances: parity, AUC and approval rate overall and per segment.'
        : 'The accuracy check fails; do not adopt this configuration.',
    );
    const { load_average: load, cores } = result.machine;
    if (load[0] > cores) {
      justification.push(
        `The machine was busy while measuring (load average ${load[0]} on ${cores} cores): gains of a few tens of per cent can be noise here; confirm on a quiet machine before adopting one.`,
      );
    }
  } else {
    justification.push('No configuration ran on this machine, so nothing can be recommended.');
  }
  return {
    format_version: REPORT_FORMAT_VERSION,
    title: 'Vigie optimisation report',
    generated_at: new Date().toISOString(),
    run: {
      machine: result.machine,
      prices: result.prices,
      request: result.request,
      startedAt: result.startedAt,
      finishedAt: result.finishedAt,
    },
    configurations: result.rows,
    unavailable: result.rows
      .filter((row) => row.status !== 'ok')
      .filter((row, i, all) => all.findIndex((other) => other.ref === row.ref && other.provider === row.provider) === i)
      .map((row) => ({ ref: row.ref, provider: row.provider, status: row.status })),
    baseline,
    recommended,
    gain,
    strategies,
    bottleneck: bottleneck(result.stages, baseline, api),
    accuracy: {
      checks,
      ok: checks.length > 0 && checks.every((check) => check.ok),
      baseline: accuracyOf(result, baseline),
      recommended: accuracyOf(result, recommended),
    },
    justification,
    not_tried: [
      'An int8-quantised graph: dynamic quantisation rewrites MatMul and Gemm weights, and these graphs have none (tree ensemble, label encoders, tree traversal by Gather/Where, linear classifier), so there is nothing for it to quantise.',
      'A float16 graph: the ONNX-ML operators the packages use (TreeEnsemble, LabelEncoder, OneHotEncoder, LinearClassifier) have no float16 kernels in ONNX Runtime, and halving the precision of split thresholds would send applicants down other branches.',
    ],
  };
}
