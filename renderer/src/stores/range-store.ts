/**
 * The one time range every page shows. Presets count back from the newest stored record, not from now, so logs
 * imported days later still open on their own last day.
 */
import { createStore } from 'zustand/vanilla';
import type { TimeRange } from '../../../console-api/types.ts';

export const PRESETS = {
  '1h': 3_600_000,
  '24h': 86_400_000,
  '7d': 7 * 86_400_000,
  '30d': 30 * 86_400_000,
} as const;
export type Preset = keyof typeof PRESETS | 'all' | 'custom';

export interface RangeState {
  preset: Preset;
  custom: { from: number; to: number } | null;
  /** First and last stored record times. */
  bounds: { from: number; to: number } | null;
  /** Why the range was set from elsewhere (an anomaly), shown next to the picker. */
  focusLabel: string | null;
  setPreset(preset: Exclude<Preset, 'custom'>): void;
  setCustom(from: number, to: number, focusLabel?: string): void;
  setBounds(bounds: { from: number; to: number } | null): void;
}

export function createRangeStore() {
  return createStore<RangeState>()((set) => ({
    preset: '7d',
    custom: null,
    bounds: null,
    focusLabel: null,
    setPreset: (preset) => set({ preset, focusLabel: null }),
    setCustom: (from, to, focusLabel) => {
      if (!(Number.isFinite(from) && Number.isFinite(to) && from < to)) return;
      set({ preset: 'custom', custom: { from, to }, focusLabel: focusLabel ?? null });
    },
    setBounds: (bounds) => set({ bounds }),
  }));
}

/** The range to send to the backend; undefined bounds mean "all stored records". */
export function resolveRange(state: Pick<RangeState, 'preset' | 'custom' | 'bounds'>): TimeRange {
  if (state.preset === 'custom' && state.custom) return { from: state.custom.from, to: state.custom.to };
  if (state.preset === 'all' || state.preset === 'custom' || !state.bounds) return {};
  const to = state.bounds.to + 1;
  return { from: Math.max(state.bounds.from, to - PRESETS[state.preset]), to };
}
