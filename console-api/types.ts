/**
 * The console API's wire types: what each method takes and returns. Pure types, importing only other type files, so the renderer
 * (DOM project) and the backend (Node project) share them without the renderer pulling in any Node code.
 * Times are epoch milliseconds, rates are shares in [0, 1], latencies are milliseconds.
 */
import type * as W from './what-if-types.ts';
import type {
  AliasChangeInput,
  AliasHistoryView,
  ApiSplitHour,
  MachineInfo,
  ModelsResult,
  PeriodCost,
  Prices,
  ProfileRunInput,
  ProfileRunView,
  ProviderInfo,
  SavedProfileRun,
} from './models-profiling.ts';
import type { ChallengerCandidates, ChallengerResult } from './challenger.ts';

export type * from './challenger.ts';

import type { OutcomeImportResult, PerformanceResult } from './performance-types.ts';

export type * from './performance-types.ts';

export interface TimeRange {
  from?: number;
  to?: number;
}

export type Bucket = 'auto' | 'minute' | 'hour' | 'day';
export type DriftMethod = 'psi' | 'ks' | 'wasserstein' | 'chi2' | 'jensen_shannon';
export type ReportFormat = 'html' | 'json';
export type Severity = 'info' | 'warning' | 'critical';

export interface ImportSummary {
  files: number;
  lines: number;
  inserted: number;
  duplicates: number;
  quarantined: number;
  byReason: Record<string, number>;
  errors: string[];
}

export interface SourceRow {
  id: string;
  kind: 'file' | 'api' | 'demo' | 'object storage';
  /** File path, API URL or `s3://bucket/key`. */
  location: string;
  importedAt: number | null;
  records: number;
  quarantined: number;
  detail: string;
}

export interface QuarantineRow {
  source: string;
  line: number;
  reason: string;
  excerpt: string;
  at: number | null;
}

export interface QuarantinePage {
  rows: QuarantineRow[];
  total: number;
  page: number;
  pageSize: number;
  reasons: Array<{ reason: string; count: number }>;
}

export interface StatusCounts {
  ok: number;
  invalid: number;
  rejected: number;
  error: number;
}

export interface OverviewResult {
  /** The period actually covered (the requested one, closed by the data's bounds). */
  range: { from: number; to: number } | null;
  bounds: { from: number; to: number } | null;
  bucketMs: number;
  totals: StatusCounts & {
    requests: number;
    approvalRate: number | null;
    errorRate: number | null;
    fallbackRate: number | null;
  };
  series: Array<StatusCounts & { t: number }>;
  latency: { p50: number | null; p95: number | null; p99: number | null };
  latencySeries: Array<{ t: number; p50: number | null; p95: number | null; p99: number | null }>;
  probability: { edges: number[]; current: number[]; reference: number[] | null };
  /** Requests per model version that answered; `aliases`: the registry's aliases pointing at it now. */
  modelVersions: Array<{
    model: string;
    version: string;
    aliases: string[];
    /** The version is not in the models folder's registry. */
    unregistered: boolean;
    count: number;
    firstSeen: number;
    lastSeen: number;
  }>;
  /** Requests no model answered (refused before scoring: invalid, unauthenticated, rate-limited, failed). */
  requestsWithoutModel: number;
}

export interface DriftFieldRow {
  field: string;
  kind: 'number' | 'category' | 'prediction';
  method: DriftMethod;
  statistic: number | null;
  pValue: number | null;
  threshold: number;
  /** The field's verdict, made by `decidedBy` under the result's `rule`; provisional while `pending`. */
  drifted: boolean;
  /** The methods whose results made the verdict: the one test of the auto rule, or every method that voted. */
  decidedBy: DriftMethod[];
  /** Some of the field's methods (KS, Wasserstein) are still being computed: the verdict may change. */
  pending: boolean;
  /** The primary method's statistic per window over the period, oldest first (for the sparkline). */
  trend: Array<number | null>;
  /** Every method that ran on the field (so far, while `pending`). */
  methods: Array<{
    method: DriftMethod;
    statistic: number;
    pValue: number | null;
    threshold: number;
    drifted: boolean;
  }>;
}

export interface QualityRow {
  field: string;
  missingRate: number;
  referenceMissingRate: number | null;
  outOfRangeShare: number;
  unseenCategories: string[];
}

