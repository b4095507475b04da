import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine, type ScoringEngine } from '../../../core/engine/index.ts';
import { readRegistry } from '../../../core/registry/index.ts';
import { readGolden } from './fixture-models.ts';

const MODELS_DIR = fileURLToPath(new URL('../../../models', import.meta.url));
const hasRegistry = existsSync(path.join(MODELS_DIR, 'registry.json'));
const registry = hasRegistry ? await readRegistry(MODELS_DIR) : null;
const packages = registry
  ? Object.entries(registry.models).flatMap(([name, model]) =>
      Object.entries(model.versions).map(([version, entry]) => ({
        name,
        version,
        dir: path.join(MODELS_DIR, entry.path),
      })),
    )
  : [];

let engine: ScoringEngine | null = null;
afterEach(async () => {
  await engine?.close();
  engine = null;
});

describe.skipIf(!hasRegistry)('committed model packages (skipped: models/registry.json does not exist yet)', () => {
  it.each(packages)('$name $version scores its golden.jsonl to within 1e-5', async ({ dir }) => {
    engine = await createEngine({ modelsDir: MODELS_DIR, champion: dir, fallback: null, workers: 1 });
    const golden = readGolden(dir);
    expect(golden.length).toBeGreaterThan(0);
    const applicants = golden.map((row) => {
      const checked = engine!.schema.validate(row.input);
      if (!checked.ok) throw new Error(`golden applicant invalid: ${checked.issues[0]!.message}`);
      return checked.value;
    });
    const results = await engine.scoreMany(applicants);
    const worst = Math.max(
      ...results.map((result, i) => Math.abs(result.probability - golden[i]!.expected_probability)),
    );
    expect(results.every((result) => result.served_by === 'champion')).toBe(true);
    expect(worst).toBeLessThan(1e-5);
  });

  it('the champion scores golden applicants one by one through the micro-batcher like the batch path', async () => {
    engine = await createEngine({ modelsDir: MODELS_DIR, workers: 2 });
    const champion = engine.describe().models[0]!;
    const golden = readGolden(champion.dir).slice(0, 100);
    const singles = await Promise.all(golden.map((row) => engine!.score(row.input)));
    singles.forEach((result, i) =>
      expect(Math.abs(result.probability - golden[i]!.expected_probability)).toBeLessThan(1e-5),
    );
  });
});
