/** How each model's probability moves when one field of an applicant moves over its grid, all else held. */
import type { Applicant } from '../contract/index.ts';
import { fieldGrid, type FieldValue } from './field-grid.ts';
import type { ModelRole, ModelSet } from './model-set.ts';

export interface SensitivitySeries {
  role: ModelRole;
  name: string;
  version: string;
  threshold: number;
  probabilities: number[];
}

export interface SensitivityCurve {
  field: string;
  kind: 'number' | 'integer' | 'category';
  points: FieldValue[];
  current: FieldValue;
  series: SensitivitySeries[];
  evaluations: number;
}

export interface SensitivityOptions {
  /** Grid size for number fields. @default 100 */
  points?: number;
  /** Models to trace. @default every model of the set */
  roles?: readonly ModelRole[];
  /** Present values of each number field of the reference sample, sorted (the grid's range). */
  sorted: ReadonlyMap<string, Float64Array>;
}

export class ExplainInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExplainInputError';
  }
}

/** Traces `field` for a validated applicant; throws ExplainInputError for a field the schema does not have. */
export async function sensitivity(
  models: ModelSet,
  applicant: Applicant,
  field: string,
  options: SensitivityOptions,
): Promise<SensitivityCurve> {
  const spec = models.schema.fieldsByName.get(field);
  if (!spec) throw new ExplainInputError(`the input schema has no field "${field.slice(0, 64)}"`);
  const points = fieldGrid(spec, options.sorted.get(field), options.points ?? 100, applicant[field] ?? null);
  const rows = points.map((value) => ({ ...applicant, [field]: value }));
  const roles = (options.roles ?? models.members.map((m) => m.role)).filter((role) => models.member(role));
  const series = await Promise.all(
    roles.map(async (role) => {
      const member = models.member(role)!;
      const probabilities = Array.from(await models.probabilities(role, rows));
      return { role, name: member.name, version: member.version, threshold: member.threshold, probabilities };
    }),
  );
  return {
    field,
    kind: spec.kind,
    points,
    current: applicant[field] ?? null,
    series,
    evaluations: rows.length * series.length,
  };
}
