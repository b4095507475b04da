/**
 * A value loaded from the backend: keeps showing the previous data while a new request runs (the page never goes
 * blank on a range change) and drops answers to requests that a newer one has superseded.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';

export interface ResourceState<I, O> {
  status: 'idle' | 'loading' | 'ready' | 'error';
  data: O | null;
  error: { code: string; message: string } | null;
  lastInput: I | null;
  load(input: I): Promise<void>;
  reload(): Promise<void>;
}

export function errorOf(error: unknown): { code: string; message: string } {
  if (error && typeof error === 'object' && 'message' in error) {
    const code = 'code' in error && typeof error.code === 'string' ? error.code : 'INTERNAL';
    return { code, message: String(error.message) };
  }
  return { code: 'INTERNAL', message: String(error) };
}

export function createResourceStore<I, O>(fetcher: (input: I) => Promise<O>): StoreApi<ResourceState<I, O>> {
  let sequence = 0;
  return createStore<ResourceState<I, O>>()((set, get) => ({
    status: 'idle',
    data: null,
    error: null,
    lastInput: null,
    async load(input) {
      const mine = ++sequence;
      set({ status: 'loading', lastInput: input });
      try {
        const data = await fetcher(input);
        if (mine === sequence) set({ status: 'ready', data, error: null });
      } catch (error) {
        if (mine === sequence) set({ status: 'error', error: errorOf(error) });
      }
    },
    async reload() {
      const input = get().lastInput;
      if (input !== null) await get().load(input);
    },
  }));
}
