/**
 * The what-if form, generated from the model package's input schema (ARCHITECTURE.md: one contract): one control per
 * field, grouped, with its allowed range and unit hint; the values are checked by the schema's own validator, so
 * the form marks exactly what the API would refuse, in the validator's words.
 */
import {
  compileInputSchema,
  type Applicant,
  type FieldSpec,
  type InputSchema,
} from '../../../core/contract/input-schema.ts';

export type Control = 'number' | 'select';

export interface FormField {
  name: string;
  group: string;
  control: Control;
  kind: FieldSpec['kind'];
  required: boolean;
  nullable: boolean;
  /** Select options (categories), in schema order; "" stands for missing when the field is nullable. */
  options: string[];
  /** Bounds for the number input (inclusive where the schema is exclusive, rounded in by one step). */
  min?: number;
  max?: number;
  step: number | 'any';
  /** The allowed range in words, e.g. "≥ 0 and ≤ 20" or "≤ 0, or exactly 365243". */
  range: string;
  /** Values allowed besides the range (DAYS_EMPLOYED = 365243, "not employed"). */
  special: number[];
  /** The field counts days back from the application (DAYS_*): the raw value is shown with years beside it. */
  days: boolean;
  description: string;
}

export interface FormGroup {
  title: string;
  fields: FormField[];
}

/** Field groups in the order an analyst reads an application; a field no rule places goes to "Other". */
const GROUPS: Array<{ title: string; match: (name: string) => boolean }> = [
  {
    title: 'Applicant',
    match: (n) =>
      /^(SK_ID_CURR|CODE_GENDER|DAYS_BIRTH|CNT_CHILDREN|CNT_FAM_MEMBERS|NAME_FAMILY_STATUS|NAME_EDUCATION_TYPE)$/.test(
        n,
      ),
  },
  {
    title: 'Income and credit',
    match: (n) => n.startsWith('AMT_') || /^(NAME_CONTRACT_TYPE|NAME_INCOME_TYPE)$/.test(n),
  },
  { title: 'Employment', match: (n) => /^(DAYS_EMPLOYED|OCCUPATION_TYPE)$/.test(n) },
  { title: 'External scores', match: (n) => n.startsWith('EXT_SOURCE_') },
  {
    title: 'Housing and region',
    match: (n) => n.startsWith('REGION_') || /^(FLAG_OWN_REALTY|NAME_HOUSING_TYPE)$/.test(n),
  },
  {
    title: 'Assets and documents',
    match: (n) => /^(FLAG_OWN_CAR|OWN_CAR_AGE)$/.test(n) || n.startsWith('DAYS_'),
  },
];

function describeRange(field: FieldSpec): string {
  const parts: string[] = [];
  if (field.minimum !== undefined) parts.push(`≥ ${field.minimum}`);
  if (field.exclusiveMinimum !== undefined) parts.push(`> ${field.exclusiveMinimum}`);
  if (field.maximum !== undefined) parts.push(`≤ ${field.maximum}`);
  if (field.exclusiveMaximum !== undefined) parts.push(`< ${field.exclusiveMaximum}`);
  const range = parts.length > 0 ? parts.join(' and ') : 'any number';
  return field.alsoAllowed?.length ? `${range}, or exactly ${field.alsoAllowed.join(', ')}` : range;
}

function formField(field: FieldSpec): FormField {
  const group = GROUPS.find((g) => g.match(field.name))?.title ?? 'Other';
  const base = {
    name: field.name,
    group,
    kind: field.kind,
    required: field.required,
    nullable: field.nullable,
    description: field.description ?? '',
    days: field.name.startsWith('DAYS_'),
    special: field.alsoAllowed ?? [],
  };
  if (field.kind === 'category') {
    return { ...base, control: 'select', options: [...field.categories!], step: 'any', range: 'one of the list' };
  }
  const step = field.kind === 'integer' ? 1 : 'any';
  // The number input's own bounds only apply when no special value lies outside them.
  const special = field.alsoAllowed ?? [];
  let min =
    field.minimum ?? (field.exclusiveMinimum !== undefined && step === 1 ? field.exclusiveMinimum + 1 : undefined);
  let max =
    field.maximum ?? (field.exclusiveMaximum !== undefined && step === 1 ? field.exclusiveMaximum - 1 : undefined);
  if (special.some((v) => (min !== undefined && v < min) || (max !== undefined && v > max))) {
    min = undefined;
    max = undefined;
  }
  return {
    ...base,
    control: 'number',
    options: [],
    step,
    range: describeRange(field),
    ...(min !== undefined ? { min } : {}),
    ...(max !== undefined ? { max } : {}),
  };
}

/** The form of a schema document (`input_schema.json` as the backend sends it). */
export function buildForm(document: unknown): { schema: InputSchema; groups: FormGroup[]; fields: FormField[] } {
  const schema = compileInputSchema(document);
  const fields = schema.fields.map(formField);
  const groups = [...GROUPS.map((g) => g.title), 'Other']
    .map((title) => ({ title, fields: fields.filter((f) => f.group === title) }))
    .filter((g) => g.fields.length > 0);
  return { schema, groups, fields };
}

/** What the inputs hold: the text typed (numbers) or the option picked (selects); "" is missing. */
export type FormValues = Record<string, string>;

export function valuesOf(applicant: Applicant, fields: readonly FormField[]): FormValues {
  const values: FormValues = {};
  for (const field of fields) {
    const value = applicant[field.name];
    values[field.name] = value === null || value === undefined ? '' : String(value);
  }
  return values;
}

export interface CheckedForm {
  /** The applicant to send, or null while any field is invalid. */
  applicant: Applicant | null;
  /** The validator's message per field. */
  errors: Record<string, string>;
}

/**
 * Reads the inputs into an applicant and runs the schema's validator on it. Text that is not a number is passed
 * as the string it is, so the validator itself says the field must be a number.
 */
export function checkForm(schema: InputSchema, fields: readonly FormField[], values: FormValues): CheckedForm {
  const raw: Record<string, unknown> = {};
  for (const field of fields) {
    const text = (values[field.name] ?? '').trim();
    if (text === '') {
      raw[field.name] = null;
      continue;
    }
    if (field.control === 'select') {
      raw[field.name] = text;
      continue;
    }
    const number = Number(text);
    raw[field.name] = Number.isFinite(number) ? number : text;
  }
  for (const field of fields) {
    if (raw[field.name] === null && field.required && !field.nullable) delete raw[field.name];
  }
  const checked = schema.validate(raw);
  if (checked.ok) return { applicant: checked.value, errors: {} };
  const errors: Record<string, string> = {};
  for (const issue of checked.issues) errors[issue.path] ??= issue.message;
  return { applicant: null, errors };
}

/** "−12 345 days (33.8 years)" — DAYS_* values are counted back from the application day. */
export function daysHint(value: string): string | null {
  const days = Number(value);
  if (value.trim() === '' || !Number.isFinite(days)) return null;
  if (days === 365243) return 'code for "not employed"';
  const years = Math.abs(days) / 365.25;
  return `${Math.abs(days).toLocaleString('en-GB')} days ${days <= 0 ? 'before' : 'after'} the application (${years.toFixed(1)} years)`;
}
