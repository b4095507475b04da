/** Runs one console API call against a method table: parse the input, run the handler, map errors to the catalogue. */
import { ConsoleError, describeIssues, toConsoleError } from '../../../console-api/errors.ts';
import type { EventSink, MethodTable } from './method-table.ts';
import { Operations } from '../operations.ts';
import type { CallResult, MethodName } from '../../../console-api/types.ts';

export interface Dispatcher {
  call(operationId: string, method: string, input: unknown): Promise<CallResult<unknown>>;
  cancel(operationId: string): boolean;
  cancelAll(): void;
}

export function createDispatcher<S>(table: MethodTable<S>, services: S, emit: EventSink): Dispatcher {
  const operations = new Operations();

  async function run(operationId: string, method: string, raw: unknown): Promise<unknown> {
    if (!Object.hasOwn(table, method)) throw new ConsoleError('UNKNOWN_METHOD', method.slice(0, 64));
    const name = method as MethodName;
    const def = table[name];
    const parsed = def.input(raw);
    if (!parsed.ok) throw new ConsoleError('INVALID_INPUT', describeIssues(parsed.issues), parsed.issues);
    if (def.streaming && operations.isRunning(name)) throw new ConsoleError('BUSY', name);
    const signal = operations.start(operationId, name);
    let lastProgress = 0;
    const context = {
      operationId,
      signal,
      progress(fraction: number | null, message: string, counts?: Record<string, number>) {
        // Progress arrives per batch of records; ten updates a second are enough for a bar and spare the UI.
        const now = Date.now();
        if (now - lastProgress < 100 && fraction !== 1) return;
        lastProgress = now;
        emit({ type: 'progress', operationId, method: name, fraction, message, ...(counts ? { counts } : {}) });
      },
      cancel: (id: string) => operations.cancel(id),
    };
    try {
      // The cast is sound: the input was parsed by this method's own schema.
      const handler = def.handler as (s: S, i: unknown, c: typeof context) => unknown;
      const value = await handler(services, parsed.value, context);
      if (signal.aborted && def.streaming) throw new ConsoleError('OPERATION_CANCELLED');
      if (def.streaming) emit({ type: 'end', operationId, method: name, ok: true, message: 'done' });
      return value;
    } catch (error) {
      const consoleError = signal.aborted ? new ConsoleError('OPERATION_CANCELLED') : toConsoleError(error);
      if (def.streaming) emit({ type: 'end', operationId, method: name, ok: false, message: consoleError.message });
      throw consoleError;
    } finally {
      operations.finish(operationId);
    }
  }

  return {
    async call(operationId, method, input) {
      try {
        return { ok: true, value: await run(operationId, method, input) };
      } catch (error) {
        return { ok: false, error: toConsoleError(error).toBody() };
      }
    },
    cancel: (operationId) => operations.cancel(operationId),
    cancelAll: () => operations.cancelAll(),
  };
}
