/**
 * Wire types of the Challenger page (console API methods challengerCandidates and challengerReplay): the replay
 * report exactly as core/replay builds it, re-exported as types only from core/replay/types.ts (a file without
 * imports, erased from the renderer's bundle), plus the page's own candidate list.
 */

import type { ReplayReport } from '../core/replay/types.ts';

export type * from '../core/replay/types.ts';

export interface ChallengerCandidate {
  /** What to pass as `candidate` / `baseline`: an alias, a version, or `shadow`. */
  ref: string;
  label: string;
}

export interface ChallengerCandidates {
  models: ChallengerCandidate[];
  /** Stored records with a shadow answer, with a canary arm (all periods). */
  shadowRecords: number;
  armRecords: number;
}

export interface ChallengerResult {
  report: ReplayReport;
  /** The same report as a self-contained HTML page, for the download. */
  html: string;
  /** The store file replayed (what `vigie replay --db` takes to give the same report). */
  store: string;
}
