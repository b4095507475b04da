/**
 * A model version as people review it: MLmodel lineage, metrics.json (calibration, figures at the threshold, per
 * segment, ONNX parity) and the business cost against the threshold on the package's labelled reference sample.
 * A missing or unreadable metrics file or sample is reported in `problems`, never hidden.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { isPlainObject, loadModelPackage } from '../contract/index.ts';
import type { ModelVersionView, SegmentFigures } from './model-card-types.ts';

type Json = Record<string, unknown>;

const obj = (value: unknown): Json => (isPlainObject(value) ? value : {});
const num = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);
const str = (value: unknown): string | null =>
  typeof value === 'string' ? value : typeof value === 'number' ? String(value) : null;

/** Thresholds from 0.01 to 0.60 by 0.01: where a credit threshold can sensibly sit. */
const GRID = Array.from({ length: 60 }, (_, i) => Math.round((i + 1) * 10) / 1000);

export function costCurve(
  predictions: readonly number[],
  labels: readonly number[],
  costs: { falseNegative: number; falsePositive: number },
  thresholds: readonly number[],
): Array<{ threshold: number; costPerApplicant: number }> {
  return thresholds.map((threshold) => {
    let cost = 0;
    for (let i = 0; i < predictions.length; i += 1) {
      const refused = predictions[i]! >= threshold;
      if (!refused && labels[i] === 1) cost += costs.falseNegative;
      else if (refused && labels[i] === 0) cost += costs.falsePositive;
    }
    return { threshold, costPerApplicant: cost / Math.max(predictions.length, 1) };
  });
}

async function readSample(dir: string): Promise<{ predictions: number[]; labels: number[] }> {
  const records = parse(gunzipSync(await readFile(path.join(dir, 'reference', 'sample.csv.gz'))), {
    columns: true,
    skip_empty_lines: true,
  }) as Array<Record<string, string>>;
  const predictions: number[] = [];
  const labels: number[] = [];
  for (const record of records) {
    const p = Number(record.prediction);
    if ((record.TARGET === '0' || record.TARGET === '1') && record.prediction !== '' && Number.isFinite(p)) {
      predictions.push(p);
      labels.push(Number(record.TARGET));
    }
  }
  return { predictions, labels };
}

export async function readModelCard(
  dir: string,
  entry: { name: string; version: string; aliases: string[]; description?: string },
): Promise<ModelVersionView> {
  const pkg = await loadModelPackage(dir);
  const problems: string[] = [];
  let metrics: Json = {};
  try {
    metrics = obj(JSON.parse(await readFile(path.join(dir, 'metrics.json'), 'utf8')));
  } catch (error) {
    problems.push(`metrics.json could not be read (${(error as Error).message.split('\n')[0]})`);
  }
  const validation = obj(metrics.validation);
  const at = obj(validation.at_threshold);
  const cost = obj(at.business_cost);
  const parity = obj(metrics.parity);
  const meta = pkg.metadata;
  const byGroup: Record<string, Record<string, SegmentFigures>> = {};
  for (const [field, groups] of Object.entries(obj(validation.by_group))) {
    byGroup[field] = {};
    for (const [value, figures] of Object.entries(obj(groups))) {
      const f = obj(figures);
      byGroup[field][value] = {
        rows: num(f.rows) ?? 0,
        default_rate: num(f.default_rate) ?? NaN,
        roc_auc: num(f.roc_auc) ?? NaN,
        approval_rate: num(f.approval_rate) ?? NaN,
      };
    }
  }
  const costs = {
    falseNegative: num(cost.cost_false_negative) ?? 10,
    falsePositive: num(cost.cost_false_positive) ?? 1,
  };
  let curve: ModelVersionView['costCurve'] = { rows: 0, points: [] };
  try {
    const sample = await readSample(dir);
    const thresholds = [...new Set([...GRID, pkg.threshold])].sort((a, b) => a - b);
    curve = { rows: sample.labels.length, points: costCurve(sample.predictions, sample.labels, costs, thresholds) };
  } catch (error) {
    problems.push(`reference/sample.csv.gz could not be read (${(error as Error).message.split('\n')[0]})`);
  }
  const versions = obj(meta.library_versions);
  return {
    name: entry.name,
    version: entry.version,
    aliases: entry.aliases,
    kind: pkg.kind,
    description: entry.description ?? str(meta.description) ?? '',
    threshold: pkg.threshold,
    lineage: {
      runId: str(pkg.mlmodel.run_id),
      modelUuid: str(pkg.mlmodel.model_uuid),
      created: str(pkg.mlmodel.utc_time_created),
      dataFingerprint: str(meta.data_fingerprint),
      codeCommit: str(meta.code_commit),
      codeDirty: typeof meta.code_dirty === 'boolean' ? meta.code_dirty : null,
      libraryVersions: Object.fromEntries(Object.entries(versions).map(([k, v]) => [k, String(v)])),
    },
    metrics: {
      rocAuc: num(validation.roc_auc),
      brier: num(validation.brier),
      logLoss: num(validation.log_loss),
      validationRows: num(validation.rows),
      calibration: Array.isArray(obj(validation.calibration).bins)
        ? (obj(validation.calibration).bins as ModelVersionView['metrics']['calibration'])
        : [],
      atThreshold: {
        precision: num(at.precision),
        recall: num(at.recall),
        f1: num(at.f1),
        approvalRate: num(at.approval_rate),
        costPerApplicant: num(cost.per_applicant),
        costFalseNegative: num(cost.cost_false_negative),
        costFalsePositive: num(cost.cost_false_positive),
      },
      byGroup,
      parity: {
        maxAbsDiff: num(parity.max_abs_diff),
        tolerance: num(parity.tolerance),
        rows: num(parity.rows),
        compared: str(parity.compared),
      },
    },
    costCurve: curve,
    problems,
  };
}
