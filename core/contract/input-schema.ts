/**
 * Compiles a model package's `input_schema.json` (JSON Schema draft 2020-12, CONTRACT.md section 1) into a validator.
 *
 * The schema is the single definition of a valid applicant. Only the keywords the training pipeline writes are
 * supported; anything else is refused when the schema is compiled, so a validator can never silently ignore a rule.
 */

import { isPlainObject } from './plain-object.ts';

export type FieldKind = 'number' | 'integer' | 'category';

export interface FieldBounds {
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  /** A value allowed in addition to the bounds (e.g. DAYS_EMPLOYED = 365243, "not employed"). */
  alsoAllowed?: number[];
}

export interface FieldSpec extends FieldBounds {
  name: string;
  kind: FieldKind;
  required: boolean;
  /** `null` (or absence, when not required) means "missing". */
  nullable: boolean;
  /** Allowed categories, in schema order (categories only). */
  categories?: string[];
  description?: string;
}

export type IssueCode =
  | 'not_object'
  | 'forbidden_key'
  | 'unknown_field'
  | 'required'
  | 'null_not_allowed'
  | 'wrong_type'
  | 'not_finite'
  | 'not_integer'
  | 'too_small'
  | 'too_large'
  | 'unknown_category';

export interface ValidationIssue {
  /** The field name, or "" for the applicant itself. */
  path: string;
  code: IssueCode;
  message: string;
}

/** A valid applicant: field name to number, string or null. */
export type Applicant = Record<string, number | string | null>;

/**
 * Makes every validated applicant with one object literal, so all of them share one fast shape. Adding the fields one
 * by one under computed names turns an object of more than a dozen fields into a hash table in V8, and the engine's
 * packer then pays a hash lookup per field per row (docs/performance-engine.md). Names enter the source only as JSON
 * string literals; a name that an object literal would treat specially keeps the one-by-one path.
 */
function applicantBuilder(names: readonly string[]): (values: Array<number | string | null>) => Applicant {
  const oneByOne = (values: Array<number | string | null>): Applicant => {
    const value: Applicant = {};
    names.forEach((name, i) => (value[name] = values[i]!));
    return value;
  };
  if (names.some((name) => FORBIDDEN_KEYS.has(name))) return oneByOne;
  const properties = names.map((name, i) => `${JSON.stringify(name)}: values[${i}]`).join(', ');
  try {
    return new Function('values', `return { ${properties} };`) as (values: Array<number | string | null>) => Applicant;
  } catch {
    // A page whose Content Security Policy forbids compiling code (the console's renderer): same result, slower shape.
    return oneByOne;
  }
}

export type ValidationResult = { ok: true; value: Applicant } | { ok: false; issues: ValidationIssue[] };

export interface InputSchema {
  /** Fields in schema order (the Kaggle column order). */
  readonly fields: readonly FieldSpec[];
  readonly fieldsByName: ReadonlyMap<string, FieldSpec>;
  /** The schema document as it was read. */
  readonly document: unknown;
  validate(input: unknown): ValidationResult;
}

export class SchemaError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SchemaError';
  }
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const ROOT_KEYWORDS = new Set([
  '$schema',
  '$id',
  'title',
  'description',
  'type',
  'properties',
  'required',
  'additionalProperties',
]);
const FIELD_KEYWORDS = new Set([
  'type',
  'enum',
  'description',
  'title',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'anyOf',
  'examples',
]);

