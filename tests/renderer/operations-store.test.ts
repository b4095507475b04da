import { describe, expect, it } from 'vitest';
import { createOperationsStore } from '../../renderer/src/stores/operations-store.ts';

describe('operations store', () => {
  it('tracks the progress of an operation from its events', () => {
    const store = createOperationsStore();
    store.getState().apply({
      type: 'progress',
      operationId: 'op1',
      method: 'importFiles',
      fraction: 0.4,
      message: 'reading',
      counts: { lines: 40 },
    });
    expect(store.getState().operations.op1).toMatchObject({
      fraction: 0.4,
      message: 'reading',
      counts: { lines: 40 },
      done: false,
    });
  });

  it('replaces a failed pull with the next try instead of piling failure bars up', () => {
    const store = createOperationsStore();
    for (const id of ['pull-1', 'pull-2', 'pull-3']) {
      store
        .getState()
        .apply({ type: 'progress', operationId: id, method: 'pullFromApi', fraction: null, message: 'pulling' });
      store
        .getState()
        .apply({ type: 'end', operationId: id, method: 'pullFromApi', ok: false, message: 'cannot reach' });
    }
    store.getState().apply({ type: 'end', operationId: 'imp', method: 'importFiles', ok: true, message: 'done' });
    expect(Object.keys(store.getState().operations)).toEqual(['pull-3', 'imp']);
  });

  it('marks a finished operation done and full', () => {
    const store = createOperationsStore();
    store
      .getState()
      .apply({ type: 'progress', operationId: 'op1', method: 'importFiles', fraction: 0.4, message: 'reading' });
    store.getState().apply({ type: 'end', operationId: 'op1', method: 'importFiles', ok: true, message: 'done' });
    expect(store.getState().operations.op1).toMatchObject({ done: true, ok: true, fraction: 1 });
  });

  it('keeps the last fraction of a failed operation', () => {
    const store = createOperationsStore();
    store
      .getState()
      .apply({ type: 'progress', operationId: 'op1', method: 'importFiles', fraction: 0.4, message: 'reading' });
    store.getState().apply({ type: 'end', operationId: 'op1', method: 'importFiles', ok: false, message: 'cancelled' });
    expect(store.getState().operations.op1).toMatchObject({
      done: true,
      ok: false,
      fraction: 0.4,
      message: 'cancelled',
    });
  });

  it('bumps the data version when the store changed', () => {
    const store = createOperationsStore();
    store.getState().apply({ type: 'data-changed' });
    store.getState().apply({ type: 'data-changed' });
    expect(store.getState().dataVersion).toBe(2);
  });

  it('forgets a dismissed operation', () => {
    const store = createOperationsStore();
    store.getState().apply({ type: 'end', operationId: 'op1', method: 'loadDemoData', ok: true, message: 'done' });
    store.getState().dismiss('op1');
    expect(store.getState().operations).toEqual({});
  });
});
