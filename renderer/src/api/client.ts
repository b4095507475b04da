/**
 * The renderer's view of the console API: typed calls and a stream of events, over whichever transport the shell
 * provides (the preload bridge in the desktop app, HTTP in a browser). Pages and stores only see ConsoleClient.
 */
import type {
  BatchScoreResult,
  ConsoleEvent,
  MethodInput,
  MethodName,
  MethodOutput,
  ReportFormat,
  TimeRange,
  WhatIfRole,
  WireError,
} from '../../../console-api/types.ts';

export class ApiError extends Error {
  readonly code: string;
  readonly issues: WireError['issues'];
  constructor(error: WireError) {
    super(error.message);
    this.name = 'ApiError';
    this.code = error.code;
    this.issues = error.issues;
  }
}

export interface ConsoleClient {
  readonly platform: 'desktop' | 'browser';
  call<M extends MethodName>(method: M, input: MethodInput<M>, operationId?: string): Promise<MethodOutput<M>>;
  onEvent(listener: (event: ConsoleEvent) => void): () => void;
  /** Imports files the user dropped or picked in the page (browser: streamed upload; desktop: their paths). */
  importDropped(files: File[], operationId: string): Promise<MethodOutput<'importFiles'>>;
  /** Desktop: native open dialog; null in a browser, where the page offers an upload input and a path field. */
  pickLogFiles: (() => Promise<string[]>) | null;
  /** Exports the drift report where the user chooses (desktop: save dialog; browser: a download). */
  saveReport(range: TimeRange, format: ReportFormat): Promise<{ saved: boolean; where: string }>;
  /** Batch-scores a file the user dropped or picked (browser: streamed upload; desktop: its path). */
  scoreDropped?(
    file: File,
    options: { model: WhatIfRole; format: 'csv' | 'jsonl' },
    operationId: string,
  ): Promise<BatchScoreResult>;
  /** Hands the user a scored file (browser: a download; desktop: where it is on disk). */
  saveScored?(download: BatchScoreResult['download']): Promise<{ where: string }>;
}

let counter = 0;
export function newOperationId(prefix: string): string {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${counter}-${Math.random().toString(36).slice(2, 8)}`;
}
