import { describe, expect, it } from 'vitest';
import { createResourceStore } from '../../renderer/src/stores/resource-store.ts';
import { deferred } from './fake-client.ts';

describe('resource store', () => {
  it('keeps the previous data on screen while a new request runs', async () => {
    const pending = deferred<string>();
    let first = true;
    const store = createResourceStore<number, string>((n) =>
      first ? ((first = false), Promise.resolve(`v${n}`)) : pending.promise,
    );
    await store.getState().load(1);
    const second = store.getState().load(2);
    expect(store.getState()).toMatchObject({ status: 'loading', data: 'v1' });
    pending.resolve('v2');
    await second;
    expect(store.getState()).toMatchObject({ status: 'ready', data: 'v2' });
  });

  it('drops an answer that a newer request superseded', async () => {
    const slow = deferred<string>();
    const fast = deferred<string>();
    const queue = [slow.promise, fast.promise];
    const store = createResourceStore<number, string>(() => queue.shift()!);
    const a = store.getState().load(1);
    const b = store.getState().load(2);
    fast.resolve('new');
    await b;
    slow.resolve('old');
    await a;
    expect(store.getState().data).toBe('new');
  });

  it('keeps the error code and plain message of a failed request', async () => {
    const store = createResourceStore<number, string>(() =>
      Promise.reject(Object.assign(new Error('There are no records in the store yet.'), { code: 'STORE_EMPTY' })),
    );
    await store.getState().load(1);
    expect(store.getState().error).toEqual({ code: 'STORE_EMPTY', message: 'There are no records in the store yet.' });
  });

  it('reloads with the last input', async () => {
    const inputs: number[] = [];
    const store = createResourceStore<number, number>(async (n) => (inputs.push(n), n));
    await store.getState().load(7);
    await store.getState().reload();
    expect(inputs).toEqual([7, 7]);
  });
});
