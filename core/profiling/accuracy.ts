/**
 * The accuracy side of an optimisation: a configuration is only faster if it still ranks and decides the same. Scores
 * the package's labelled reference sample (reference/sample.csv.gz, TARGET column) and measures AUC and the approval
 * rate overall and per segment at the package's threshold.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import type { Applicant } from '../contract/index.ts';
import type { ScoringEngine } from '../engine/index.ts';
import type { AccuracyFigures } from './types.ts';

/** Segments whose approval rate must not move (metrics.json's by_group uses the same two). */
export const SEGMENT_FIELDS = ['CODE_GENDER', 'NAME_CONTRACT_TYPE'] as const;

export interface LabelledSample {
  applicants: Applicant[];
  labels: number[];
}

/** Rank AUC (Mann–Whitney U) with ties counted half, as sklearn's roc_auc_score; null without both classes. */
export function rocAuc(scores: readonly number[], labels: readonly number[]): number | null {
  const order = scores.map((_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  let positives = 0;
  let rankSum = 0;
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && scores[order[j + 1]!] === scores[order[i]!]) j += 1;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k += 1) {
      if (labels[order[k]!] === 1) {
        positives += 1;
        rankSum += rank;
      }
    }
    i = j + 1;
  }
  const negatives = order.length - positives;
  if (positives === 0 || negatives === 0) return null;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

export async function readLabelledSample(packageDir: string, engine: ScoringEngine): Promise<LabelledSample> {
  const file = path.join(packageDir, 'reference', 'sample.csv.gz');
  const records = parse(gunzipSync(await readFile(file)), { columns: true, skip_empty_lines: true }) as Array<
    Record<string, string>
  >;
  const sample: LabelledSample = { applicants: [], labels: [] };
  const fields = engine.schema.fields;
  for (const record of records) {
    if (record.TARGET !== '0' && record.TARGET !== '1') continue;
    const raw: Record<string, string | number | null> = {};
    for (const field of fields) {
      const cell = record[field.name];
      if (cell === undefined) continue;
      raw[field.name] = cell === '' ? null : field.kind === 'category' ? cell : Number(cell);
    }
    const parsed = engine.schema.validate(raw);
    if (!parsed.ok) continue;
    sample.applicants.push(parsed.value);
    sample.labels.push(Number(record.TARGET));
  }
  if (sample.applicants.length === 0) throw new Error(`${file} has no labelled applicant`);
  return sample;
}

export async function measureAccuracy(engine: ScoringEngine, sample: LabelledSample): Promise<AccuracyFigures> {
  const results = await engine.scoreMany(sample.applicants);
  const scores = results.map((result) => result.probability);
  const approved = results.map((result) => result.decision === 'approve');
  const rate = (indices: number[]) => indices.filter((i) => approved[i]).length / Math.max(indices.length, 1);
  const all = scores.map((_, i) => i);
  const segments: AccuracyFigures['segments'] = {};
  for (const field of SEGMENT_FIELDS) {
    const groups = new Map<string, number[]>();
    sample.applicants.forEach((applicant, i) => {
      const value = String(applicant[field] ?? 'missing');
      const group = groups.get(value);
      if (group) group.push(i);
      else groups.set(value, [i]);
    });
    segments[field] = Object.fromEntries(
      [...groups].map(([value, indices]) => [
        value,
        {
          rows: indices.length,
          roc_auc: rocAuc(
            indices.map((i) => scores[i]!),
            indices.map((i) => sample.labels[i]!),
          ),
          approval_rate: rate(indices),
        },
      ]),
    );
  }
  return { rows: all.length, roc_auc: rocAuc(scores, sample.labels) ?? NaN, approval_rate: rate(all), segments };
}
