/**
 * ROC AUC as the Mann–Whitney U statistic with mid-ranks for ties, which equals scikit-learn's `roc_auc_score`
 * (trapezoids under the ROC curve) on the same rows; pinned to 1e-9 in tests/core/analysis/performance.
 */

/** ROC AUC of `scores` for `labels` (1 = default); null when either class is absent. */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number | null {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  let positives = 0;
  let rankSum = 0;
  for (let i = 0; i < n;) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1]!] === scores[order[i]!]) j += 1;
    const midRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k += 1) {
      if (labels[order[k]!] === 1) {
        positives += 1;
        rankSum += midRank;
      }
    }
    i = j + 1;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return null;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}
