/**
 * Prometheus metrics of one API instance (its own registry, so several servers can live in one process in tests).
 * Label values come from closed sets (routes, catalogue codes, schema fields) so cardinality stays bounded.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { EngineObserver } from '../core/engine/index.ts';

const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
const PROBABILITY_BUCKETS = [0.02, 0.05, 0.08, 0.11, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1];
const BATCH_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1000];

export interface ModelInfo {
  role: string;
  name: string;
  version: string;
  alias: string;
  kind: string;
  provider: string;
}

export class ApiMetrics {
  readonly registry = new Registry();
  readonly requestDuration = new Histogram({
    name: 'vigie_http_request_duration_seconds',
    help: 'Time from request received to response sent, by route, method and status code.',
    labelNames: ['route', 'method', 'status_code'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly inFlight = new Gauge({
    name: 'vigie_http_requests_in_flight',
    help: 'Requests received and not yet answered.',
    registers: [this.registry],
  });
  readonly errors = new Counter({
    name: 'vigie_http_errors_total',
    help: 'Error responses by catalogue code.',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });
  readonly inference = new Histogram({
    name: 'vigie_inference_duration_seconds',
    help: 'Model run time of one micro-batch, by model and who served it.',
    labelNames: ['model', 'served_by'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly queueWait = new Histogram({
    name: 'vigie_queue_wait_seconds',
    help: 'Time applicants waited in the engine queue before their micro-batch ran, by model and who served it.',
    labelNames: ['model', 'served_by'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly engineBatchSize = new Histogram({
    name: 'vigie_engine_batch_size',
    help: 'Applicants per model run (micro-batch), by model and who served it.',
    labelNames: ['model', 'served_by'] as const,
    buckets: BATCH_BUCKETS,
    registers: [this.registry],
  });
  readonly requestBatchSize = new Histogram({
    name: 'vigie_request_batch_size',
    help: 'Applicants per POST /v1/score/batch request.',
    buckets: BATCH_BUCKETS,
    registers: [this.registry],
  });
  readonly probability = new Histogram({
    name: 'vigie_probability',
    help: 'Predicted probability of default, by who served it.',
    labelNames: ['served_by'] as const,
    buckets: PROBABILITY_BUCKETS,
    registers: [this.registry],
  });
  readonly decisions = new Counter({
    name: 'vigie_decisions_total',
    help: 'Decisions returned, by decision and who served it.',
    labelNames: ['decision', 'served_by'] as const,
    registers: [this.registry],
  });
  readonly degraded = new Counter({
    name: 'vigie_degraded_answers_total',
    help: 'Answers not given by the champion, by who served them.',
    labelNames: ['served_by'] as const,
    registers: [this.registry],
  });
  readonly fallbacks = new Counter({
    name: 'vigie_fallbacks_total',
    help: 'Hand-overs along the fallback chain (champion -> fallback -> rules).',
    labelNames: ['from', 'to'] as const,
    registers: [this.registry],
  });
  readonly cache = new Counter({
    name: 'vigie_cache_lookups_total',
    help: 'Engine result cache lookups, by result (hit or miss).',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });
  readonly validationFailures = new Counter({
    name: 'vigie_validation_failures_total',
    help: 'Rejected applicant fields, by field and issue code (unknown field names are grouped as _unknown).',
    labelNames: ['field', 'code'] as const,
    registers: [this.registry],
  });
  readonly logRecords = new Counter({
    name: 'vigie_log_records_total',
    help: 'Production log records written.',
    registers: [this.registry],
  });
  readonly logWriteErrors = new Counter({
    name: 'vigie_log_write_errors_total',
    help: 'Production log writes that failed (records lost), by error code (ENOSPC: disk full).',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });
  readonly logRotations = new Counter({
    name: 'vigie_log_rotations_total',
    help: 'Production log files closed (daily or size rotation).',
    registers: [this.registry],
  });
  readonly breaker = new Gauge({
    name: 'vigie_breaker_open',
    help: 'Circuit breaker of a model: 0 closed, 0.5 half-open, 1 open.',
    labelNames: ['role'] as const,
    registers: [this.registry],
  });
  readonly workerExits = new Counter({
    name: 'vigie_worker_exits_total',
    help: 'Inference worker threads that exited and were replaced, by model role.',
    labelNames: ['role'] as const,
    registers: [this.registry],
  });
  readonly modelInfo = new Gauge({
    name: 'vigie_model_info',
    help: 'The models loaded (value 1), with their version, alias, kind and execution provider.',
    labelNames: ['role', 'name', 'version', 'alias', 'kind', 'provider'] as const,
    registers: [this.registry],
  });
  readonly ready = new Gauge({
    name: 'vigie_ready',
    help: '1 when /ready answers 200.',
    registers: [this.registry],
  });
  readonly queueDepth = new Gauge({
    name: 'vigie_engine_queue_depth',
    help: 'Applicants waiting or in flight for the champion.',
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  setModels(models: readonly ModelInfo[]): void {
    this.modelInfo.reset();
    for (const model of models) this.modelInfo.set({ ...model }, 1);
  }

  /** Engine hooks feeding the model-side metrics; none of them throws. */
  engineObserver(): EngineObserver {
    return {
      batch: (event) => {
        const labels = { model: `${event.model.name}/${event.model.version}`, served_by: event.role };
        this.inference.observe(labels, event.inferenceMs / 1000);
        this.queueWait.observe(labels, event.queueMs / 1000);
        this.engineBatchSize.observe(labels, event.size);
      },
      fallback: (event) => this.fallbacks.inc({ from: event.from, to: event.to }),
      cache: (hit) => this.cache.inc({ result: hit ? 'hit' : 'miss' }),
      breaker: (event) =>
        this.breaker.set({ role: event.role }, event.state === 'open' ? 1 : event.state === 'half_open' ? 0.5 : 0),
      workerExit: (event) => this.workerExits.inc({ role: event.role }),
    };
  }
}
