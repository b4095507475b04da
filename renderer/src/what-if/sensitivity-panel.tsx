/** One field's sensitivity: each model's probability over the field's grid, the thresholds and the current value. */
import { memo } from 'react';
import type { WhatIfCurve } from '../../../console-api/types.ts';
import { LineChart } from '../components/charts.tsx';
import { Panel } from '../components/common.tsx';
import type { FormField } from './form-model.ts';

const COLOURS: Record<string, string> = { champion: '#2f7ed8', challenger: '#8a63d2', fallback: '#d9a400' };

function label(value: number | string | null): string {
  if (value === null) return 'missing';
  if (typeof value === 'string') return value;
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(4)));
}

function SensitivityPanelView(props: {
  fields: FormField[];
  field: string;
  onField(name: string): void;
  curve: WhatIfCurve | null;
}) {
  const curve = props.curve;
  const labels = curve ? curve.points.map(label) : [];
  const at = curve ? curve.points.findIndex((p) => p === curve.current) : -1;
  const datasets = curve
    ? [
        ...curve.series.map((s) => ({
          label: `${s.role} v${s.version}`,
          data: s.probabilities,
          borderColor: COLOURS[s.role],
          backgroundColor: COLOURS[s.role],
          pointRadius: 0,
        })),
        ...curve.series.slice(0, 1).map((s) => ({
          label: `threshold ${(s.threshold * 100).toFixed(1)} %`,
          data: curve.points.map(() => s.threshold),
          borderColor: '#d64545',
          borderDash: [6, 4],
          pointRadius: 0,
        })),
        {
          label: 'current value',
          data: curve.points.map((_, i) => (i === at ? curve.series[0]!.probabilities[i]! : null)),
          borderColor: '#1d2330',
          backgroundColor: '#1d2330',
          pointRadius: 6,
          showLine: false,
        },
      ]
    : [];
  return (
    <Panel
      title="Sensitivity"
      subtitle={curve ? `${curve.points.length} values × ${curve.series.length} models` : 'computing…'}
      actions={
        <label>
          Field{' '}
          <select
            value={props.field}
            onChange={(event) => props.onField(event.target.value)}
            aria-label="Sensitivity field"
          >
            {props.fields.map((f) => (
              <option key={f.name} value={f.name}>
                {f.name}
              </option>
            ))}
          </select>
        </label>
      }
    >
      {curve ? (
        <div data-testid="sensitivity" data-points={curve.points.length}>
          <LineChart
            label={`Probability of default over ${curve.field} for each model`}
            data={{ labels, datasets }}
            xTitle={curve.field}
            yTitle="probability of default"
          />
        </div>
      ) : null}
    </Panel>
  );
}

/** Re-rendered only when its own props change, not on every keystroke in the form. */
export const SensitivityPanel = memo(SensitivityPanelView);
