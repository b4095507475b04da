/** A scripted ConsoleClient for store tests: answers per method, records the calls, resolves when told to. */
import type { ConsoleClient } from '../../renderer/src/api/client.ts';

type Answer = (input: unknown) => unknown;

export function scriptedClient(answers: Record<string, Answer>) {
  const calls: Array<{ method: string; input: unknown; operationId?: string }> = [];
  const client: ConsoleClient = {
    platform: 'browser',
    async call(method, input, operationId) {
      calls.push({ method, input, ...(operationId ? { operationId } : {}) });
      const answer = answers[method];
      if (!answer) throw Object.assign(new Error(`no answer for ${method}`), { code: 'UNKNOWN_METHOD' });
      return (await answer(input)) as never;
    },
    onEvent: () => () => {},
    importDropped: async () => ({
      files: 0,
      lines: 0,
      inserted: 0,
      duplicates: 0,
      quarantined: 0,
      byReason: {},
      errors: [],
    }),
    pickLogFiles: null,
    saveReport: async () => ({ saved: true, where: 'downloads' }),
  };
  return { client, calls };
}

/** A promise with its resolve function, to finish requests out of order. */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}
