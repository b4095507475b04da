/**
 * Process-wide V8 settings of the API process, applied before the engine starts its worker threads (V8 reads them when
 * an isolate is created, so they must come first).
 *
 * V8's memory reducer waits 8 s after a fresh heap first grows, then runs up to three compacting collections about
 * 0.5 s apart on every isolate whose allocation rate is low. Each engine worker is such an isolate: its heap grew while
 * it loaded the graph, and it allocates little once it only scores. Measured on the API (`--trace-gc`, decision 1614):
 * the three waves landed in the first seconds of traffic after ready, 4–17 ms each on every worker at once, and made
 * the first round of `bench api` the worst one. Without the reducer, an idle heap keeps the few MB it grew to during
 * start-up; ordinary collections still run whenever the heap fills.
 */
import v8 from 'node:v8';

let applied = false;

export function tuneRuntimeForLatency(): void {
  if (applied) return;
  applied = true;
  v8.setFlagsFromString('--no-memory-reducer');
}
