/**
 * Wire types of the What-if and Batch scoring pages (docs/what-if.md). Pure types, shared by renderer and backend;
 * they mirror what `core/explain` and `core/batch` answer.
 */

export type WhatIfApplicant = Record<string, number | string | null>;
export type WhatIfRole = 'champion' | 'challenger' | 'fallback';
export type WhatIfValue = number | string | null;

export interface WhatIfModel {
  role: WhatIfRole;
  name: string;
  version: string;
  kind: string;
  threshold: number;
  /** Fields the model's graph reads. */
  inputs: string[];
}

export interface WhatIfSetup {
  /** The champion's `input_schema.json`, as the package holds it: the form is generated from it. */
  schema: unknown;
  /** Reference medians (numbers) and modes (categories). */
  typical: WhatIfApplicant;
  golden: Array<{ label: string; applicant: WhatIfApplicant }>;
  models: WhatIfModel[];
}

export interface WhatIfAnswer {
  role: WhatIfRole;
  name: string;
  version: string;
  probability: number;
  decision: 'approve' | 'refuse';
  threshold: number;
  servedBy: string;
  degraded: boolean;
}

export interface WhatIfScoreResult {
  answers: WhatIfAnswer[];
  /** Time spent in the backend for the three models, milliseconds. */
  backendMs: number;
}

export interface WhatIfCurve {
  field: string;
  kind: 'number' | 'integer' | 'category';
  points: WhatIfValue[];
  current: WhatIfValue;
  series: Array<{ role: WhatIfRole; name: string; version: string; threshold: number; probabilities: number[] }>;
  evaluations: number;
}

export interface WhatIfFlips {
  role: WhatIfRole;
  probability: number;
  threshold: number;
  decision: 'approve' | 'refuse';
  rows: Array<{ field: string; from: WhatIfValue; to: WhatIfValue; size: number | null; probability: number | null }>;
  evaluations: number;
}

export interface WhatIfReasons {
  role: WhatIfRole;
  threshold: number;
  probability: number;
  baseValue: number;
  contributions: Array<{
    field: string;
    value: WhatIfValue;
    contribution: number;
    standardError: number;
    used: boolean;
  }>;
  estimator: string;
  evaluations: number;
  permutations: number;
  residual: number;
  residualStandardError: number;
  /** The top reasons in words. */
  words: string[];
}

export interface StoredRequestRow {
  requestId: string;
  ts: number;
  probability: number | null;
  decision: string | null;
  modelVersion: string | null;
  servedBy: string | null;
}

export interface StoredRequestResult {
  request: StoredRequestRow;
  /** The logged input as a valid applicant (see `notes` for what was filled in). */
  applicant: WhatIfApplicant;
  notes: string[];
}

export interface RequestPage {
  rows: StoredRequestRow[];
  total: number;
  page: number;
  pageSize: number;
}

export interface WhatIfScenario {
  name: string;
  applicant: WhatIfApplicant;
  origin: string;
  note: string;
  createdAt: number;
  updatedAt: number;
}

export interface BatchInvalidRow {
  line: number | null;
  row: number;
  id?: string;
  code: string;
  issues: Array<{ path: string; message: string }>;
}

export interface BatchScoreResult {
  model: { role: WhatIfRole; name: string; version: string };
  rows: number;
  scored: number;
  invalid: number;
  approvalRate: number | null;
  meanProbability: number | null;
  invalidRows: BatchInvalidRow[];
  histogram: { labels: string[]; reference: number[]; current: number[] } | null;
  drift: { driftShare: number; datasetDrift: boolean; driftedFields: string[]; predictionDrifted: boolean } | null;
  driftRows: number;
  /** The scored file, kept by the backend until the console stops. */
  download: { id: string; name: string; path: string };
}
