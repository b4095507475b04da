/** Profiling: variants × providers × batch sizes × workers, run in the backend with progress and Cancel; saved runs. */
import { useCallback, useEffect, useState } from 'react';
import type { GraphOptimizationLevel, ProviderInfo, SavedProfileRun } from '../../../console-api/models-profiling.ts';
import { newOperationId } from '../api/client.ts';
import { useApp, useSlice } from '../app-context.tsx';
import { ErrorNote, Panel, ProgressBar } from '../components/common.tsx';
import { loadPrices, savePrices } from '../prices.ts';
import { errorOf } from '../stores/resource-store.ts';
import { ProfileRunView } from './profile-run-view.tsx';

const LEVELS: GraphOptimizationLevel[] = ['disabled', 'basic', 'extended', 'all'];

function parseList(raw: string, min: number, max: number, what: string): number[] | string {
  const parts = raw
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
  if (parts.length === 0) return `${what}: give at least one, separated by commas.`;
  const values = parts.map(Number);
  const bad = parts.find((part, i) => !Number.isInteger(values[i]) || values[i]! < min || values[i]! > max);
  if (bad !== undefined)
    return `${what} must be whole numbers from ${min} to ${max}, separated by commas ("${bad}" is not).`;
  return [...new Set(values)];
}

function toggle<T>(list: T[], item: T): T[] {
  return list.includes(item) ? list.filter((x) => x !== item) : [...list, item];
}

