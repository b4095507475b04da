/**
 * What-if: score one applicant with champion, challenger and fallback side by side, see how one field moves each
 * model, what single change flips the decision, and why (Shapley reasons); plus the Batch scoring tab.
 * Everything is computed by the backend's `core/explain` through the console API.
 */
import { useEffect, useMemo, useState } from 'react';
import type { WhatIfApplicant, WhatIfScenario, WhatIfSetup } from '../../../console-api/types.ts';
import { useApp } from '../app-context.tsx';
import { ErrorNote, Panel } from '../components/common.tsx';
import { errorOf } from '../stores/resource-store.ts';
import { AnswersPanel } from '../what-if/answers-panel.tsx';
import { ApplicantForm } from '../what-if/applicant-form.tsx';
import { BatchTab } from '../what-if/batch-tab.tsx';
import { FlipsTable } from '../what-if/flips-table.tsx';
import { buildForm, checkForm, valuesOf, type FormValues } from '../what-if/form-model.ts';
import { ReasonsPanel } from '../what-if/reasons-panel.tsx';
import { ScenarioBar } from '../what-if/scenario-bar.tsx';
import { SensitivityPanel } from '../what-if/sensitivity-panel.tsx';
import { StartPicker, type Start } from '../what-if/start-picker.tsx';
import { useLatestCall } from '../what-if/use-latest-call.ts';
import './what-if.css';

/** Quiet time before a field change is scored; the heavier explanations wait a little longer. */
const SCORE_DELAY_MS = 30;
const EXPLAIN_DELAY_MS = 300;

function WhatIfTab(props: { setup: WhatIfSetup }) {
  const { client } = useApp();
  const form = useMemo(() => buildForm(props.setup.schema), [props.setup.schema]);
  const [start, setStart] = useState<Start>({ label: 'Reference medians and modes', applicant: props.setup.typical });
  const [values, setValues] = useState<FormValues>(() => valuesOf(props.setup.typical, form.fields));
  const [field, setField] = useState(
    form.schema.fieldsByName.has('EXT_SOURCE_2') ? 'EXT_SOURCE_2' : form.fields[0]!.name,
  );
  const [scenarios, setScenarios] = useState<WhatIfScenario[]>([]);
  const checked = useMemo(() => checkForm(form.schema, form.fields, values), [form, values]);
  const applicant = checked.applicant as WhatIfApplicant | null;

  useEffect(() => {
    void client
      .call('listScenarios', {})
      .then((r) => setScenarios(r.scenarios))
      .catch(() => undefined);
  }, [client]);

  const score = useLatestCall(
    applicant === null ? null : { applicant },
    (i) => client.call('whatIfScore', i),
    SCORE_DELAY_MS,
  );
  const startScore = useLatestCall({ applicant: start.applicant }, (i) => client.call('whatIfScore', i), 0);
  const curve = useLatestCall(
    applicant === null ? null : { applicant, field },
    (i) => client.call('whatIfSensitivity', { ...i, points: 100 }),
    EXPLAIN_DELAY_MS,
  );
  const flips = useLatestCall(
    applicant === null ? null : { applicant },
    (i) => client.call('whatIfFlips', i),
    EXPLAIN_DELAY_MS,
  );
  const reasons = useLatestCall(
    applicant === null ? null : { applicant },
    (i) => client.call('whatIfReasons', { ...i, evaluations: 2048 }),
    EXPLAIN_DELAY_MS,
  );

  const invalidCount = Object.keys(checked.errors).length;
  const status =
    invalidCount > 0
      ? `${invalidCount} field${invalidCount > 1 ? 's are' : ' is'} not valid: nothing is sent until the form is valid`
      : score.pending
        ? 'scoring…'
        : `from: ${start.label}`;

  const begin = (next: Start) => {
    setStart(next);
    setValues(valuesOf(next.applicant, form.fields));
  };

  return (
    <div className="what-if">
      <Panel title="Start from" subtitle={start.label}>
        <StartPicker setup={props.setup} scenarios={scenarios} onStart={begin} />
        {start.notes?.map((note) => (
          <p className="hint" key={note}>
            {note}
          </p>
        ))}
        <ScenarioBar applicant={applicant} origin={start.label} onSaved={setScenarios} />
      </Panel>
      <div className="what-if-columns">
        <Panel title="Applicant" subtitle="every field of the model's input schema">
          <p className="hint" role="status" data-testid="form-status" data-valid={invalidCount === 0}>
            {status}
          </p>
          <ApplicantForm
            groups={form.groups}
            values={values}
            errors={checked.errors}
            onChange={(name, value) => setValues((v) => ({ ...v, [name]: value }))}
          />
        </Panel>
        <div className="what-if-results">
          <AnswersPanel
            answers={score.value?.answers ?? null}
            start={startScore.value?.answers ?? null}
            status={status}
            backendMs={score.value?.backendMs ?? null}
          />
          <ErrorNote error={score.error ?? curve.error ?? flips.error ?? reasons.error} />
          <SensitivityPanel fields={form.fields} field={field} onField={setField} curve={curve.value} />
          <ReasonsPanel reasons={reasons.value} />
          <FlipsTable flips={flips.value} />
        </div>
      </div>
    </div>
  );
}

export function WhatIfPage() {
  const { client } = useApp();
  const [tab, setTab] = useState<'what-if' | 'batch'>('what-if');
  const [setup, setSetup] = useState<WhatIfSetup | null>(null);
  const [error, setError] = useState<{ code: string; message: string } | null>(null);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    client.call('whatIfSetup', {}).then(
      (value) => {
        setSetup(value);
        setError(null);
      },
      (caught: unknown) => setError(errorOf(caught)),
    );
  }, [client, attempt]);
  const load = () => setAttempt((n) => n + 1);
  return (
    <div className="page what-if-page">
      <div className="tabs" role="tablist" aria-label="What-if">
        <button type="button" role="tab" aria-selected={tab === 'what-if'} onClick={() => setTab('what-if')}>
          One applicant
        </button>
        <button type="button" role="tab" aria-selected={tab === 'batch'} onClick={() => setTab('batch')}>
          Batch scoring
        </button>
      </div>
      <ErrorNote error={error} onRetry={load} />
      {!setup && !error ? <p className="hint">Loading the models…</p> : null}
      {setup && tab === 'what-if' ? <WhatIfTab setup={setup} /> : null}
      {setup && tab === 'batch' ? <BatchTab setup={setup} /> : null}
    </div>
  );
}