function numberKeyword(spec: Record<string, unknown>, key: string, where: string): number | undefined {
  const value = spec[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new SchemaError(`${where}: "${key}" must be a number`);
  return value;
}

function compileField(name: string, raw: unknown, required: boolean): FieldSpec {
  const where = `properties.${name}`;
  if (!isPlainObject(raw)) throw new SchemaError(`${where} must be an object`);
  for (const key of Object.keys(raw)) {
    if (!FIELD_KEYWORDS.has(key)) throw new SchemaError(`${where}: unsupported keyword "${key}"`);
  }
  const types = Array.isArray(raw.type) ? raw.type : [raw.type];
  const nullable = types.includes('null');
  const base = types.filter((t) => t !== 'null');
  if (base.length !== 1 || !['number', 'integer', 'string'].includes(base[0] as string)) {
    throw new SchemaError(`${where}: "type" must be one of number, integer, string (optionally with null)`);
  }
  const field: FieldSpec = {
    name,
    kind: base[0] === 'string' ? 'category' : (base[0] as 'number' | 'integer'),
    required,
    nullable,
  };
  if (typeof raw.description === 'string') field.description = raw.description;
  if (field.kind === 'category') {
    if (!Array.isArray(raw.enum)) throw new SchemaError(`${where}: a string field needs an "enum" of categories`);
    field.categories = raw.enum.filter((v): v is string => typeof v === 'string');
    return field;
  }
  field.minimum = numberKeyword(raw, 'minimum', where);
  field.maximum = numberKeyword(raw, 'maximum', where);
  field.exclusiveMinimum = numberKeyword(raw, 'exclusiveMinimum', where);
  field.exclusiveMaximum = numberKeyword(raw, 'exclusiveMaximum', where);
  if (raw.anyOf !== undefined) {
    // Supported shape: anyOf: [{ bounds… }, { const: value }, …] — bounds merged, consts allowed besides them.
    if (!Array.isArray(raw.anyOf)) throw new SchemaError(`${where}: "anyOf" must be an array`);
    for (const branch of raw.anyOf) {
      if (!isPlainObject(branch)) throw new SchemaError(`${where}: "anyOf" branches must be objects`);
      if ('const' in branch) {
        if (typeof branch.const !== 'number') throw new SchemaError(`${where}: "anyOf" const must be a number`);
        (field.alsoAllowed ??= []).push(branch.const);
        continue;
      }
      for (const key of Object.keys(branch)) {
        if (!['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum'].includes(key)) {
          throw new SchemaError(`${where}: unsupported keyword "${key}" in "anyOf"`);
        }
        (field as unknown as Record<string, number | undefined>)[key] = numberKeyword(branch, key, where);
      }
    }
  }
  for (const key of ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum'] as const) {
    if (field[key] === undefined) delete field[key];
  }
  return field;
}

function describeBounds(field: FieldSpec): string {
  const parts: string[] = [];
  if (field.minimum !== undefined) parts.push(`>= ${field.minimum}`);
  if (field.exclusiveMinimum !== undefined) parts.push(`> ${field.exclusiveMinimum}`);
  if (field.maximum !== undefined) parts.push(`<= ${field.maximum}`);
  if (field.exclusiveMaximum !== undefined) parts.push(`< ${field.exclusiveMaximum}`);
  const range = parts.join(' and ');
  const extra = field.alsoAllowed?.length ? ` (or exactly ${field.alsoAllowed.join(', ')})` : '';
  return range + extra;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string')
    return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `${typeof value} ${String(value)}`;
}

function checkField(field: FieldSpec, value: unknown, issues: ValidationIssue[]): void {
  const path = field.name;
  if (value === null) {
    if (!field.nullable)
      issues.push({ path, code: 'null_not_allowed', message: `${path} is required and cannot be null` });
    return;
  }
  if (field.kind === 'category') {
    if (typeof value !== 'string') {
      issues.push({ path, code: 'wrong_type', message: `${path} must be a string, got ${describeValue(value)}` });
    } else if (!field.categories!.includes(value)) {
      issues.push({
        path,
        code: 'unknown_category',
        message: `${path} must be one of ${field.categories!.map((c) => JSON.stringify(c)).join(', ')}; got ${JSON.stringify(value)}`,
      });
    }
    return;
  }
  if (typeof value !== 'number') {
    issues.push({ path, code: 'wrong_type', message: `${path} must be a number, got ${describeValue(value)}` });
    return;
  }
  if (!Number.isFinite(value)) {
    issues.push({ path, code: 'not_finite', message: `${path} must be a finite number, got ${value}` });
    return;
  }
  if (field.kind === 'integer' && !Number.isInteger(value)) {
    issues.push({ path, code: 'not_integer', message: `${path} must be an integer, got ${value}` });
    return;
  }
  if (field.alsoAllowed?.includes(value)) return;
  const low =
    (field.minimum !== undefined && value < field.minimum) ||
    (field.exclusiveMinimum !== undefined && value <= field.exclusiveMinimum);
  const high =
    (field.maximum !== undefined && value > field.maximum) ||
    (field.exclusiveMaximum !== undefined && value >= field.exclusiveMaximum);
  if (low || high) {
    issues.push({
      path,
      code: low ? 'too_small' : 'too_large',
      message: `${path} must be ${describeBounds(field)}, got ${value}`,
    });
  }
}

/** Compiles a parsed `input_schema.json`; throws SchemaError naming the offending keyword. */
export function compileInputSchema(document: unknown): InputSchema {
  if (!isPlainObject(document)) throw new SchemaError('the input schema must be a JSON object');
  for (const key of Object.keys(document)) {
    if (!ROOT_KEYWORDS.has(key)) throw new SchemaError(`unsupported top-level keyword "${key}"`);
  }
  if (document.type !== 'object') throw new SchemaError('the input schema must have "type": "object"');
  if (document.additionalProperties !== false) {
    throw new SchemaError('the input schema must set "additionalProperties": false (unknown fields are rejected)');
  }
  if (!isPlainObject(document.properties)) throw new SchemaError('the input schema needs "properties"');
  const required = new Set(Array.isArray(document.required) ? (document.required as unknown[]) : []);
  const fields = Object.entries(document.properties).map(([name, spec]) =>
    compileField(name, spec, required.has(name)),
  );
  for (const name of required) {
    if (typeof name !== 'string' || !fields.some((f) => f.name === name)) {
      throw new SchemaError(`"required" names ${String(name)}, which is not a property`);
    }
  }
  const fieldsByName = new Map(fields.map((f) => [f.name, f]));
  Object.freeze(fields);
  const build = applicantBuilder(fields.map((f) => f.name));

  function validate(input: unknown): ValidationResult {
    if (!isPlainObject(input)) {
      return {
        ok: false,
        issues: [
          { path: '', code: 'not_object', message: `an applicant must be a JSON object, got ${describeValue(input)}` },
        ],
      };
    }
    const issues: ValidationIssue[] = [];
    // Own keys only, including ones JSON.parse creates literally ("__proto__"), which `in` and `for…in` would miss.
    for (const key of Reflect.ownKeys(input)) {
      if (typeof key !== 'string') continue;
      if (FORBIDDEN_KEYS.has(key)) {
        issues.push({ path: key, code: 'forbidden_key', message: `the key "${key}" is not allowed` });
      } else if (!fieldsByName.has(key)) {
        issues.push({ path: key, code: 'unknown_field', message: `unknown field "${key.slice(0, 64)}"` });
      }
    }
    const values = new Array<number | string | null>(fields.length);
    for (let i = 0; i < fields.length; i += 1) {
      const field = fields[i]!;
      const present = Object.prototype.hasOwnProperty.call(input, field.name);
      const raw = present ? input[field.name] : undefined;
      values[i] = null;
      if (raw === undefined) {
        if (field.required) issues.push({ path: field.name, code: 'required', message: `${field.name} is required` });
        continue;
      }
      const before = issues.length;
      checkField(field, raw, issues);
      if (issues.length === before) values[i] = raw as number | string | null;
    }
    if (issues.length > 0) return { ok: false, issues };
    return { ok: true, value: build(values) };
  }

  return { fields, fieldsByName, document, validate };
}
