import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { BatchEvent } from '../../../core/engine/index.ts';
import { readGolden, useEngineFixture } from './fixture-models.ts';

const fx = useEngineFixture();
const MODELS_DIR = fileURLToPath(new URL('../../../models', import.meta.url));

describe('lone applicants on the caller thread (loneApplicantsInline)', () => {
  it('gives bit-identical probabilities to the worker path, one applicant at a time', async () => {
    const events: BatchEvent[] = [];
    const options = { modelsDir: fx.models.modelsDir, fallback: null, workers: 1 };
    const workers = await fx.createEngine(options);
    const inline = await fx.createEngine({
      ...options,
      loneApplicantsInline: true,
      observer: { batch: (event) => events.push(event) },
    });
    for (const row of readGolden(fx.models.packageDir('1'))) {
      const expected = await workers.score(row.input);
      const actual = await inline.score(row.input);
      expect(actual.probability).toBe(expected.probability);
      expect(actual.decision).toBe(expected.decision);
      expect(actual.served_by).toBe('champion');
    }
    // Scored where it was asked: no hand-off to a worker and back.
    expect(events.length).toBeGreaterThan(0);
    for (const event of events) expect([event.stages!.transferMs, event.stages!.returnMs]).toEqual([0, 0]);
  });

  it.skipIf(!existsSync(path.join(MODELS_DIR, 'registry.json')))(
    'gives the champion package the same bits as its workers, and applicants arriving together still batch',
    async () => {
      const options = { modelsDir: MODELS_DIR, fallback: null, workers: 2 };
      const workers = await fx.createEngine(options);
      const sizes: number[] = [];
      const inline = await fx.createEngine({
        ...options,
        loneApplicantsInline: true,
        observer: { batch: (event) => sizes.push(event.size) },
      });
      const golden = readGolden(workers.describe().models[0]!.dir).slice(0, 200);
      for (const row of golden.slice(0, 50)) {
        expect((await inline.score(row.input)).probability).toBe((await workers.score(row.input)).probability);
      }
      sizes.length = 0;
      const together = await Promise.all(golden.map((row) => inline.score(row.input)));
      expect(Math.max(...sizes)).toBeGreaterThan(1);
      const applicants = golden.map((row) => {
        const checked = workers.schema.validate(row.input);
        if (!checked.ok) throw new Error(`golden applicant invalid: ${checked.issues[0]!.message}`);
        return checked.value;
      });
      const batch = await workers.scoreMany(applicants);
      expect(together.map((r) => r.probability)).toEqual(batch.map((r) => r.probability));
    },
  );

  it('opens the caller-thread session in a process run through tsx, as the CLI runs, without falling back', async () => {
    const engineUrl = new URL('../../../core/engine/index.ts', import.meta.url).href;
    const script = `
      const { createEngine } = await import(${JSON.stringify(engineUrl)});
      const notes = [];
      const stages = [];
      const engine = await createEngine({
        modelsDir: ${JSON.stringify(fx.models.modelsDir)}, fallback: null, workers: 1, loneApplicantsInline: true,
        log: (note) => notes.push(note), observer: { batch: (event) => stages.push(event.stages) },
      });
      const [row] = ${JSON.stringify(readGolden(fx.models.packageDir('1')).slice(0, 1))};
      const result = await engine.score(row.input);
      await engine.close();
      console.log(JSON.stringify({ notes, transfer: stages.at(-1).transferMs, probability: result.probability }));
    `;
    const { stdout } = await promisify(execFile)(process.execPath, [
      '--import',
      'tsx',
      '--input-type=module',
      '-e',
      script,
    ]);
    const report = JSON.parse(stdout.trim().split('\n').pop()!) as { notes: string[]; transfer: number };
    expect(report.notes).toEqual([]);
    expect(report.transfer).toBe(0);
  });
});
