/**
 * A small input-schema toolkit for console API arguments (IPC messages and HTTP bodies are untrusted).
 * Each parser returns `{ok, value} | {ok:false, issues}` with a path and a code per issue, as Zod's `safeParse`.
 */

export interface InputIssue {
  /** Dotted path to the offending value, "" for the argument itself. */
  path: string;
  code: 'required' | 'wrong_type' | 'too_small' | 'too_large' | 'not_allowed' | 'unknown_key';
  message: string;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; issues: InputIssue[] };

export type Parser<T> = (raw: unknown, path?: string) => Parsed<T>;

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = (path: string, code: InputIssue['code'], message: string): Parsed<never> => ({
  ok: false,
  issues: [{ path, code, message }],
});
const where = (path: string): string => (path === '' ? 'the argument' : path);

export function string(options: { min?: number; max?: number; pattern?: RegExp } = {}): Parser<string> {
  const { min = 0, max = 4096, pattern } = options;
  return (raw, path = '') => {
    if (typeof raw !== 'string') return fail(path, 'wrong_type', `${where(path)} must be a string`);
    if (raw.length < min) return fail(path, 'too_small', `${where(path)} must have at least ${min} characters`);
    if (raw.length > max) return fail(path, 'too_large', `${where(path)} must have at most ${max} characters`);
    if (pattern && !pattern.test(raw)) return fail(path, 'not_allowed', `${where(path)} has an invalid format`);
    return ok(raw);
  };
}

export function number(options: { min?: number; max?: number; integer?: boolean } = {}): Parser<number> {
  const { min = -Number.MAX_VALUE, max = Number.MAX_VALUE, integer = false } = options;
  return (raw, path = '') => {
    if (typeof raw !== 'number' || !Number.isFinite(raw)) {
      return fail(path, 'wrong_type', `${where(path)} must be a finite number`);
    }
    if (integer && !Number.isInteger(raw)) return fail(path, 'wrong_type', `${where(path)} must be an integer`);
    if (raw < min) return fail(path, 'too_small', `${where(path)} must be at least ${min}`);
    if (raw > max) return fail(path, 'too_large', `${where(path)} must be at most ${max}`);
    return ok(raw);
  };
}

export function boolean(): Parser<boolean> {
  return (raw, path = '') =>
    typeof raw === 'boolean' ? ok(raw) : fail(path, 'wrong_type', `${where(path)} must be true or false`);
}

export function oneOf<const T extends string>(choices: readonly T[]): Parser<T> {
  return (raw, path = '') =>
    typeof raw === 'string' && (choices as readonly string[]).includes(raw)
      ? ok(raw as T)
      : fail(path, 'not_allowed', `${where(path)} must be one of ${choices.join(', ')}`);
}

export function array<T>(item: Parser<T>, options: { min?: number; max?: number } = {}): Parser<T[]> {
  const { min = 0, max = 10_000 } = options;
  return (raw, path = '') => {
    if (!Array.isArray(raw)) return fail(path, 'wrong_type', `${where(path)} must be a list`);
    if (raw.length < min) return fail(path, 'too_small', `${where(path)} must have at least ${min} item(s)`);
    if (raw.length > max) return fail(path, 'too_large', `${where(path)} must have at most ${max} items`);
    const value: T[] = [];
    const issues: InputIssue[] = [];
    raw.forEach((element, index) => {
      const parsed = item(element, `${path}[${index}]`);
      if (parsed.ok) value.push(parsed.value);
      else issues.push(...parsed.issues);
    });
    return issues.length > 0 ? { ok: false, issues } : ok(value);
  };
}

type Shape = Record<string, Parser<unknown>>;
type Optional<T> = Parser<T | undefined> & { optional: true };
type OptionalKeys<S extends Shape> = { [K in keyof S]: S[K] extends { optional: true } ? K : never }[keyof S];
type Infer<P> = P extends Parser<infer T> ? T : never;
export type ObjectOf<S extends Shape> = { [K in Exclude<keyof S, OptionalKeys<S>>]: Infer<S[K]> } & {
  [K in OptionalKeys<S>]?: Exclude<Infer<S[K]>, undefined>;
};

/** Absent or `null` reads as "not given". */
export function optional<T>(parser: Parser<T>): Optional<T> {
  const wrapped = ((raw: unknown, path = '') =>
    raw === undefined || raw === null ? ok(undefined) : parser(raw, path)) as Optional<T>;
  wrapped.optional = true;
  return wrapped;
}

/** A plain object with exactly these keys: unknown keys are refused so a typo never passes silently. */
export function object<S extends Shape>(shape: S): Parser<ObjectOf<S>> {
  return (raw, path = '') => {
    if (raw === undefined && Object.values(shape).every((p) => (p as { optional?: boolean }).optional)) raw = {};
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      return fail(path, 'wrong_type', `${where(path)} must be an object`);
    }
    const input = raw as Record<string, unknown>;
    const issues: InputIssue[] = [];
    const value: Record<string, unknown> = {};
    for (const key of Object.keys(input)) {
      if (!Object.hasOwn(shape, key)) {
        issues.push({ path: path ? `${path}.${key}` : key, code: 'unknown_key', message: `unknown key "${key}"` });
      }
    }
    for (const [key, parser] of Object.entries(shape)) {
      const keyPath = path ? `${path}.${key}` : key;
      const given = Object.hasOwn(input, key) ? input[key] : undefined;
      if (given === undefined && !(parser as { optional?: boolean }).optional) {
        issues.push({ path: keyPath, code: 'required', message: `${keyPath} is required` });
        continue;
      }
      const parsed = parser(given, keyPath);
      if (parsed.ok) {
        if (parsed.value !== undefined) value[key] = parsed.value;
      } else issues.push(...parsed.issues);
    }
    return issues.length > 0 ? { ok: false, issues } : ok(value as ObjectOf<S>);
  };
}

/** A check across fields, run after the shape parsed. */
export function refine<T>(parser: Parser<T>, check: (value: T) => InputIssue | null): Parser<T> {
  return (raw, path = '') => {
    const parsed = parser(raw, path);
    if (!parsed.ok) return parsed;
    const issue = check(parsed.value);
    return issue ? { ok: false, issues: [issue] } : parsed;
  };
}
