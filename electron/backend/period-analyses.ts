/**
 * What the analysis worker (analysis-worker.ts) keeps between requests: the store handles and the champion package.
 * Every analysis of a stored period is core's analyseStoredPeriod (core/analysis/stored-period); this file only
 * opens the store the request names and hands it over, with the sketch table as the sketch-store port.
 */
import type { Database as SqliteDatabase } from 'better-sqlite3';
import {
  analyseStoredPeriod,
  buildSketches,
  completePending,
  detectAnomalies,
  driftConfig,
  type AnomalyAnalysis,
  type StoredPeriodAnalysis,
  type TimeRange,
} from '../../core/analysis/index.ts';
import type { ModelPackage } from '../../core/contract/index.ts';
import { DriftSketchTable, openSketchWriter, openStore, type Store } from '../../db/index.ts';
import { ConsoleError } from '../../console-api/errors.ts';
import { ChampionDerived } from './reference.ts';

export interface AnomaliesRequest {
  dbPath: string;
  from: number;
  to: number;
}

export interface PeriodRequest {
  dbPath: string;
  modelsDir: string;
  from: number;
  to: number;
  reference?: TimeRange;
  lane: 'exact' | 'sketch';
}

export interface CompleteRequest {
  dbPath: string;
  modelsDir: string;
  analysis: StoredPeriodAnalysis;
  /** Read one hour in every `sampleStep` of the period (1: every record). */
  sampleStep: number;
}

export interface SketchBuildRequest {
  dbPath: string;
  modelsDir: string;
  /** Hours to count at most in this call (the rest is left for the next one). */
  maxHours: number;
}

export class PeriodAnalyses {
  private store: Store | null = null;
  /** The same file read on this thread only, for background work that should leave the other cores to the pages. */
  private serialStore: Store | null = null;
  private writer: SqliteDatabase | null = null;
  private sketches: DriftSketchTable | null = null;
  private readonly champion = new ChampionDerived<ModelPackage>(({ pkg }) => Promise.resolve(pkg));

  private storeFor(dbPath: string): Store {
    if (this.store?.file !== dbPath) {
      this.store?.close();
      // Read-only: the backend writes; WAL lets this connection read every committed import meanwhile.
      this.store = openStore(dbPath, { readonly: true });
    }
    return this.store;
  }

  private serialStoreFor(dbPath: string): { store: Store; sketches: DriftSketchTable } {
    if (this.serialStore?.file !== dbPath || !this.sketches) {
      this.serialStore?.close();
      this.writer?.close();
      this.serialStore = openStore(dbPath, { readonly: true, readThreads: 1 });
      // The sketches are saved through a connection of their own; a store this process may not write to still
      // answers, from memory.
      try {
        this.writer = openSketchWriter(dbPath);
      } catch {
        this.writer = null;
      }
      this.sketches = new DriftSketchTable(this.serialStore.db, this.writer);
    }
    return { store: this.serialStore, sketches: this.sketches };
  }

  async period(request: PeriodRequest): Promise<StoredPeriodAnalysis> {
    const model = await this.champion.get(request.modelsDir);
    const sketchLane = request.lane === 'sketch' && !request.reference;
    // The sketch lane reads hours, not months: one core, leaving the others to the pages.
    const { store, sketches } = sketchLane
      ? this.serialStoreFor(request.dbPath)
      : { store: this.storeFor(request.dbPath), sketches: null };
    try {
      return await analyseStoredPeriod(store, sketches, {
        model,
        range: { from: request.from, to: request.to },
        ...(request.reference ? { referenceRange: request.reference } : {}),
        config: driftConfig(),
        window: 'auto',
        lane: sketchLane ? 'sketch' : 'exact',
      });
    } catch (error) {
      if (error instanceof Error && /reference period holds no scored records/.test(error.message)) {
        throw new ConsoleError('NO_DATA_IN_RANGE');
      }
      throw error;
    }
  }

  async complete(request: CompleteRequest): Promise<StoredPeriodAnalysis> {
    const model = await this.champion.get(request.modelsDir);
    // The fill-in runs while people use the pages: one core reads, the other stays free for them.
    const { store } = this.serialStoreFor(request.dbPath);
    return completePending(store, request.analysis, { model, config: driftConfig(), sampleStep: request.sampleStep });
  }

  async buildSketches(request: SketchBuildRequest): Promise<{ counted: number; remaining: boolean }> {
    const model = await this.champion.get(request.modelsDir);
    const { store, sketches } = this.serialStoreFor(request.dbPath);
    return buildSketches(store, sketches, model, request.maxHours);
  }

  anomalies(request: AnomaliesRequest): AnomalyAnalysis {
    const range = { from: request.from, to: request.to };
    return detectAnomalies(this.storeFor(request.dbPath).readOperational(range), { window: 'hour' }, range);
  }

  close(): void {
    this.store?.close();
    this.serialStore?.close();
    this.writer?.close();
    this.store = null;
    this.serialStore = null;
    this.writer = null;
    this.sketches = null;
  }
}
