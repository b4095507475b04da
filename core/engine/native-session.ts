/**
 * onnxruntime-node's own native session, run synchronously. The public `InferenceSession.run()` wraps the same
 * native call in a promise resolved after a `setImmediate` turn, re-checks the feeds and fetches and rebuilds the
 * output tensors on every call: for one row that is 5–10 µs on top of a 55–60 µs run (measured in
 * docs/performance-engine.md). An inference worker runs its packed graph on the native session directly: it is the
 * object a public session holds (same model bytes, same session options), so the answers are the same.
 * Only the CPU provider is used this way; anything unexpected in the binding returns null and the worker keeps the
 * public session.
 */
import { createRequire } from 'node:module';
import type ort from 'onnxruntime-node';

export interface NativeSession {
  /** Runs the graph on this thread; returns the fetched outputs by name. */
  run(feeds: Record<string, ort.Tensor>, fetches: Record<string, null>): Record<string, { data: unknown }>;
  release(): void;
}

interface BindingSession {
  loadModel(buffer: ArrayBufferLike, offset: number, length: number, options: object): void;
  run(feeds: object, fetches: object, options: object): Record<string, { data: unknown }>;
  dispose(): void;
}

const NO_RUN_OPTIONS = Object.freeze({});

function bindingClass(): (new () => BindingSession) | null {
  try {
    const require = createRequire(import.meta.url);
    const { binding } = require('onnxruntime-node/dist/binding.js') as {
      binding?: { InferenceSession?: new () => BindingSession };
    };
    const Session = binding?.InferenceSession;
    return typeof Session === 'function' && typeof Session.prototype.run === 'function' ? Session : null;
  } catch {
    return null;
  }
}

/**
 * Opens `model` natively with the options the public session was created with. Call only after a public session
 * exists in this thread (it initialises the binding).
 */
export function openNativeSession(
  model: Uint8Array,
  options: ort.InferenceSession.SessionOptions,
): NativeSession | null {
  if (JSON.stringify(options.executionProviders) !== '["cpu"]') return null;
  const Session = bindingClass();
  if (!Session) return null;
  try {
    const session = new Session();
    session.loadModel(model.buffer, model.byteOffset, model.byteLength, options);
    return {
      run: (feeds, fetches) => session.run(feeds, fetches, NO_RUN_OPTIONS),
      release: () => session.dispose(),
    };
  } catch {
    return null;
  }
}
