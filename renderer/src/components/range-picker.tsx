/** The one time-range picker, in the header of every page. */
import { useState } from 'react';
import { useApp, useSlice } from '../app-context.tsx';
import { formatPeriod } from '../format.ts';
import { formatRangeInput as toInput, parseCustomRange } from '../range-input.ts';
import { resolveRange, type Preset } from '../stores/range-store.ts';

const LABELS: Array<[Exclude<Preset, 'custom'>, string]> = [
  ['1h', 'Last hour'],
  ['24h', 'Last 24 h'],
  ['7d', 'Last 7 days'],
  ['30d', 'Last 30 days'],
  ['all', 'All data'],
];

export function RangePicker() {
  const { range } = useApp();
  const state = useSlice(range, (s) => s);
  const resolved = resolveRange(state);
  const [editing, setEditing] = useState(false);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [problem, setProblem] = useState<string | null>(null);

  const startEditing = () => {
    setFrom(toInput(resolved.from ?? state.bounds?.from));
    setTo(toInput(resolved.to ?? state.bounds?.to));
    setProblem(null);
    setEditing(true);
  };
  const apply = () => {
    const parsed = parseCustomRange(from, to);
    if (!parsed.ok) {
      setProblem(parsed.message);
      return;
    }
    setProblem(null);
    state.setCustom(parsed.from, parsed.to);
    setEditing(false);
  };

  return (
    <div className="range-picker" role="group" aria-label="Time range for every page">
      <label htmlFor="range-preset" className="visually-hidden">
        Time range
      </label>
      <select
        id="range-preset"
        value={state.preset}
        onChange={(event) => {
          const value = event.target.value as Preset;
          if (value === 'custom') startEditing();
          else state.setPreset(value);
        }}
      >
        {LABELS.map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
        <option value="custom">Custom…</option>
      </select>
      {editing ? (
        <form
          className="range-custom"
          onSubmit={(event) => {
            event.preventDefault();
            apply();
          }}
        >
          <label>
            From (UTC){' '}
            <input
              type="text"
              inputMode="numeric"
              placeholder="2026-10-15 00:00"
              size={16}
              value={from}
              aria-invalid={problem !== null}
              onChange={(e) => setFrom(e.target.value)}
            />
          </label>
          <label>
            To (UTC){' '}
            <input
              type="text"
              inputMode="numeric"
              placeholder="2026-10-29 00:00"
              size={16}
              value={to}
              aria-invalid={problem !== null}
              onChange={(e) => setTo(e.target.value)}
            />
          </label>
          <button type="submit">Apply</button>
          <button type="button" onClick={() => setEditing(false)}>
            Cancel
          </button>
          {problem ? (
            <span className="range-problem" role="alert">
              {problem}
            </span>
          ) : null}
        </form>
      ) : (
        <span className="range-shown" data-testid="range-shown">
          {resolved.from !== undefined && resolved.to !== undefined
            ? formatPeriod(resolved.from, resolved.to)
            : state.bounds
              ? formatPeriod(state.bounds.from, state.bounds.to)
              : 'no data yet'}
          {state.focusLabel ? <em> · {state.focusLabel}</em> : null}
        </span>
      )}
    </div>
  );
}
