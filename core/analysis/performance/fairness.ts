/**
 * Fairness per segment: approval rate, realised and estimated ROC AUC per group of CODE_GENDER, NAME_CONTRACT_TYPE
 * and age band (from DAYS_BIRTH), with each group's approval rate against the best-treated group's. A ratio below
 * 0.8 is flagged (the four-fifths rule of the US EEOC's Uniform Guidelines, a screen rather than a legal finding);
 * groups with fewer than `minGroup` predictions are reported but neither flagged nor used as the best group.
 */
import { estimateWindow, type CbpeReference } from './cbpe.ts';
import { rocAuc } from './roc-auc.ts';
import { rowSet } from './rows.ts';
import type { LabelledRows } from './source.ts';

export const SEGMENTS = ['CODE_GENDER', 'NAME_CONTRACT_TYPE', 'AGE_BAND'] as const;
export type Segment = (typeof SEGMENTS)[number];
export const FOUR_FIFTHS = 0.8;

export interface GroupFigures {
  group: string;
  count: number;
  labelled: number;
  approvalRate: number | null;
  /** Approval rate divided by the best-treated group's (null for a group below minGroup). */
  approvalRatio: number | null;
  flagged: boolean;
  realisedRocAuc: number | null;
  estimatedRocAuc: number | null;
}

export interface SegmentFigures {
  segment: Segment;
  bestGroup: string | null;
  groups: GroupFigures[];
}

const AGE_BANDS: Array<[number, string]> = [
  [25, 'under 25'],
  [35, '25-34'],
  [45, '35-44'],
  [55, '45-54'],
  [Infinity, '55 and over'],
];

export function ageBand(daysBirth: number): string | null {
  if (Number.isNaN(daysBirth)) return null;
  const age = -daysBirth / 365.25;
  return AGE_BANDS.find(([upper]) => age < upper)![1];
}

function groupOf(rows: LabelledRows, segment: Segment, i: number): string | null {
  if (segment === 'CODE_GENDER') return rows.gender[i] ?? null;
  if (segment === 'NAME_CONTRACT_TYPE') return rows.contract[i] ?? null;
  return ageBand(rows.daysBirth[i]!);
}

export function segmentFigures(
  rows: LabelledRows,
  indices: ArrayLike<number>,
  reference: CbpeReference | null,
  options: { fallbackThreshold: number; minGroup: number; minLabelled: number },
): SegmentFigures[] {
  return SEGMENTS.map((segment) => {
    const byGroup = new Map<string, number[]>();
    for (let k = 0; k < indices.length; k += 1) {
      const i = indices[k]!;
      const group = groupOf(rows, segment, i) ?? 'missing';
      let list = byGroup.get(group);
      if (!list) byGroup.set(group, (list = []));
      list.push(i);
    }
    const groups: GroupFigures[] = [...byGroup.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([group, members]) => {
        const set = rowSet(rows, members, options.fallbackThreshold);
        let approved = 0;
        for (const r of set.refused) approved += 1 - r;
        const labelled = set.labelled.outcome.length;
        return {
          group,
          count: set.count,
          labelled,
          approvalRate: set.count > 0 ? approved / set.count : null,
          approvalRatio: null,
          flagged: false,
          realisedRocAuc:
            labelled >= options.minLabelled ? rocAuc(set.labelled.probability, set.labelled.outcome) : null,
          estimatedRocAuc: reference ? estimateWindow(reference, set.probability, set.refused).rocAuc : null,
        };
      });
    const eligible = groups.filter((g) => g.count >= options.minGroup && g.approvalRate !== null);
    const best = eligible.reduce<GroupFigures | null>(
      (a, g) => (!a || g.approvalRate! > a.approvalRate! ? g : a),
      null,
    );
    if (best && best.approvalRate! > 0) {
      for (const g of eligible) {
        g.approvalRatio = g.approvalRate! / best.approvalRate!;
        g.flagged = g.approvalRatio < FOUR_FIFTHS;
      }
    }
    return { segment, bestGroup: best?.group ?? null, groups };
  });
}
