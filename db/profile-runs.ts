/** Saved profiling runs (migration profile-runs) and the API's per-hour latency split, read from the predictions. */
import type Database from 'better-sqlite3';
import type { ApiSplitHour, ApiSplitSource, ProfileResult } from '../core/profiling/index.ts';

export interface SavedRunSummary {
  id: string;
  startedAt: string;
  finishedAt: string;
  models: string;
  providers: string;
  cpuModel: string;
  loadAverage: number;
}

const HOUR_MS = 3_600_000;

export class ProfileRunTable implements ApiSplitSource {
  private readonly insert: Database.Statement;
  private readonly list: Database.Statement;
  private readonly one: Database.Statement;
  private readonly split: Database.Statement;

  constructor(db: Database.Database) {
    this.insert = db.prepare(`INSERT INTO profile_runs
      (id, started_at, finished_at, models, providers, cpu_model, load_average, result_json)
      VALUES (@id, @startedAt, @finishedAt, @models, @providers, @cpuModel, @loadAverage, @resultJson)`);
    this.list = db.prepare(`SELECT id, started_at AS startedAt, finished_at AS finishedAt, models, providers,
      cpu_model AS cpuModel, load_average AS loadAverage FROM profile_runs ORDER BY finished_at DESC LIMIT 200`);
    this.one = db.prepare('SELECT result_json FROM profile_runs WHERE id = ?');
    this.split = db.prepare(`SELECT (ts / ${HOUR_MS}) * ${HOUR_MS} AS hour, count(*) AS requests,
      avg(latency_queue_ms) AS queue_ms, avg(latency_inference_ms) AS inference_ms, avg(latency_total_ms) AS total_ms
      FROM predictions WHERE status = 'ok' AND ts >= @from AND ts < @to GROUP BY 1 ORDER BY 1`);
  }

  /** Saves a finished run in one statement: there is no partial state to clean up. */
  save(id: string, result: ProfileResult): SavedRunSummary {
    const summary: SavedRunSummary = {
      id,
      startedAt: result.startedAt,
      finishedAt: result.finishedAt,
      models: result.request.models.join(', '),
      providers: result.request.providers.join(', '),
      cpuModel: result.machine.cpu_model,
      loadAverage: result.machine.load_average[0],
    };
    this.insert.run({ ...summary, resultJson: JSON.stringify(result) });
    return summary;
  }

  runs(): SavedRunSummary[] {
    return this.list.all() as SavedRunSummary[];
  }

  run(id: string): ProfileResult | null {
    const row = this.one.get(id) as { result_json: string } | undefined;
    return row ? (JSON.parse(row.result_json) as ProfileResult) : null;
  }

  apiSplitByHour(range: { from?: number; to?: number }): ApiSplitHour[] {
    return this.split.all({ from: range.from ?? 0, to: range.to ?? 8.64e15 }) as ApiSplitHour[];
  }
}
