/** Long operations in flight (imports, pulls, demo loads, exports), fed by the backend's progress events. */
import { createStore } from 'zustand/vanilla';
import type { ConsoleEvent } from '../../../console-api/types.ts';

export interface OperationView {
  id: string;
  method: string;
  fraction: number | null;
  message: string;
  counts: Record<string, number>;
  done: boolean;
  ok: boolean;
}

export interface OperationsState {
  operations: Record<string, OperationView>;
  /** Bumped when the store's data changed, so pages reload. */
  dataVersion: number;
  apply(event: ConsoleEvent): void;
  dismiss(id: string): void;
}

export function createOperationsStore() {
  return createStore<OperationsState>()((set) => ({
    operations: {},
    dataVersion: 0,
    apply(event) {
      if (event.type === 'data-changed') {
        set((state) => ({ dataVersion: state.dataVersion + 1 }));
        return;
      }
      set((state) => {
        const previous = state.operations[event.operationId];
        const base: OperationView = previous ?? {
          id: event.operationId,
          method: event.method,
          fraction: null,
          message: '',
          counts: {},
          done: false,
          ok: true,
        };
        const next: OperationView =
          event.type === 'progress'
            ? { ...base, fraction: event.fraction, message: event.message, counts: event.counts ?? base.counts }
            : { ...base, done: true, ok: event.ok, fraction: event.ok ? 1 : base.fraction, message: event.message };
        // A new try of the same action replaces the finished ones: failed pulls retried by hand do not pile up.
        const kept = previous
          ? state.operations
          : Object.fromEntries(
              Object.entries(state.operations).filter(([, op]) => !(op.done && op.method === event.method)),
            );
        return { operations: { ...kept, [event.operationId]: next } };
      });
    },
    dismiss: (id) =>
      set((state) => {
        const { [id]: _removed, ...rest } = state.operations;
        return { operations: rest };
      }),
  }));
}
