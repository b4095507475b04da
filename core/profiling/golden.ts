/** The package's golden applicants and the parity of an engine against them: checked on every profiling cell. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Applicant, InputSchema } from '../contract/index.ts';
import type { ScoringEngine } from '../engine/index.ts';

export interface Golden {
  applicants: Applicant[];
  expected: number[];
}

export async function readGolden(packageDir: string, schema: InputSchema): Promise<Golden> {
  const file = path.join(packageDir, 'golden.jsonl');
  const text = await readFile(file, 'utf8');
  const golden: Golden = { applicants: [], expected: [] };
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const row = JSON.parse(line) as { input: unknown; expected_probability: number };
    const parsed = schema.validate(row.input);
    if (!parsed.ok || typeof row.expected_probability !== 'number') continue;
    golden.applicants.push(parsed.value);
    golden.expected.push(row.expected_probability);
  }
  if (golden.applicants.length === 0) throw new Error(`${file} has no valid golden applicant`);
  return golden;
}

/** Scores the golden applicants in one call and returns the largest absolute difference from the expected ones. */
export async function checkParity(
  engine: ScoringEngine,
  golden: Golden,
): Promise<{ maxAbsDiff: number; rows: number }> {
  const results = await engine.scoreMany(golden.applicants);
  let maxAbsDiff = 0;
  results.forEach((result, i) => {
    if (result.served_by !== 'champion')
      throw new Error(`a golden applicant was not scored by the model: ${result.reason}`);
    maxAbsDiff = Math.max(maxAbsDiff, Math.abs(result.probability - golden.expected[i]!));
  });
  return { maxAbsDiff, rows: results.length };
}
