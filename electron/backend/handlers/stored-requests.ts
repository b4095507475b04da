/** A stored production request as a What-if starting point: found by id, or picked from a period's records. */
import type { InputSchema } from '../../../core/contract/index.ts';
import { WhatIfTables, type StoredRequest } from '../../../db/what-if.ts';
import { ConsoleError } from '../../../console-api/errors.ts';
import type { MethodInput, MethodOutput, StoredRequestRow, WhatIfApplicant } from '../../../console-api/types.ts';
import type { Services } from '../services.ts';
import { explainerOf } from './what-if.ts';

const PAGE_SIZE = 50;
/** The API logs no SK_ID_CURR (it is pseudonymised); the models never read it, so any valid id stands in. */
const PLACEHOLDER_ID = 1;

function row(request: StoredRequest): StoredRequestRow {
  const { requestId, ts, probability, decision, modelVersion, servedBy } = request;
  return { requestId, ts, probability, decision, modelVersion, servedBy };
}

/** The schema's fields of a logged input; SK_ID_CURR, which the API does not log, gets a stand-in. */
export function loggedApplicant(
  schema: InputSchema,
  input: Record<string, unknown>,
): { applicant: WhatIfApplicant; notes: string[] } {
  const notes: string[] = [];
  const applicant: WhatIfApplicant = {};
  for (const field of schema.fields) {
    const value = input[field.name];
    applicant[field.name] = typeof value === 'number' || typeof value === 'string' ? value : null;
  }
  const unknown = Object.keys(input).filter((name) => !schema.fieldsByName.has(name));
  if (unknown.length > 0) notes.push(`Fields the schema does not have were left out: ${unknown.join(', ')}.`);
  if (applicant.SK_ID_CURR === null && schema.fieldsByName.has('SK_ID_CURR')) {
    applicant.SK_ID_CURR = PLACEHOLDER_ID;
    notes.push('SK_ID_CURR is not logged (pseudonymised); 1 stands in for it. The models do not read it.');
  }
  return { applicant, notes };
}

export async function findRequest(
  services: Services,
  input: MethodInput<'findRequest'>,
): Promise<MethodOutput<'findRequest'>> {
  const request = new WhatIfTables(services.store).findRequest(input.requestId.trim());
  if (!request) throw new ConsoleError('REQUEST_NOT_FOUND', input.requestId.slice(0, 128));
  const { schema } = (await explainerOf(services)).models;
  const { applicant, notes } = loggedApplicant(schema, request.input);
  const checked = schema.validate(applicant);
  if (!checked.ok) notes.push(`The logged input does not pass today's schema: ${checked.issues[0]!.message}.`);
  return { request: row(request), applicant: checked.ok ? checked.value : applicant, notes };
}

export function listRequests(services: Services, input: MethodInput<'listRequests'>): MethodOutput<'listRequests'> {
  const page = input.page ?? 0;
  const { rows, total } = new WhatIfTables(services.store).listRequests({
    from: input.range?.from,
    to: input.range?.to,
    search: input.search?.trim() || undefined,
    limit: PAGE_SIZE,
    offset: page * PAGE_SIZE,
  });
  return { rows: rows.map(row), total, page, pageSize: PAGE_SIZE };
}
