/** Overview: what the period's inference cost, from the latencies the API logged, at the prices set on Profiling. */
import { useCallback, useState } from 'react';
import type { MethodOutput, TimeRange } from '../../../console-api/types.ts';
import { useApp } from '../app-context.tsx';
import { formatMoney, loadPrices } from '../prices.ts';
import { useLoadOnRange } from '../use-range.ts';
import { Panel, Stat } from './common.tsx';

export function InferenceCostPanel() {
  const { client } = useApp();
  const [data, setData] = useState<MethodOutput<'apiSplit'> | null>(null);
  const prices = loadPrices();
  const load = useCallback(
    (range: TimeRange) =>
      void client
        .call('apiSplit', { range, prices: loadPrices() })
        .then(setData)
        .catch(() => setData(null)),
    [client],
  );
  useLoadOnRange(load);
  if (!data || data.cost.requests === 0) return null;
  const c = data.cost;
  return (
    <Panel
      title="Inference cost"
      subtitle={`logged inference time priced at ${prices.coreHour} ${prices.currency} per core-hour (change it on Profiling)`}
    >
      <div className="stats" data-testid="inference-cost">
        <Stat
          label="Cost in this period"
          value={formatMoney(c.cost, c.currency)}
          hint={`${c.requests.toLocaleString('en')} scored requests`}
        />
        <Stat label="Cost per 1 000 predictions" value={formatMoney(c.costPer1000, c.currency)} />
        <Stat
          label="Inference core-seconds"
          value={c.inferenceCoreSeconds.toFixed(1)}
          hint="HTTP, validation and logging left out"
        />
      </div>
    </Panel>
  );
}
