/** Reasons in words, for a refusal letter or a review: "EXT_SOURCE_3 = 0.14 raises the risk by 6.2 points". */
import type { Contribution } from './shapley.ts';

export function formatFieldValue(value: number | string | null): string {
  if (value === null) return 'missing';
  if (typeof value === 'string') return value;
  if (Number.isInteger(value)) return String(value);
  return String(Number(value.toPrecision(3)));
}

export function reasonInWords(contribution: Pick<Contribution, 'field' | 'value' | 'contribution'>): string {
  const points = Math.abs(contribution.contribution * 100).toFixed(1);
  const verb = contribution.contribution >= 0 ? 'raises' : 'lowers';
  return `${contribution.field} = ${formatFieldValue(contribution.value)} ${verb} the risk by ${points} points`;
}

/** The fields that moved the risk most, largest first (fields that did not move it are left out). */
export function topReasons(contributions: readonly Contribution[], count = 5): string[] {
  return [...contributions]
    .filter((c) => c.used && c.contribution !== 0)
    .sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution))
    .slice(0, count)
    .map(reasonInWords);
}
