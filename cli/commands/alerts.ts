/** `vigie alerts`: the stored alerts with their state, acknowledging one, and the rules' thresholds and webhook. */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { parseAlertSettings } from '../../core/alerts/index.ts';
import { AlertTable } from '../../db/index.ts';
import { CliError } from '../errors.ts';
import { integerOption } from '../options.ts';
import { openStoreForWriting } from './ingest.ts';
import { openExistingStore } from './drift.ts';

const when = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');

export function register(program: Command): void {
  const alerts = program.command('alerts').description('Alerts raised by the rules: list, acknowledge, settings.');

  alerts
    .command('list')
    .description('List the stored alerts (firing first) and the latest webhook deliveries')
    .requiredOption('--db <file>', 'log store (SQLite)')
    .option('--state <state>', 'only firing, resolved or acknowledged alerts')
    .option('--json', 'print JSON on stdout')
    .action(async (flags: { db: string; state?: string; json?: boolean }) => {
      if (flags.state && !['firing', 'resolved', 'acknowledged'].includes(flags.state)) {
        throw new CliError(`--state must be firing, resolved or acknowledged, got "${flags.state}"`);
      }
      const store = await openExistingStore(flags.db);
      try {
        const table = new AlertTable(store.db);
        const list = table.list({ state: flags.state });
        const deliveries = table.deliveries(20);
        if (flags.json) {
          process.stdout.write(`${JSON.stringify({ alerts: list, deliveries })}\n`);
          return;
        }
        const lines = list.map(
          (a) =>
            `#${a.id} ${a.state.padEnd(12)} ${a.severity.padEnd(8)} ${a.rule.padEnd(23)} ${when(a.periodStart)}  ${a.message}`,
        );
        for (const d of deliveries) {
          lines.push(
            `delivery ${when(d.deliveredAt)} alert #${d.alertId} ${d.event} to ${d.target}: ${d.status} (${d.attempts} tries${d.error ? `, ${d.error}` : ''})`,
          );
        }
        process.stdout.write(`${lines.length ? lines.join('\n') : 'no alerts'}\n`);
      } finally {
        store.close();
      }
    });

  alerts
    .command('ack <id>')
    .description('Acknowledge a firing alert: it stays acknowledged while it keeps firing')
    .requiredOption('--db <file>', 'log store (SQLite)')
    .action((raw: string, flags: { db: string }) => {
      const id = integerOption(1)(raw);
      const store = openStoreForWriting(flags.db);
      try {
        const alert = new AlertTable(store.db).acknowledge(id);
        if (!alert) throw new CliError(`no alert #${id} in ${flags.db} (see vigie alerts list)`);
        if (alert.state !== 'acknowledged') throw new CliError(`alert #${id} is ${alert.state}, not firing`);
        process.stdout.write(`alert #${id} acknowledged\n`);
      } finally {
        store.close();
      }
    });

  alerts
    .command('settings')
    .description(
      'Print the alert settings, or replace them with --set (a JSON file; omitted entries keep their defaults)',
    )
    .requiredOption('--db <file>', 'log store (SQLite)')
    .option('--set <file>', 'JSON file with rules, fairnessSegments, sustainedWindows, webhookUrl, webhookAttempts')
    .action(async (flags: { db: string; set?: string }) => {
      const store = openStoreForWriting(flags.db);
      try {
        const table = new AlertTable(store.db);
        if (flags.set) {
          let document: unknown;
          try {
            document = JSON.parse(await readFile(flags.set, 'utf8'));
          } catch (error) {
            throw new CliError(`--set ${flags.set}: not a readable JSON file (${(error as Error).message})`);
          }
          const parsed = parseAlertSettings(document);
          if (!parsed.ok) {
            throw new CliError(
              `--set ${flags.set}: ${parsed.issues.map((i) => `${i.path || 'document'} ${i.message}`).join('; ')}`,
            );
          }
          table.saveAlertSettings(parsed.value);
        }
        process.stdout.write(`${JSON.stringify(table.alertSettings(), null, 2)}\n`);
      } finally {
        store.close();
      }
    });
}
