/**
 * Runs every enabled rule over a period's windows and returns what fires, worst first within a window, plus a
 * "retraining recommended" finding when performance or drift rules fire for `sustainedWindows` windows in a row.
 * Performance and fairness are judged per performance window (a day by default), operations per hour, drift per day.
 * A performance drop must also exceed three sampling errors of the window, so that a small window's noise is not
 * reported as a drop.
 */
import type { OperationalWindow } from '../analysis/anomalies/index.ts';
import type { GroupFigures, PerformanceAnalysis } from '../analysis/performance/index.ts';
import { RULES, type AlertSettings, type AlertSeverity, type RuleId } from './rules.ts';

export interface DriftWindowFigures {
  start: number;
  end: number;
  driftShare: number;
  /** Each field's primary statistic (PSI for numbers, Jensen–Shannon for categories). */
  fields: Array<{ name: string; method: string; statistic: number }>;
}

export interface AlertFinding {
  rule: RuleId | 'retraining_recommended';
  severity: AlertSeverity;
  periodStart: number;
  periodEnd: number;
  value: number | null;
  threshold: number | null;
  message: string;
  /** retraining_recommended only. */
  reasons?: string[];
  command?: string;
}

export interface EvaluationInput {
  settings: AlertSettings;
  performance: PerformanceAnalysis | null;
  /** Hourly operational windows of the period. */
  operations: OperationalWindow[];
  /** Daily drift windows, or null when drift could not be analysed (no model reference). */
  drift: DriftWindowFigures[] | null;
}

/** How to retrain, shown with the finding (models/training/run.sh, docs/performance.md). */
export const RETRAIN_COMMAND =
  'models/training/run.sh --help   # then train and register a challenger, see docs/performance.md';

/** Hours with fewer requests are not judged on rates and p99: one failure in a quiet night hour is no incident. */
export const MIN_HOUR_REQUESTS = 200;

const pct = (v: number) => `${(v * 100).toFixed(1)} %`;
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const hour = (ms: number) => `${new Date(ms).toISOString().slice(0, 13)}:00Z`;

function judge(
  rule: RuleId,
  settings: AlertSettings,
  value: number | null,
  start: number,
  end: number,
  describe: (value: number, threshold: number) => string,
): AlertFinding | null {
  const config = settings.rules[rule];
  if (!config.enabled || value === null || !Number.isFinite(value)) return null;
  const below = RULES[rule].direction === 'below';
  const past = (threshold: number) => (below ? value < threshold : value >= threshold);
  const severity: AlertSeverity | null = past(config.critical) ? 'critical' : past(config.warning) ? 'warning' : null;
  if (!severity) return null;
  const threshold = severity === 'critical' ? config.critical : config.warning;
  return { rule, severity, periodStart: start, periodEnd: end, value, threshold, message: describe(value, threshold) };
}

/**
 * One-sided test that a group's approval rate is below `threshold` times the best group's by more than two standard
 * errors, so a small window's noise does not read as a four-fifths breach.
 */
function belowBeyondNoise(group: GroupFigures, best: GroupFigures, threshold: number): boolean {
  const [p, q] = [group.approvalRate!, best.approvalRate!];
  const se = Math.sqrt((threshold ** 2 * q * (1 - q)) / best.count + (p * (1 - p)) / group.count);
  return se > 0 && (threshold * q - p) / se > 2;
}

function performanceFindings(settings: AlertSettings, performance: PerformanceAnalysis): AlertFinding[] {
  const out: AlertFinding[] = [];
  const baseline = performance.baseline;
  for (const w of performance.windows) {
    if (baseline) {
      const est = w.estimated;
      if (est?.rocAuc != null && est.rocAucUpper != null && est.rocAucUpper < baseline.rocAuc) {
        const f = judge(
          'estimated_auc_drop',
          settings,
          baseline.rocAuc - est.rocAuc,
          w.start,
          w.end,
          (v, t) =>
            `estimated ROC AUC ${est.rocAuc!.toFixed(3)} on ${day(w.start)} is ${v.toFixed(3)} below the baseline ${baseline.rocAuc.toFixed(3)} (${baseline.source}; alert at ${t})`,
        );
        if (f) out.push(f);
      }
      const real = w.realised;
      if (real?.rocAuc != null) {
        const drop = baseline.rocAuc - real.rocAuc;
        const noise = real.rocAucSamplingError ?? 0;
        if (drop > 3 * noise) {
          const f = judge(
            'realised_auc_drop',
            settings,
            drop,
            w.start,
            w.end,
            (v, t) =>
              `realised ROC AUC ${real.rocAuc!.toFixed(3)} on ${day(w.start)} (${w.labelled} outcomes) is ${v.toFixed(3)} below the baseline ${baseline.rocAuc.toFixed(3)} (${baseline.source}; alert at ${t})`,
          );
          if (f) out.push(f);
        }
      }
    }
    let lowest: { ratio: number; label: string } | null = null;
    for (const segment of w.segments.filter((s) => settings.fairnessSegments.includes(s.segment))) {
      const best = segment.groups.find((g) => g.group === segment.bestGroup);
      for (const g of segment.groups) {
        if (g.approvalRatio === null || !best || g === best) continue;
        if (!belowBeyondNoise(g, best, settings.rules.approval_ratio.warning)) continue;
        if (!lowest || g.approvalRatio < lowest.ratio) {
          lowest = {
            ratio: g.approvalRatio,
            label: `${segment.segment} = ${g.group} (${g.count} applicants) against ${segment.bestGroup}`,
          };
        }
      }
    }
    if (lowest) {
      const f = judge(
        'approval_ratio',
        settings,
        lowest.ratio,
        w.start,
        w.end,
        (v, t) => `approval-rate ratio ${v.toFixed(2)} for ${lowest.label} on ${day(w.start)} (alert below ${t})`,
      );
      if (f) out.push(f);
    }
  }
  return out;
}

