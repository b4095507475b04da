/**
 * The console API's error catalogue: stable codes (never reused), the HTTP status the browser transport answers
 * with, and a plain-words message that says what to do. Both transports carry `{code, message, issues?}` as they are.
 */
import type { InputIssue } from './schema.ts';

export const CONSOLE_ERRORS = {
  INVALID_INPUT: { status: 400, message: 'The request to the console backend was not valid: {detail}.' },
  UNKNOWN_METHOD: { status: 404, message: 'The console has no method "{detail}".' },
  NOT_AUTHORIZED: {
    status: 401,
    message: 'This console session is not authorised. Open the URL printed by `vigie console`, token included.',
  },
  FORBIDDEN_ORIGIN: {
    status: 403,
    message: 'Requests from {detail} are refused: the console only answers its own page on this machine.',
  },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'The request body is too large ({detail}).' },
  STORE_EMPTY: {
    status: 409,
    message: 'There are no records in the store yet. Import log files, pull from an API or load the demo data.',
  },
  NO_DATA_IN_RANGE: { status: 409, message: 'No records fall in the selected period. Choose a wider time range.' },
  FILE_NOT_FOUND: { status: 404, message: 'Cannot read {detail}: the file or folder does not exist.' },
  IMPORT_REFUSED: {
    status: 400,
    message: 'Cannot import: {detail}. Choose .jsonl or .jsonl.gz log files, or folders that hold them.',
  },
  FILE_NOT_WRITABLE: { status: 400, message: 'Cannot write {detail}. Choose another folder.' },
  REFERENCE_UNAVAILABLE: {
    status: 409,
    message: 'No reference profile is available ({detail}). Install a champion model package or compare two periods.',
  },
  PULL_FAILED: { status: 502, message: 'Pulling logs from the API failed: {detail}. Check the URL and the admin key.' },
  OBJECT_STORE_FAILED: {
    status: 502,
    message: 'Importing from object storage failed: {detail}. Check the endpoint, bucket, prefix and keys in Sources.',
  },
  OPERATION_NOT_FOUND: { status: 404, message: 'No running operation has the id "{detail}" (it may have finished).' },
  OPERATION_CANCELLED: { status: 409, message: 'The operation was cancelled.' },
  BUSY: {
    status: 409,
    message: 'An operation of this kind ({detail}) is already running. Wait for it to finish or cancel it.',
  },
  BACKEND_UNAVAILABLE: {
    status: 503,
    message: 'The console backend stopped ({detail}). Restart the console; your data is safe in the store.',
  },
  INTERNAL: { status: 500, message: 'Something went wrong in the console backend: {detail}.' },
  APPLICANT_INVALID: {
    status: 400,
    message: 'The applicant is not valid: {detail}. Correct the marked fields and try again.',
  },
  REQUEST_NOT_FOUND: {
    status: 404,
    message: 'No stored request has the id "{detail}". Check the id, or import the logs that hold it.',
  },
  SCENARIO_NOT_FOUND: { status: 404, message: 'No saved scenario is named "{detail}". Pick one from the list.' },
  MODEL_UNAVAILABLE: {
    status: 409,
    message: 'The models cannot be loaded ({detail}). Check the models folder and its registry.json.',
  },
  SCORE_FILE_REFUSED: {
    status: 400,
    message: 'Cannot score this file: {detail}. Give a CSV, JSONL or .gz file of applicants with the schema columns.',
  },
} as const satisfies Record<string, { status: number; message: string }>;

export type ConsoleErrorCode = keyof typeof CONSOLE_ERRORS;

/** The wire form of an error, identical on IPC and HTTP. */
export interface ConsoleErrorBody {
  code: ConsoleErrorCode;
  message: string;
  issues?: InputIssue[];
}

export class ConsoleError extends Error {
  readonly code: ConsoleErrorCode;
  readonly issues: InputIssue[] | undefined;
  constructor(code: ConsoleErrorCode, detail = '', issues?: InputIssue[]) {
    super(CONSOLE_ERRORS[code].message.replace('{detail}', detail));
    this.name = 'ConsoleError';
    this.code = code;
    this.issues = issues;
  }

  get status(): number {
    return CONSOLE_ERRORS[this.code].status;
  }

  toBody(): ConsoleErrorBody {
    return this.issues
      ? { code: this.code, message: this.message, issues: this.issues }
      : { code: this.code, message: this.message };
  }
}

export function isConsoleErrorCode(value: unknown): value is ConsoleErrorCode {
  return typeof value === 'string' && Object.hasOwn(CONSOLE_ERRORS, value);
}

/** Any thrown value as a catalogue error; an unexpected one keeps its message as the detail, never a stack. */
export function toConsoleError(error: unknown): ConsoleError {
  if (error instanceof ConsoleError) return error;
  if (error instanceof Error && error.name === 'AbortError') return new ConsoleError('OPERATION_CANCELLED');
  const message = error instanceof Error ? error.message : String(error);
  return new ConsoleError('INTERNAL', message.split('\n')[0] ?? 'unknown error');
}

export function describeIssues(issues: InputIssue[]): string {
  return issues.map((issue) => issue.message).join('; ');
}
