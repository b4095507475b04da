/**
 * The API's error catalogue: every error body the service sends has one of these codes, its HTTP status and a
 * message. Codes are stable and never reused. A test keeps this table, the OpenAPI document and README's table in sync.
 */

export interface CatalogueEntry {
  status: number;
  /** Message template; `{name}` placeholders are filled from the error's params. */
  message: string;
}

export const ERROR_CATALOGUE = {
  BAD_REQUEST: { status: 400, message: 'the request is malformed: {detail}' },
  MALFORMED_JSON: { status: 400, message: 'the body is not valid JSON: {detail}' },
  VALIDATION_FAILED: { status: 400, message: 'the applicant is not valid: {count} issue(s), see issues' },
  BATCH_INVALID: { status: 400, message: 'the batch body must be {"applicants": [...]} with 1 to {max} applicants' },
  INVALID_REQUEST_ID: {
    status: 400,
    message: 'X-Request-Id must be 1-100 characters of letters, digits, ".", "_", ":" or "-"',
  },
  INVALID_QUERY: { status: 400, message: 'invalid query parameter {name}: {detail}' },
  INVALID_CURSOR: { status: 400, message: 'invalid cursor: {detail}' },
  INVALID_FILE_NAME: { status: 400, message: 'not a log file name of this service: {name}' },
  UNAUTHENTICATED: { status: 401, message: 'send a valid API key as "Authorization: Bearer <key>"' },
  FORBIDDEN: { status: 403, message: 'this route needs an admin key' },
  NOT_FOUND: { status: 404, message: 'no such resource: {what}' },
  FILE_STILL_OPEN: { status: 409, message: '{name} is still being written; read it with GET /v1/logs' },
  BODY_TOO_LARGE: { status: 413, message: 'the body is larger than the {limit}-byte limit of this route' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'send the body as application/json' },
  RATE_LIMITED: { status: 429, message: 'rate limit of {max} requests per {window} exceeded; retry after {after}' },
  INTERNAL_ERROR: { status: 500, message: 'internal error; quote the request id when reporting it' },
  MODEL_NOT_READY: { status: 503, message: 'the scoring model is not ready: {reason}' },
  OVERLOADED: { status: 503, message: 'the scoring queue is full; retry after {retryAfter} s' },
  SHUTTING_DOWN: { status: 503, message: 'the service is shutting down; retry on another replica' },
} as const satisfies Record<string, CatalogueEntry>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;
export const ERROR_CODES = Object.keys(ERROR_CATALOGUE) as ErrorCode[];

export interface ApiIssue {
  path: string;
  code: string;
  message: string;
}

/** An error the API answers with a catalogue code; anything else thrown becomes INTERNAL_ERROR. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly statusCode: number;
  readonly issues: ApiIssue[] | undefined;
  readonly headers: Record<string, string>;

  constructor(
    code: ErrorCode,
    params: Record<string, string | number> = {},
    extra: { issues?: ApiIssue[]; headers?: Record<string, string> } = {},
  ) {
    const entry: CatalogueEntry = ERROR_CATALOGUE[code];
    super(
      entry.message.replace(/\{(\w+)\}/g, (match, name: string) => (name in params ? String(params[name]) : match)),
    );
    this.name = 'ApiError';
    this.code = code;
    this.statusCode = entry.status;
    this.issues = extra.issues;
    this.headers = extra.headers ?? {};
  }
}

/** The JSON error body every error response carries. */
export interface ErrorBody {
  code: ErrorCode;
  message: string;
  request_id: string;
  issues?: ApiIssue[];
}
