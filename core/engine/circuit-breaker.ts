/**
 * Circuit breaker for one model: closed → open after `failureThreshold` consecutive failures or timeouts → after
 * `openMs`, half-open lets one probe call through → closed when it succeeds, open again when it fails.
 */
import type { BreakerOptions, BreakerState } from './types.ts';

export class CircuitBreaker {
  private current: BreakerState = 'closed';
  private failures = 0;
  private openedAt = 0;
  private probing = false;

  constructor(
    private readonly options: BreakerOptions,
    private readonly clock: () => number,
    private readonly onChange: (state: BreakerState) => void,
  ) {}

  get state(): BreakerState {
    return this.current;
  }

  /** Whether a call may go to the model now; in half-open state only the first caller (the probe) gets true. */
  allow(): boolean {
    if (this.current === 'closed') return true;
    if (this.current === 'open') {
      if (this.clock() - this.openedAt < this.options.openMs) return false;
      this.transition('half_open');
    }
    if (this.probing) return false;
    this.probing = true;
    return true;
  }

  success(): void {
    if (this.current === 'half_open') {
      this.probing = false;
      this.transition('closed');
    }
    // A late answer from before the breaker opened says nothing about the model now.
    if (this.current === 'closed') this.failures = 0;
  }

  failure(): void {
    if (this.current === 'half_open') {
      this.probing = false;
      this.open();
    } else if (this.current === 'closed') {
      this.failures += 1;
      if (this.failures >= this.options.failureThreshold) this.open();
    }
  }

  private open(): void {
    this.openedAt = this.clock();
    this.failures = 0;
    this.transition('open');
  }

  private transition(state: BreakerState): void {
    if (state === this.current) return;
    this.current = state;
    this.onChange(state);
  }
}
