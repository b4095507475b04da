/** Metrics of the shadow model and the canary, registered on the API's own registry beside its other metrics. */
import { Counter, Gauge, type Registry } from 'prom-client';

export class ChallengerMetrics {
  readonly shadowScored: Counter<'model'>;
  readonly shadowErrors: Counter<'code'>;
  readonly shadowDropped: Counter<'reason'>;
  readonly shadowFlips: Counter<'from' | 'to'>;
  readonly shadowQueue: Gauge;
  readonly shadowWorkerRestarts: Counter;
  readonly canaryAnswers: Counter<'arm' | 'served_by'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.shadowScored = new Counter({
      name: 'vigie_shadow_scored_total',
      help: 'Requests the shadow model answered (off the request path), by model.',
      labelNames: ['model'],
      registers,
    });
    this.shadowErrors = new Counter({
      name: 'vigie_shadow_errors_total',
      help: 'Shadow work that failed, by code (SHADOW_LOAD_FAILED, SHADOW_TIMEOUT, SHADOW_FAILED, SHADOW_BREAKER_OPEN).',
      labelNames: ['code'],
      registers,
    });
    this.shadowDropped = new Counter({
      name: 'vigie_shadow_dropped_total',
      help: 'Shadow work not done, by reason (queue_full: the bounded queue was full; unavailable: not loaded).',
      labelNames: ['reason'],
      registers,
    });
    this.shadowFlips = new Counter({
      name: 'vigie_shadow_decision_flips_total',
      help: 'Shadow answers whose decision differs from the served one (from the served decision to the shadow one).',
      labelNames: ['from', 'to'],
      registers,
    });
    this.shadowWorkerRestarts = new Counter({
      name: 'vigie_shadow_worker_restarts_total',
      help: 'Shadow worker threads stopped after the shadow missed its deadline (a hung run), and replaced.',
      registers,
    });
    this.shadowQueue = new Gauge({
      name: 'vigie_shadow_queue_depth',
      help: 'Shadow work waiting or in flight.',
      registers,
    });
    this.canaryAnswers = new Counter({
      name: 'vigie_canary_answers_total',
      help: 'Answers by canary arm (champion, challenger) and who served them along that arm’s fallback chain.',
      labelNames: ['arm', 'served_by'],
      registers,
    });
  }
}