function operationFindings(settings: AlertSettings, operations: OperationalWindow[]): AlertFinding[] {
  const out: AlertFinding[] = [];
  for (const w of operations) {
    if (w.requests < MIN_HOUR_REQUESTS) continue;
    const candidates = [
      judge(
        'error_rate',
        settings,
        w.errors / w.requests,
        w.start,
        w.end,
        (v, t) =>
          `${pct(v)} of the ${w.requests} requests of ${hour(w.start)} failed with a server error (alert at ${pct(t)})`,
      ),
      judge(
        'p99_latency',
        settings,
        w.latencyCount ? w.latencyP99 : null,
        w.start,
        w.end,
        (v, t) => `p99 latency ${v.toFixed(1)} ms in ${hour(w.start)} (alert at ${t} ms)`,
      ),
      judge(
        'fallback_rate',
        settings,
        w.ok ? w.degraded / w.ok : null,
        w.start,
        w.end,
        (v, t) =>
          `${pct(v)} of the answers of ${hour(w.start)} were degraded (fallback model or rules; alert at ${pct(t)})`,
      ),
    ];
    for (const f of candidates) if (f) out.push(f);
  }
  return out;
}

function driftFindings(settings: AlertSettings, drift: DriftWindowFigures[]): AlertFinding[] {
  const out: AlertFinding[] = [];
  for (const w of drift) {
    const share = judge(
      'drift_share',
      settings,
      w.driftShare,
      w.start,
      w.end,
      (v, t) => `${pct(v)} of the fields drifted on ${day(w.start)} (alert at ${pct(t)})`,
    );
    if (share) out.push(share);
    const worst = w.fields.reduce<DriftWindowFigures['fields'][number] | null>(
      (a, f) => (Number.isFinite(f.statistic) && (!a || f.statistic > a.statistic) ? f : a),
      null,
    );
    if (worst) {
      const f = judge(
        'field_drift',
        settings,
        worst.statistic,
        w.start,
        w.end,
        (v, t) => `${worst.name}: ${worst.method} ${v.toFixed(3)} on ${day(w.start)} (alert at ${t})`,
      );
      if (f) out.push(f);
    }
  }
  return out;
}

/** Performance or drift rules firing in `sustained` consecutive windows (by start time, one finding per window). */
function retraining(findings: AlertFinding[], sustained: number): AlertFinding | null {
  const trigger = findings.filter(
    (f) => f.rule !== 'retraining_recommended' && ['performance', 'drift'].includes(RULES[f.rule].family),
  );
  const byWindow = new Map<number, AlertFinding[]>();
  for (const f of trigger) byWindow.set(f.periodStart, [...(byWindow.get(f.periodStart) ?? []), f]);
  const starts = [...byWindow.keys()].sort((a, b) => a - b);
  let run: number[] = [];
  let best: number[] = [];
  for (const start of starts) {
    const previous = run[run.length - 1];
    run = previous !== undefined && start - previous <= 86_400_000 ? [...run, start] : [start];
    if (run.length > best.length) best = run;
  }
  if (best.length < sustained) return null;
  const reasons = [...new Set(best.flatMap((s) => byWindow.get(s)!.map((f) => RULES[f.rule as RuleId].label)))];
  const first = best[0]!;
  const last = best[best.length - 1]!;
  const end = Math.max(...byWindow.get(last)!.map((f) => f.periodEnd));
  return {
    rule: 'retraining_recommended',
    severity: 'critical',
    periodStart: first,
    periodEnd: end,
    value: best.length,
    threshold: sustained,
    message: `retraining recommended: ${reasons.join('; ')} fired for ${best.length} windows in a row from ${day(first)}`,
    reasons: best.flatMap((s) => byWindow.get(s)!.map((f) => f.message)),
    command: RETRAIN_COMMAND,
  };
}

export function evaluateRules(input: EvaluationInput): AlertFinding[] {
  const findings = [
    ...(input.performance ? performanceFindings(input.settings, input.performance) : []),
    ...operationFindings(input.settings, input.operations),
    ...(input.drift ? driftFindings(input.settings, input.drift) : []),
  ];
  const retrain = retraining(findings, input.settings.sustainedWindows);
  if (retrain) findings.push(retrain);
  return findings.sort((a, b) => a.periodStart - b.periodStart || (a.severity === 'critical' ? -1 : 1));
}
