/** Seeded changes to log records, for the tests that compare two ways of reading a line. */
/** A small seeded generator, so a failure names a case that can be run again. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const ODD_VALUES: unknown[] = [
  null,
  undefined,
  0,
  -0,
  1,
  -1,
  2.5,
  Number.MAX_VALUE,
  600,
  '',
  'x',
  '1',
  true,
  false,
  [],
  [1],
  {},
  { a: 1 },
  '2026-11-21T10:00:00Z',
  '2026-02-30T10:00:00.000Z',
  '2026-11-21T10:00:00.000+01:00',
  'has spaces',
  'a "quoted", {braced} [text]\\',
  [{ path: 'A', code: 'x' }],
];
const PATHS = [
  ['format_version'],
  ['ts'],
  ['request_id'],
  ['replica'],
  ['route'],
  ['http_status'],
  ['status'],
  ['model'],
  ['model', 'name'],
  ['model', 'version'],
  ['model', 'extra'],
  ['served_by'],
  ['degraded'],
  ['cache_hit'],
  ['applicant_ref'],
  ['client'],
  ['input'],
  ['input', 'AMT_CREDIT'],
  ['input', 'CODE_GENDER'],
  ['input', 'NOT_A_FIELD'],
  ['output'],
  ['output', 'probability'],
  ['output', 'decision'],
  ['output', 'threshold'],
  ['output', 'more'],
  ['latency_ms'],
  ['latency_ms', 'total'],
  ['latency_ms', 'queue'],
  ['latency_ms', 'other'],
  ['error'],
  ['error', 'code'],
  ['something_new'],
  ['something_else'],
  ['7'],
  ['error', 'issues'],
  ['__proto__'],
];

export function mutate(record: Record<string, unknown>, next: () => number): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(record)) as Record<string, unknown>;
  const changes = 1 + Math.floor(next() * 3);
  for (let c = 0; c < changes; c++) {
    const path = PATHS[Math.floor(next() * PATHS.length)]!;
    const value = ODD_VALUES[Math.floor(next() * ODD_VALUES.length)];
    let target = copy;
    for (const key of path.slice(0, -1)) {
      if (typeof target[key] !== 'object' || target[key] === null) target[key] = {};
      target = target[key] as Record<string, unknown>;
    }
    const last = path[path.length - 1]!;
    if (value === undefined) delete target[last];
    else Object.defineProperty(target, last, { value, enumerable: true, writable: true, configurable: true });
  }
  return copy;
}
