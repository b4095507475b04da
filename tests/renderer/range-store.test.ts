import { describe, expect, it } from 'vitest';
import { createRangeStore, resolveRange } from '../../renderer/src/stores/range-store.ts';

const DAY = 86_400_000;

describe('range store', () => {
  it('counts a preset back from the newest stored record, not from now', () => {
    const store = createRangeStore();
    store.getState().setBounds({ from: 0, to: 30 * DAY });
    store.getState().setPreset('24h');
    expect(resolveRange(store.getState())).toEqual({ from: 29 * DAY + 1, to: 30 * DAY + 1 });
  });

  it('clips a preset longer than the stored data to its first record', () => {
    const store = createRangeStore();
    store.getState().setBounds({ from: 10 * DAY, to: 12 * DAY });
    store.getState().setPreset('30d');
    expect(resolveRange(store.getState()).from).toBe(10 * DAY);
  });

  it('sends no bounds for "all data"', () => {
    const store = createRangeStore();
    store.getState().setBounds({ from: 0, to: DAY });
    store.getState().setPreset('all');
    expect(resolveRange(store.getState())).toEqual({});
  });

  it('keeps a custom range and the reason it was focused', () => {
    const store = createRangeStore();
    store.getState().setCustom(1000, 5000, 'focused on latency_p95');
    expect(resolveRange(store.getState())).toEqual({ from: 1000, to: 5000 });
    expect(store.getState().focusLabel).toBe('focused on latency_p95');
  });

  it('ignores a custom range that ends before it starts', () => {
    const store = createRangeStore();
    store.getState().setCustom(5000, 1000);
    expect(store.getState().preset).toBe('7d');
  });

  it('clears the focus label when a preset is chosen', () => {
    const store = createRangeStore();
    store.getState().setCustom(1000, 5000, 'focus');
    store.getState().setPreset('7d');
    expect(store.getState().focusLabel).toBeNull();
  });
});
