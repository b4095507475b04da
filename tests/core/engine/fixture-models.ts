/** Copies of the fixture model packages (tests/fixtures/models) in a temp dir, and their golden applicants. */
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach } from 'vitest';
import type { Applicant } from '../../../core/contract/index.ts';
import { createEngine, type EngineOptions, type ScoringEngine } from '../../../core/engine/index.ts';

export const FIXTURE_MODELS = fileURLToPath(new URL('../../fixtures/models', import.meta.url));

export interface FixtureModels {
  modelsDir: string;
  packageDir(version: '1' | '2' | '3'): string;
  cleanup(): void;
}

export function copyFixtureModels(): FixtureModels {
  const root = mkdtempSync(path.join(tmpdir(), 'vigie-engine-'));
  const modelsDir = path.join(root, 'models');
  cpSync(FIXTURE_MODELS, modelsDir, { recursive: true, filter: (source) => !source.endsWith('.py') });
  return {
    modelsDir,
    packageDir: (version) => path.join(modelsDir, 'fixture-credit', version),
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

export interface GoldenRow {
  input: Applicant;
  expected_probability: number;
}

export function readGolden(packageDir: string): GoldenRow[] {
  return readFileSync(path.join(packageDir, 'golden.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as GoldenRow);
}

/** A valid applicant whose AMT_CREDIT triggers a fault of fixture version 3 (see generate.py). */
export function withCredit(applicant: Applicant, credit: number): Applicant {
  return { ...applicant, AMT_CREDIT: credit };
}

/**
 * AMT_CREDIT values that make fixture 3 throw at run time, or stall: 600 rounds of a 384x384 MatMul, about 0.4 s on
 * an idle core — long enough that the tests' 20–50 ms waits and deadlines always fall inside the run, however fast
 * the machine (60 rounds finished before them on an idle CI box).
 */
export const THROWING_CREDIT = 4_200_000;
export const SLOW_CREDIT = 6e10;

export interface EngineFixture {
  /** This test's copy of the fixture packages. */
  readonly models: FixtureModels;
  /** createEngine, closed after the test. */
  createEngine(options?: EngineOptions): Promise<ScoringEngine>;
}

/** Registers the beforeEach that copies the fixture packages and the afterEach that closes engines and removes them. */
export function useEngineFixture(): EngineFixture {
  let models: FixtureModels | null = null;
  const engines: ScoringEngine[] = [];
  beforeEach(() => {
    models = copyFixtureModels();
  });
  afterEach(async () => {
    for (const engine of engines.splice(0)) await engine.close();
    models?.cleanup();
    models = null;
  });
  return {
    get models() {
      if (!models) throw new Error('useEngineFixture: used outside a test');
      return models;
    },
    async createEngine(options) {
      const engine = await createEngine(options);
      engines.push(engine);
      return engine;
    },
  };
}
