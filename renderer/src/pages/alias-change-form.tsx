/** Promote or roll back an alias: a reason is required, and nothing changes until the person confirms. */
import { useState } from 'react';
import type { AliasHistoryView, ModelsResult } from '../../../console-api/models-profiling.ts';
import { useApp } from '../app-context.tsx';
import { ErrorNote, Panel } from '../components/common.tsx';
import { errorOf } from '../stores/resource-store.ts';

export function AliasChangeForm({ data, onChanged }: { data: ModelsResult; onChanged: () => void }) {
  const { client } = useApp();
  const models = [...new Set(data.versions.map((v) => v.name))];
  const [model, setModel] = useState(models[0] ?? '');
  const [action, setAction] = useState<'promote' | 'rollback'>('promote');
  const aliases = Object.keys(data.rollbackTargets[model] ?? {});
  const [alias, setAlias] = useState(aliases.includes('champion') ? 'champion' : (aliases[0] ?? 'champion'));
  const versions = data.versions.filter((v) => v.name === model).map((v) => v.version);
  const [version, setVersion] = useState(versions[0] ?? '');
  const [reason, setReason] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ code: string; message: string } | null>(null);
  const [done, setDone] = useState<AliasHistoryView | null>(null);

  const current = data.versions.find((v) => v.name === model && v.aliases.includes(alias))?.version ?? null;
  const target = action === 'promote' ? version : (data.rollbackTargets[model]?.[alias] ?? null);
  const summary =
    action === 'promote'
      ? `Point ${alias} of ${model} at version ${version} (now ${current ?? 'unset'}).`
      : target
        ? `Roll ${alias} of ${model} back from version ${current ?? 'unset'} to version ${target}.`
        : `${alias} has no earlier version to roll back to.`;

  const ask = () => {
    setError(null);
    setDone(null);
    if (reason.trim() === '') {
      setError({ code: 'INVALID_INPUT', message: 'Write a reason: every promotion and rollback records why.' });
      return;
    }
    setConfirming(true);
  };

  const confirm = async () => {
    setBusy(true);
    try {
      const entry = await client.call('changeAlias', {
        action,
        model,
        alias,
        reason,
        ...(action === 'promote' ? { version } : {}),
      });
      setDone(entry);
      setReason('');
      onChanged();
    } catch (caught) {
      setError(errorOf(caught));
    } finally {
      setBusy(false);
      setConfirming(false);
    }
  };

  return (
    <Panel title="Change an alias" subtitle="promote a version or roll an alias back; recorded in the history">
      <form
        className="inline-form"
        onSubmit={(event) => {
          event.preventDefault();
          ask();
        }}
      >
        {models.length > 1 ? (
          <label>
            Model{' '}
            <select value={model} onChange={(event) => setModel(event.target.value)}>
              {models.map((name) => (
                <option key={name}>{name}</option>
              ))}
            </select>
          </label>
        ) : null}
        <label>
          Action{' '}
          <select
            value={action}
            onChange={(event) => {
              setAction(event.target.value as 'promote' | 'rollback');
              setConfirming(false);
            }}
          >
            <option value="promote">Promote</option>
            <option value="rollback">Roll back</option>
          </select>
        </label>
        <label>
          Alias{' '}
          <select value={alias} onChange={(event) => setAlias(event.target.value)}>
            {aliases.map((name) => (
              <option key={name}>{name}</option>
            ))}
          </select>
        </label>
        {action === 'promote' ? (
          <label>
            Version{' '}
            <select value={version} onChange={(event) => setVersion(event.target.value)}>
              {versions.map((v) => (
                <option key={v}>{v}</option>
              ))}
            </select>
          </label>
        ) : null}
        <label className="wide">
          Reason (required){' '}
          <input
            type="text"
            value={reason}
            maxLength={2000}
            onChange={(event) => setReason(event.target.value)}
            placeholder="why the alias changes"
          />
        </label>
        <button type="submit" className="primary" disabled={busy}>
          {action === 'promote' ? 'Promote…' : 'Roll back…'}
        </button>
      </form>
      {confirming ? (
        <div className="notice" role="alertdialog" aria-label="Confirm the alias change">
          <p>{summary}</p>
          <p>Reason: {reason}</p>
          <p className="hint">{data.reloadRule}</p>
          <button type="button" className="primary" disabled={busy || !target} onClick={() => void confirm()}>
            {action === 'promote' ? 'Confirm promotion' : 'Confirm rollback'}
          </button>{' '}
          <button type="button" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </div>
      ) : null}
      {done ? (
        <p className="notice" role="status" data-testid="alias-changed">
          {done.alias} of {done.model}: {done.from ?? '–'} → {done.to} ({done.action}). {data.reloadRule}
        </p>
      ) : null}
      <ErrorNote error={error} />
    </Panel>
  );
}
