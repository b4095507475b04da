/**
 * The heavy analyses of one period, run in the analysis worker (analysis-worker.ts), off the backend's own thread,
 * so the other pages keep answering while they read a million records: drift of the period's records against the
 * champion's reference (or an earlier period), per field and per window; and operational anomalies.
 */
import {
  analyzeDrift,
  detectAnomalies,
  type AnomalyAnalysis,
  driftConfig,
  driftFields,
  loadPackageReference,
  referenceFromColumns,
  type DriftAnalysis,
  type DriftReference,
  type MethodName,
} from '../../core/analysis/index.ts';
import type { FieldSpec } from '../../core/contract/index.ts';
import { openStore, type Store } from '../../db/index.ts';
import { ConsoleError } from '../../console-api/errors.ts';
import { ChampionDerived } from './reference.ts';
import { readColumnsSampled } from './sampled-columns.ts';

const DAY = 86_400_000;

export interface AnomaliesRequest {
  dbPath: string;
  from: number;
  to: number;
}

export interface DriftRequest {
  dbPath: string;
  modelsDir: string;
  from: number;
  to: number;
  reference?: { from?: number; to?: number };
  /** Read one hour in every `sampleStep` of the period (1: every record). */
  sampleStep: number;
  /**
   * Only these methods (the ones sketches cannot answer: KS, Wasserstein), over the number fields and the
   * prediction only; absent: every method over every field.
   */
  methods?: MethodName[];
}

/** Trend windows: about two dozen points whatever the period. */
export function windowFor(spanMs: number): 'hour' | 'day' | 'week' {
  if (spanMs <= 3 * DAY) return 'hour';
  if (spanMs <= 90 * DAY) return 'day';
  return 'week';
}

export class Analyser {
  private store: Store | null = null;
  /** The same file read on this thread only, for background work that should leave the other cores to the pages. */
  private serialStore: Store | null = null;
  private readonly champion = new ChampionDerived(async ({ pkg }) => ({
    reference: await loadPackageReference(pkg),
    fields: driftFields(pkg.schema.fields),
  }));

  private storeFor(dbPath: string): Store {
    if (this.store?.file !== dbPath) {
      this.store?.close();
      // Read-only: the backend writes; WAL lets this connection read every committed import meanwhile.
      this.store = openStore(dbPath, { readonly: true });
    }
    return this.store;
  }

  private serialStoreFor(dbPath: string): Store {
    if (this.serialStore?.file !== dbPath) {
      this.serialStore?.close();
      this.serialStore = openStore(dbPath, { readonly: true, readThreads: 1 });
    }
    return this.serialStore;
  }

  private championFor(modelsDir: string): Promise<{ reference: DriftReference; fields: FieldSpec[] }> {
    return this.champion.get(modelsDir);
  }

  async analyse(request: DriftRequest): Promise<DriftAnalysis> {
    const base = await this.championFor(request.modelsDir);
    const store = this.storeFor(request.dbPath);
    let reference = base.reference;
    if (request.reference) {
      const columns = store.readColumns({ ...request.reference, statuses: ['ok'] }, base.fields);
      if (columns.count === 0) throw new ConsoleError('NO_DATA_IN_RANGE');
      const label = `period from ${new Date(request.reference.from ?? 0).toISOString().slice(0, 16)}`;
      reference = referenceFromColumns(columns, label, 'period');
    }
    const methods = request.methods;
    // The KS and Wasserstein fill-in runs while people use the pages: one core reads, the other stays free for them.
    const current = readColumnsSampled(
      methods ? this.serialStoreFor(request.dbPath) : store,
      { from: request.from, to: request.to, statuses: ['ok'] },
      methods ? base.fields.filter((f) => f.kind !== 'category') : base.fields,
      request.sampleStep,
    );
    const config = driftConfig(methods ? { methods } : {});
    return analyzeDrift({ reference, current, config, window: windowFor(request.to - request.from) });
  }

  anomalies(request: AnomaliesRequest): AnomalyAnalysis {
    const range = { from: request.from, to: request.to };
    return detectAnomalies(this.storeFor(request.dbPath).readOperational(range), { window: 'hour' }, range);
  }

  close(): void {
    this.store?.close();
    this.serialStore?.close();
    this.store = null;
    this.serialStore = null;
  }
}
