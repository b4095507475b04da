/** Save the form as a named scenario in the store, reload it later, or export it as JSON. */
import { useState } from 'react';
import type { WhatIfApplicant, WhatIfScenario } from '../../../console-api/types.ts';
import { useApp } from '../app-context.tsx';
import { errorOf } from '../stores/resource-store.ts';

function download(name: string, content: string) {
  const link = document.createElement('a');
  link.href = URL.createObjectURL(new Blob([content], { type: 'application/json' }));
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}

export function ScenarioBar(props: {
  applicant: WhatIfApplicant | null;
  origin: string;
  onSaved(scenarios: WhatIfScenario[]): void;
}) {
  const { client } = useApp();
  const [name, setName] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const save = async () => {
    if (!props.applicant) return setMessage('Fix the marked fields before saving.');
    if (!name.trim()) return setMessage('Give the scenario a name.');
    try {
      const result = await client.call('saveScenario', {
        name: name.trim(),
        applicant: props.applicant,
        origin: props.origin,
      });
      props.onSaved(result.scenarios);
      setMessage(`Saved "${name.trim()}".`);
    } catch (caught) {
      setMessage(errorOf(caught).message);
    }
  };
  return (
    <form
      className="scenario-bar"
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      <label htmlFor="scenario-name">Scenario name</label>
      <input id="scenario-name" value={name} maxLength={80} onChange={(event) => setName(event.target.value)} />
      <button type="submit" disabled={!props.applicant}>
        Save scenario
      </button>
      <button
        type="button"
        disabled={!props.applicant}
        onClick={() =>
          download(
            `${(name.trim() || 'what-if').replace(/[^A-Za-z0-9._-]/g, '_')}.json`,
            `${JSON.stringify({ name: name.trim() || null, origin: props.origin, applicant: props.applicant }, null, 2)}\n`,
          )
        }
      >
        Export JSON
      </button>
      {message ? (
        <span className="hint" role="status" data-testid="scenario-message">
          {message}
        </span>
      ) : null}
    </form>
  );
}
