/** Input schemas of the console API, one per method. */
import { array, boolean, number, object, oneOf, optional, refine, string, type Parser } from './schema.ts';
import type { MethodInput, MethodName } from './types.ts';
import { WHAT_IF_INPUTS } from './what-if-inputs.ts';
import { MODELS_PROFILING_INPUTS } from './models-profiling-inputs.ts';

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
const issue = (path: string, message: string) => ({ path, code: 'not_allowed' as const, message });
const objectStore = object({
  id: optional(id),
  endpoint: refine(string({ min: 1, max: 2048 }), (value) =>
    /^https?:\/\/[^\s/]+\/?$/.test(value)
      ? null
      : issue(
          'objectStore.endpoint',
          'the endpoint must be an http:// or https:// address with no path, e.g. https://s3.example.com',
        ),
  ),
  bucket: refine(string({ min: 1, max: 63 }), (value) =>
    /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(value)
      ? null
      : issue('objectStore.bucket', 'the bucket name must be 3 to 63 lowercase letters, digits, dots or hyphens'),
  ),
  prefix: optional(string({ max: 1024 })),
  region: optional(
    refine(string({ max: 64 }), (value) =>
      value === '' || /^[a-z0-9-]{2,32}$/.test(value)
        ? null
        : issue('objectStore.region', 'the region is lowercase letters, digits and hyphens, e.g. us-east-1'),
    ),
  ),
  accessKeyId: refine(string({ min: 1, max: 128 }), (value) =>
    /^[A-Za-z0-9_+=,.@-]{3,128}$/.test(value)
      ? null
      : issue('objectStore.accessKeyId', 'the access key ID is 3 to 128 letters and digits, without spaces'),
  ),
  secretAccessKey: optional(string({ min: 1, max: 256 })),
});

export const INPUTS: { [M in MethodName]: Parser<MethodInput<M>> } = {
  performance: object({ range: optional(timeRange), window: optional(oneOf(['hour', 'day', 'week'])) }),
  importOutcomes: object({
    path,
    key: optional(oneOf(['request_id', 'SK_ID_CURR'])),
    hashKeyFile: optional(path),
  }),
  acknowledgeAlert: object({ id: number({ min: 1, max: Number.MAX_SAFE_INTEGER, integer: true }) }),
  importFiles: object({ paths: array(path, { min: 1, max: 1000 }) }),
  importFromObjectStore: object({ storeId: id }),
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
    objectStore: optional(objectStore),
    removeObjectStore: optional(id),
  }),
  loadDemoData: object({ days: optional(number({ min: 1, max: 60, integer: true })) }),
  cancel: object({ operationId: id }),
  ...WHAT_IF_INPUTS,
  ...MODELS_PROFILING_INPUTS,
  challengerCandidates: empty as Parser<Record<string, never>>,
  challengerReplay: object({
    range: optional(timeRange),
    candidate: string({ min: 1, max: 4096 }),
    baseline: optional(string({ min: 1, max: 4096 })),
  }),
};