export function ProfilingPage() {
  const { client, operations } = useApp();
  const [providers, setProviders] = useState<ProviderInfo[]>([]);
  const [variants, setVariants] = useState<string[]>([]);
  const [models, setModels] = useState<string[]>(['champion', 'challenger']);
  const [chosenProviders, setChosenProviders] = useState<string[]>(['cpu']);
  const [batchSizes, setBatchSizes] = useState('1,64,4096');
  const [workers, setWorkers] = useState('1');
  const [levels, setLevels] = useState<GraphOptimizationLevel[]>(['all']);
  const [duration, setDuration] = useState('1');
  const [threads, setThreads] = useState('');
  const [prices, setPrices] = useState(loadPrices);
  const [runs, setRuns] = useState<SavedProfileRun[]>([]);
  const [selected, setSelected] = useState<string | null>(null);
  const [against, setAgainst] = useState<string | null>(null);
  const [operationId, setOperationId] = useState<string | null>(null);
  const [error, setError] = useState<{ code: string; message: string } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const progress = useSlice(operations, (s) => (operationId ? s.operations[operationId] : undefined));

  const loadRuns = useCallback(async () => {
    const list = await client.call('listProfileRuns', {});
    setRuns(list.runs);
    return list.runs;
  }, [client]);

  useEffect(() => {
    void client
      .call('listProviders', {})
      .then((r) => setProviders(r.providers))
      .catch((e) => setError(errorOf(e)));
    void client
      .call('listModels', {})
      .then((r) => {
        const aliases = [...new Set(r.versions.flatMap((v) => v.aliases))];
        setVariants([...aliases, ...r.versions.map((v) => v.version)]);
      })
      .catch((e) => setError(errorOf(e)));
    void client
      .call('listProfileRuns', {})
      .then((list) => {
        setRuns(list.runs);
        setSelected((current) => current ?? list.runs[0]?.id ?? null);
      })
      .catch(() => undefined);
  }, [client]);

  const start = async () => {
    setError(null);
    setNotice(null);
    const sizes = parseList(batchSizes, 1, 65_536, 'Batch sizes');
    const workerList = parseList(workers, 1, 64, 'Workers');
    const seconds = Number(duration);
    const threadCount = threads.trim() === '' ? undefined : Number(threads);
    const problem =
      models.length === 0
        ? 'Choose at least one variant.'
        : chosenProviders.length === 0
          ? 'Choose at least one execution provider.'
          : levels.length === 0
            ? 'Choose at least one graph optimisation level.'
            : typeof sizes === 'string'
              ? sizes
              : typeof workerList === 'string'
                ? workerList
                : threadCount !== undefined && !(Number.isInteger(threadCount) && threadCount >= 1 && threadCount <= 64)
                  ? 'Threads per worker must be a whole number from 1 to 64, or empty for cores ÷ workers.'
                  : !(seconds >= 0.05 && seconds <= 60)
                    ? 'Seconds per measurement must be a number from 0.05 to 60.'
                    : !(prices.coreHour >= 0 && prices.gpuHour >= 0)
                      ? 'Prices must be zero or more.'
                      : null;
    if (problem || typeof sizes === 'string' || typeof workerList === 'string') {
      setError({ code: 'INVALID_INPUT', message: problem ?? '' });
      return;
    }
    savePrices(prices);
    const id = newOperationId('profile');
    setOperationId(id);
    try {
      const saved = await client.call(
        'runProfile',
        {
          models,
          providers: chosenProviders,
          batchSizes: sizes,
          workers: workerList,
          graphOptimizationLevels: levels,
          ...(threadCount === undefined ? {} : { intraOpThreads: threadCount }),
          durationS: seconds,
          prices,
        },
        id,
      );
      await loadRuns();
      setSelected(saved.id);
      setNotice(`Profiling run finished and saved (${saved.finishedAt.replace('T', ' ').slice(0, 19)} UTC).`);
    } catch (caught) {
      const failure = errorOf(caught);
      if (failure.code === 'OPERATION_CANCELLED') setNotice('Profiling run cancelled: nothing was saved.');
      else setError(failure);
    } finally {
      setOperationId(null);
    }
  };

  const running = operationId !== null;
  return (
    <div className="page profiling">
      <Panel title="Execution providers" subtitle="what this onnxruntime-node build offers on this machine">
        <ul className="providers" aria-label="Execution providers">
          {providers.map((p) => (
            <li key={p.name} data-testid={`provider-${p.name}`}>
              <strong>{p.name}</strong>:{' '}
              {p.offered
                ? p.bundled
                  ? 'offered (bundled); a run says whether it starts here'
                  : 'offered, needs its libraries installed on this machine'
                : 'not in this build'}
            </li>
          ))}
        </ul>
      </Panel>
      <Panel title="New profiling run" subtitle="each cell loads the variant fresh and checks parity before timing">
        <form
          className="profile-form"
          onSubmit={(event) => {
            event.preventDefault();
            void start();
          }}
        >
          <fieldset>
            <legend>Variants</legend>
            {variants.map((v) => (
              <label key={v}>
                <input type="checkbox" checked={models.includes(v)} onChange={() => setModels(toggle(models, v))} />{' '}
                {/^\d+$/.test(v) ? `version ${v}` : v}
              </label>
            ))}
          </fieldset>
          <fieldset>
            <legend>Execution providers</legend>
            {providers.map((p) => (
              <label key={p.name}>
                <input
                  type="checkbox"
                  checked={chosenProviders.includes(p.name)}
                  onChange={() => setChosenProviders(toggle(chosenProviders, p.name))}
                />{' '}
                {p.name}
              </label>
            ))}
          </fieldset>
          <fieldset>
            <legend>Graph optimisation</legend>
            {LEVELS.map((level) => (
              <label key={level}>
                <input
                  type="checkbox"
                  checked={levels.includes(level)}
                  onChange={() => setLevels(toggle(levels, level))}
                />{' '}
                {level}
              </label>
            ))}
          </fieldset>
          <label>
            Batch sizes <input value={batchSizes} onChange={(e) => setBatchSizes(e.target.value)} />
          </label>
          <label>
            Workers <input value={workers} onChange={(e) => setWorkers(e.target.value)} />
          </label>
          <label>
            Threads per worker{' '}
            <input value={threads} placeholder="cores ÷ workers" onChange={(e) => setThreads(e.target.value)} />
          </label>
          <label>
            Seconds per measurement <input value={duration} onChange={(e) => setDuration(e.target.value)} />
          </label>
          <label>
            Price per core-hour{' '}
            <input
              type="number"
              min={0}
              step="any"
              value={prices.coreHour}
              onChange={(e) => setPrices({ ...prices, coreHour: Number(e.target.value) })}
            />
          </label>
          <label>
            Price per GPU-hour{' '}
            <input
              type="number"
              min={0}
              step="any"
              value={prices.gpuHour}
              onChange={(e) => setPrices({ ...prices, gpuHour: Number(e.target.value) })}
            />
          </label>
          <button type="submit" className="primary" disabled={running}>
            {running ? 'Profiling…' : 'Run profiling'}
          </button>
        </form>
        {running ? (
          <div className="row-actions" data-testid="profile-progress">
            <ProgressBar fraction={progress?.fraction ?? 0} label={progress?.message || 'Starting the profiling run'} />
            <button
              type="button"
              onClick={() => void client.call('cancel', { operationId: operationId! }).catch(() => undefined)}
            >
              Cancel profiling
            </button>
          </div>
        ) : null}
        {notice ? (
          <p className="notice" role="status" data-testid="profile-notice">
            {notice}
          </p>
        ) : null}
        <ErrorNote error={error} />
      </Panel>
      <Panel title="Saved runs" subtitle="pick a run, and another to compare it with">
        {runs.length === 0 ? (
          <p className="hint">No profiling run saved yet.</p>
        ) : (
          <div className="inline-form">
            <label>
              Run{' '}
              <select value={selected ?? ''} onChange={(e) => setSelected(e.target.value)} aria-label="Run">
                {runs.map((r) => (
                  <option key={r.id} value={r.id}>
                    {r.finishedAt.replace('T', ' ').slice(0, 19)} · {r.models} · {r.providers} · load {r.loadAverage}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Compare with{' '}
              <select
                value={against ?? ''}
                onChange={(e) => setAgainst(e.target.value || null)}
                aria-label="Compare with"
              >
                <option value="">(none)</option>
                {runs
                  .filter((r) => r.id !== selected)
                  .map((r) => (
                    <option key={r.id} value={r.id}>
                      {r.finishedAt.replace('T', ' ').slice(0, 19)} · {r.models} · {r.providers}
                    </option>
                  ))}
              </select>
            </label>
          </div>
        )}
      </Panel>
      {selected ? <ProfileRunView id={selected} against={against} /> : null}
    </div>
  );
}