export interface DriftResult {
  range: { from: number; to: number } | null;
  reference: string;
  currentCount: number;
  /**
   * For KS and Wasserstein, which need raw values: 1 when every record of the period was compared; N when one hour
   * in N was (periods above 100 000 records). PSI, chi-square, Jensen–Shannon and data quality always count every
   * record (from hourly sketches).
   */
  sampleStep: number;
  /** Methods still being computed in the background (KS, Wasserstein); ask again with `wait` for the full answer. */
  pending: DriftMethod[];
  /** Why the pending methods could not be computed, when their analysis failed; null otherwise. */
  pendingError: string | null;
  /** Drifted input fields over compared input fields (the prediction is reported apart, in its own row). */
  driftShare: number;
  /** Input fields drifted and compared: the two numbers `driftShare` divides. */
  driftedFields: number;
  comparedFields: number;
  datasetDrift: boolean;
  /**
   * How verdicts are made: "auto" (one test per field by type and reference size, as Evidently) or a vote of every
   * method ("majority", "any", "all").
   */
  rule: 'auto' | 'majority' | 'any' | 'all';
  /** Which records were counted: drift on the scored ones, data quality on scored and invalid ones. */
  populations: { drift: { statuses: string[]; records: number }; quality: { statuses: string[]; records: number } };
  /** Prediction drift per `served_by` (champion, fallback, rules…), largest first; empty until the exact analysis. */
  predictionByServedBy: Array<{
    servedBy: string;
    records: number;
    drifted: boolean;
    decidedBy: DriftMethod[];
    methods: Array<{
      method: DriftMethod;
      statistic: number;
      pValue: number | null;
      threshold: number;
      drifted: boolean;
    }>;
  }>;
  /** Window of the trends: hour, day or week, by the period's length. */
  window: 'hour' | 'day' | 'week';
  fields: DriftFieldRow[];
  quality: QualityRow[];
}

export interface DriftFieldResult {
  field: string;
  kind: 'number' | 'category' | 'prediction';
  method: DriftMethod;
  threshold: number;
  /** Bin or category labels shared by both distributions. */
  labels: string[];
  reference: number[];
  current: number[];
  series: Array<{ t: number; statistic: number | null; drifted: boolean }>;
  /** The method's series is still being computed (KS, Wasserstein): ask again with `wait`. */
  pending: boolean;
}

export interface AnomalyFinding {
  id: string;
  metric: string;
  /** The metric in words ("Error rate", "Latency p99"). */
  label: string;
  from: number;
  to: number;
  severity: Severity;
  /** The value observed in the window, and its baseline (ms for latencies, a share for rates, requests for volume). */
  value: number;
  baseline: number;
  unit: 'ms' | 'share' | 'requests';
  explanation: string;
}

export interface AnomaliesResult {
  range: { from: number; to: number } | null;
  windowMs: number;
  findings: AnomalyFinding[];
  /** Findings of neighbouring windows grouped, newest first; severity from impact. */
  incidents: Array<{
    from: number;
    to: number;
    severity: Severity;
    summary: string;
    moved: Array<{ metric: string; label: string; value: number; baseline: number; severity: Severity }>;
    findingIds: string[];
  }>;
}

export interface ApiEndpoint {
  id: string;
  url: string;
  /** Minutes between automatic pulls; 0 = only on demand. */
  pullEveryMinutes: number;
  /** True when an admin key is stored (the key itself never leaves the backend). */
  hasKey: boolean;
}

/** An S3-compatible bucket of shipped log files (docs/operations.md, "Logs across replicas"). */
export interface ObjectStoreSource {
  id: string;
  /** `https://s3.example.com`: the service, without the bucket. */
  endpoint: string;
  bucket: string;
  /** Only keys starting with this are imported; '' for the whole bucket. */
  prefix: string;
  region: string;
  accessKeyId: string;
  /** True when a secret access key is stored (the secret itself never leaves the backend). */
  hasSecret: boolean;
}

export interface Settings {
  theme: 'system' | 'light' | 'dark';
  endpoints: ApiEndpoint[];
  objectStores: ObjectStoreSource[];
  driftMethods: { number: DriftMethod; category: DriftMethod };
}

export interface DemoSummary {
  scenarios: string[];
  inserted: number;
  range: { from: number; to: number } | null;
}

