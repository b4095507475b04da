/**
 * Input schemas of the What-if and Batch scoring methods. The applicant itself is only checked for shape here
 * (an object of numbers, strings and nulls); the backend validates it with the champion's own input schema.
 */
import { number, object, oneOf, optional, refine, string, type InputIssue, type Parser } from './schema.ts';
import type { MethodInput } from './types.ts';
import type { WhatIfApplicant } from './what-if-types.ts';

const MAX_FIELDS = 256;

type WhatIfMethod =
  | 'whatIfSetup'
  | 'whatIfScore'
  | 'whatIfSensitivity'
  | 'whatIfFlips'
  | 'whatIfReasons'
  | 'findRequest'
  | 'listRequests'
  | 'listScenarios'
  | 'saveScenario'
  | 'deleteScenario'
  | 'batchScore';

export const applicantShape: Parser<WhatIfApplicant> = (raw, path = '') => {
  const where = path || 'applicant';
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, issues: [{ path, code: 'wrong_type', message: `${where} must be an object` }] };
  }
  const entries = Object.entries(raw as Record<string, unknown>);
  if (entries.length > MAX_FIELDS) {
    return { ok: false, issues: [{ path, code: 'too_large', message: `${where} has more than ${MAX_FIELDS} fields` }] };
  }
  const issues: InputIssue[] = [];
  const value: WhatIfApplicant = {};
  for (const [key, item] of entries) {
    if (key.length > 128) {
      issues.push({ path, code: 'not_allowed', message: `${where} has a field name over 128 characters` });
    } else if (item === null || typeof item === 'string' || (typeof item === 'number' && Number.isFinite(item))) {
      if (typeof item === 'string' && item.length > 256) {
        issues.push({ path: `${path}.${key}`, code: 'too_large', message: `${key} is longer than 256 characters` });
      } else Object.defineProperty(value, key, { value: item, enumerable: true, writable: true, configurable: true });
    } else {
      issues.push({ path: `${path}.${key}`, code: 'wrong_type', message: `${key} must be a number, a string or null` });
    }
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value };
};

const role = oneOf(['champion', 'challenger', 'fallback']);
const time = number({ min: 0, max: 8.64e15, integer: true });
const range = refine(object({ from: optional(time), to: optional(time) }), (r) =>
  r.from !== undefined && r.to !== undefined && r.from >= r.to
    ? { path: 'range', code: 'not_allowed', message: 'range.from must be before range.to' }
    : null,
);
const field = string({ min: 1, max: 128 });
const scenarioName = string({ min: 1, max: 80, pattern: /^[^\p{Cc}]+$/u });

export const WHAT_IF_INPUTS = {
  whatIfSetup: object({}) as Parser<Record<string, never>>,
  whatIfScore: object({ applicant: applicantShape }),
  whatIfSensitivity: object({
    applicant: applicantShape,
    field,
    points: optional(number({ min: 2, max: 1000, integer: true })),
  }),
  whatIfFlips: object({ applicant: applicantShape, role: optional(role) }),
  whatIfReasons: object({
    applicant: applicantShape,
    role: optional(role),
    evaluations: optional(number({ min: 100, max: 100_000, integer: true })),
    seed: optional(number({ min: 0, max: 2 ** 31, integer: true })),
  }),
  findRequest: object({ requestId: string({ min: 1, max: 128 }) }),
  listRequests: object({
    range: optional(range),
    search: optional(string({ max: 128 })),
    page: optional(number({ min: 0, max: 1_000_000, integer: true })),
  }),
  listScenarios: object({}) as Parser<Record<string, never>>,
  saveScenario: object({
    name: scenarioName,
    applicant: applicantShape,
    origin: optional(string({ max: 200 })),
    note: optional(string({ max: 2000 })),
  }),
  deleteScenario: object({ name: scenarioName }),
  batchScore: refine(
    object({
      path: optional(string({ min: 1, max: 4096 })),
      name: optional(string({ min: 1, max: 200 })),
      range: optional(range),
      model: optional(role),
      format: optional(oneOf(['csv', 'jsonl'])),
    }),
    (input) =>
      (input.path === undefined) === (input.range === undefined)
        ? { path: 'path', code: 'required', message: 'give a file or a stored period to score, not both' }
        : null,
  ),
} satisfies { [M in WhatIfMethod]: Parser<MethodInput<M>> };
