/**
 * Alert rules after every change to the store (`vigie ingest`, `vigie pull`, `vigie labels import`): every rule over
 * the whole stored period, the alerts' state updated, firing and resolved events sent to the webhook.
 */
import { applyFindings, evaluateStoredPeriod } from '../../core/alerts/index.ts';
import { AlertTable, OutcomeTable, type Store } from '../../db/index.ts';
import { storedDriftProbe } from './alert-drift.ts';
import { loadValidation } from './performance.ts';

export async function evaluateAfterChange(store: Store, trigger: string, modelsDir = 'models'): Promise<void> {
  const alerts = new AlertTable(store.db);
  const evaluation = await evaluateStoredPeriod(
    {
      performance: new OutcomeTable(store.db),
      records: store,
      drift: storedDriftProbe(store, modelsDir),
      validation: await loadValidation(modelsDir),
    },
    alerts.alertSettings(),
  );
  if (!evaluation) return;
  const { events, deliveries } = await applyFindings(alerts, evaluation.findings, evaluation, trigger);
  const firing = events.filter((e) => e.event === 'firing').length;
  const resolved = events.length - firing;
  if (events.length)
    process.stderr.write(`vigie: alerts after ${trigger}: ${firing} new firing, ${resolved} resolved\n`);
  for (const d of deliveries.filter((x) => x.status === 'failed')) {
    process.stderr.write(
      `vigie: webhook delivery of alert ${d.alertId} failed after ${d.attempts} tries: ${d.error}\n`,
    );
  }
}