export interface ExportResult {
  path: string;
  bytes: number;
  format: ReportFormat;
}

export interface OperationStarted {
  operationId: string;
}

export interface ConsoleMethods extends ModelsProfilingMethods {
  importFiles: { input: { paths: string[] }; output: ImportSummary; streaming: true };
  importFromObjectStore: { input: { storeId: string }; output: ImportSummary; streaming: true };
  pullFromApi: {
    input: { url: string; key?: string; endpointId?: string };
    output: ImportSummary & { cursor: string | null };
    streaming: true;
  };
  listSources: {
    input: Record<string, never>;
    output: {
      sources: SourceRow[];
      bounds: { from: number; to: number } | null;
      records: number;
      /** The store open now (file name); `home`: the user's own store when a separate demo store is open instead. */
      store: { name: string; demo: boolean; home: string | null };
    };
    streaming: false;
  };
  /** Closes the separate demo store and reopens the user's own. */
  returnToStore: { input: Record<string, never>; output: { name: string }; streaming: false };
  listQuarantine: {
    input: { source?: string; reason?: string; page?: number };
    output: QuarantinePage;
    streaming: false;
  };
  overview: { input: { range?: TimeRange; bucket?: Bucket }; output: OverviewResult; streaming: false };
  drift: {
    input: {
      range?: TimeRange;
      reference?: TimeRange;
      methods?: { number?: DriftMethod; category?: DriftMethod };
      /** Answer only once every method has run (KS and Wasserstein included). */
      wait?: boolean;
    };
    output: DriftResult;
    streaming: false;
  };
  driftField: {
    input: { field: string; range?: TimeRange; reference?: TimeRange; wait?: boolean };
    output: DriftFieldResult;
    streaming: false;
  };
  anomalies: { input: { range?: TimeRange }; output: AnomaliesResult; streaming: false };
  exportReport: {
    input: { range?: TimeRange; format: ReportFormat; path: string };
    output: ExportResult;
    streaming: true;
  };
  getSettings: { input: Record<string, never>; output: Settings; streaming: false };
  setSettings: {
    input: {
      theme?: Settings['theme'];
      driftMethods?: Settings['driftMethods'];
      endpoint?: { id?: string; url: string; key?: string; pullEveryMinutes?: number };
      removeEndpoint?: string;
      objectStore?: {
        id?: string;
        endpoint: string;
        bucket: string;
        prefix?: string;
        region?: string;
        accessKeyId: string;
        secretAccessKey?: string;
      };
      removeObjectStore?: string;
    };
    output: Settings;
    streaming: false;
  };
  loadDemoData: { input: { days?: number }; output: DemoSummary; streaming: true };
  cancel: { input: { operationId: string }; output: { cancelled: boolean }; streaming: false };
  whatIfSetup: { input: Record<string, never>; output: W.WhatIfSetup; streaming: false };
  whatIfScore: { input: { applicant: W.WhatIfApplicant }; output: W.WhatIfScoreResult; streaming: false };
  whatIfSensitivity: {
    input: { applicant: W.WhatIfApplicant; field: string; points?: number };
    output: W.WhatIfCurve;
    streaming: false;
  };
  whatIfFlips: {
    input: { applicant: W.WhatIfApplicant; role?: W.WhatIfRole };
    output: W.WhatIfFlips;
    streaming: false;
  };
  whatIfReasons: {
    input: { applicant: W.WhatIfApplicant; role?: W.WhatIfRole; evaluations?: number; seed?: number };
    output: W.WhatIfReasons;
    streaming: false;
  };
  findRequest: { input: { requestId: string }; output: W.StoredRequestResult; streaming: false };
  listRequests: {
    input: { range?: TimeRange; search?: string; page?: number };
    output: W.RequestPage;
    streaming: false;
  };
  listScenarios: { input: Record<string, never>; output: { scenarios: W.WhatIfScenario[] }; streaming: false };
  saveScenario: {
    input: { name: string; applicant: W.WhatIfApplicant; origin?: string; note?: string };
    output: { scenarios: W.WhatIfScenario[] };
    streaming: false;
  };
  deleteScenario: { input: { name: string }; output: { scenarios: W.WhatIfScenario[] }; streaming: false };
  batchScore: {
    input: { path?: string; name?: string; range?: TimeRange; model?: W.WhatIfRole; format?: 'csv' | 'jsonl' };
    output: W.BatchScoreResult;
    streaming: true;
  };
  challengerCandidates: { input: Record<string, never>; output: ChallengerCandidates; streaming: false };
  challengerReplay: {
    /** `candidate`: a model reference, or `shadow` (the shadow answers in the logs); `baseline`: `logged` or a model. */
    input: { range?: TimeRange; candidate: string; baseline?: string };
    output: ChallengerResult;
    streaming: true;
  };
  performance: {
    input: { range?: TimeRange; window?: 'hour' | 'day' | 'week' };
    output: PerformanceResult;
    streaming: false;
  };
  importOutcomes: {
    input: { path: string; key?: 'request_id' | 'SK_ID_CURR'; hashKeyFile?: string };
    output: OutcomeImportResult;
    streaming: true;
  };
  acknowledgeAlert: { input: { id: number }; output: { acknowledged: boolean }; streaming: false };
}

