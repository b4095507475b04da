/** Input schemas of the console API, one per method. */
import { array, boolean, number, object, oneOf, optional, refine, string, type Parser } from './schema.ts';
import type { MethodInput, MethodName } from './types.ts';

const EPOCH_MAX = 8.64e15;
const time = number({ min: 0, max: EPOCH_MAX, integer: true });

const timeRange = refine(object({ from: optional(time), to: optional(time) }), (range) =>
  range.from !== undefined && range.to !== undefined && range.from >= range.to
    ? { path: 'range', code: 'not_allowed', message: 'range.from must be before range.to' }
    : null,
);

const driftMethod = oneOf(['psi', 'ks', 'wasserstein', 'chi2', 'jensen_shannon']);
const numberMethod = refine(driftMethod, (m) =>
  m === 'chi2' || m === 'jensen_shannon'
    ? { path: 'methods.number', code: 'not_allowed', message: 'numbers take psi, ks or wasserstein' }
    : null,
);
const categoryMethod = oneOf(['chi2', 'jensen_shannon']);
const path = string({ min: 1, max: 4096 });
const httpUrl = string({ min: 8, max: 2048, pattern: /^https?:\/\/[^\s]+$/ });
const id = string({ min: 1, max: 128, pattern: /^[A-Za-z0-9._:-]+$/ });
const empty = object({});

export const INPUTS: { [M in MethodName]: Parser<MethodInput<M>> } = {
  importFiles: object({ paths: array(path, { min: 1, max: 1000 }) }),
  pullFromApi: object({ url: httpUrl, key: optional(string({ min: 1, max: 512 })), endpointId: optional(id) }),
  listSources: empty as Parser<Record<string, never>>,
  returnToStore: empty as Parser<Record<string, never>>,
  listQuarantine: object({
    source: optional(string({ max: 4096 })),
    reason: optional(string({ max: 64 })),
    page: optional(number({ min: 0, max: 1_000_000, integer: true })),
  }),
  overview: object({ range: optional(timeRange), bucket: optional(oneOf(['auto', 'minute', 'hour', 'day'])) }),
  drift: object({
    range: optional(timeRange),
    reference: optional(timeRange),
    methods: optional(object({ number: optional(numberMethod), category: optional(categoryMethod) })),
    wait: optional(boolean()),
  }),
  driftField: object({
    field: string({ min: 1, max: 128 }),
    range: optional(timeRange),
    reference: optional(timeRange),
    wait: optional(boolean()),
  }),
  anomalies: object({ range: optional(timeRange) }),
  exportReport: object({ range: optional(timeRange), format: oneOf(['html', 'json']), path }),
  getSettings: empty as Parser<Record<string, never>>,
  setSettings: object({
    theme: optional(oneOf(['system', 'light', 'dark'])),
    driftMethods: optional(object({ number: numberMethod, category: categoryMethod })),
    endpoint: optional(
      object({
        id: optional(id),
        url: httpUrl,
        key: optional(string({ min: 1, max: 512 })),
        pullEveryMinutes: optional(number({ min: 0, max: 10_080, integer: true })),
      }),
    ),
    removeEndpoint: optional(id),
  }),
  loadDemoData: object({ days: optional(number({ min: 1, max: 60, integer: true })) }),
  cancel: object({ operationId: id }),
};