/** The Models and Profiling pages' methods (console-api/models-profiling.ts). */
export interface ModelsProfilingMethods {
  listModels: { input: Record<string, never>; output: ModelsResult; streaming: false };
  changeAlias: { input: AliasChangeInput; output: AliasHistoryView; streaming: false };
  listProviders: {
    input: Record<string, never>;
    output: { providers: ProviderInfo[]; machine: MachineInfo };
    streaming: false;
  };
  runProfile: { input: ProfileRunInput; output: SavedProfileRun; streaming: true };
  listProfileRuns: { input: Record<string, never>; output: { runs: SavedProfileRun[] }; streaming: false };
  getProfileRun: { input: { id: string }; output: ProfileRunView; streaming: false };
  exportProfileReport: {
    input: { id: string; format: ReportFormat };
    output: { fileName: string; content: string; format: ReportFormat };
    streaming: false;
  };
  apiSplit: {
    input: { range?: TimeRange; prices?: Prices };
    output: { hours: ApiSplitHour[]; cost: PeriodCost };
    streaming: false;
  };
}

export type MethodName = keyof ConsoleMethods;
export type MethodInput<M extends MethodName> = ConsoleMethods[M]['input'];
export type MethodOutput<M extends MethodName> = ConsoleMethods[M]['output'];

/** Progress of a long operation, streamed while it runs. */
export interface ProgressEvent {
  type: 'progress';
  operationId: string;
  method: MethodName;
  /** Share done in [0, 1], or null when unknown. */
  fraction: number | null;
  message: string;
  /** Counters so far (records, bytes, files…). */
  counts?: Record<string, number>;
}

export interface OperationEndEvent {
  type: 'end';
  operationId: string;
  method: MethodName;
  ok: boolean;
  message: string;
}

/** The store changed (an import or demo load finished): pages reload their data. */
export interface DataChangedEvent {
  type: 'data-changed';
}

export type ConsoleEvent = ProgressEvent | OperationEndEvent | DataChangedEvent;

export interface WireError {
  code: string;
  message: string;
  issues?: Array<{ path: string; code: string; message: string }>;
}

export type CallResult<T> = { ok: true; value: T } | { ok: false; error: WireError };

/** Every method name, for allow-lists on both transports. */
export const METHOD_NAMES = [
  'importFiles',
  'pullFromApi',
  'importFromObjectStore',
  'listSources',
  'returnToStore',
  'listQuarantine',
  'overview',
  'drift',
  'driftField',
  'anomalies',
  'exportReport',
  'getSettings',
  'setSettings',
  'loadDemoData',
  'cancel',
  'whatIfSetup',
  'whatIfScore',
  'whatIfSensitivity',
  'whatIfFlips',
  'whatIfReasons',
  'findRequest',
  'listRequests',
  'listScenarios',
  'saveScenario',
  'deleteScenario',
  'batchScore',
  'listModels',
  'changeAlias',
  'listProviders',
  'runProfile',
  'listProfileRuns',
  'getProfileRun',
  'exportProfileReport',
  'apiSplit',
  'challengerCandidates',
  'challengerReplay',
  'performance',
  'importOutcomes',
  'acknowledgeAlert',
] as const satisfies readonly MethodName[];

export type * from './what-if-types.ts';
