import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../electron/backend/api/dispatch.ts';
import { METHODS } from '../../electron/backend/api/methods.ts';
import { createServices, type Services } from '../../electron/backend/services.ts';
import type { ChallengerResult } from '../../console-api/types.ts';
import { logRecord, tempConsole } from './helpers.ts';

const START = Date.UTC(2026, 10, 20);

/** Records answered by the fixture champion's threshold, every third with a logged shadow answer. */
function writeRecords(dir: string, count: number): string {
  const lines = Array.from({ length: count }, (_, i) => {
    const probability = 0.02 + (i % 20) / 100;
    const decision = probability >= 0.11 ? 'refuse' : 'approve';
    const shadow =
      i % 3 === 0
        ? {
            shadow: {
              model: { name: 'fixture-credit', version: '3', alias: 'challenger' },
              probability: probability + 0.02,
              decision: probability + 0.02 >= 0.11 ? 'refuse' : 'approve',
              latency_ms: 0.4,
            },
          }
        : {};
    return JSON.stringify({
      ...logRecord(i, START + i * 60_000, shadow),
      output: { probability, decision, threshold: 0.11 },
    });
  });
  const file = join(dir, 'records.jsonl');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

describe('Challenger methods over the real backend', () => {
  let fixture: ReturnType<typeof tempConsole>;
  let services: Services;

  beforeEach(async () => {
    fixture = tempConsole();
    services = createServices(fixture.config, null, () => undefined);
    const api = createDispatcher(METHODS, services, () => undefined);
    await api.call('i', 'importFiles', { paths: [writeRecords(fixture.dir, 300)] });
  });

  afterEach(() => {
    services.close();
    fixture.cleanup();
  });

  const api = () => createDispatcher(METHODS, services, () => undefined);

  it('lists the registry aliases and versions and counts the logged shadow answers', async () => {
    const result = await api().call('c', 'challengerCandidates', {});
    expect(result).toMatchObject({ ok: true, value: { shadowRecords: 100, armRecords: 0 } });
    const refs = (result as { value: { models: Array<{ ref: string }> } }).value.models.map((m) => m.ref);
    expect(refs).toEqual(expect.arrayContaining(['champion', 'fallback', 'challenger', '1', '2', '3']));
  });

  it('replays the period against a model and returns the report with its HTML', async () => {
    const result = await api().call('r', 'challengerReplay', { candidate: 'fallback' });
    expect(result.ok).toBe(true);
    const { report, html, store } = (result as { value: ChallengerResult }).value;
    expect(report.requests).toBe(300);
    expect(report.compared).toBe(300);
    expect(report.flips.total).toBe(300);
    expect(html).toContain('Challenger report');
    expect(store).toBe(fixture.config.dbPath);
  });

  it('compares the shadow answers the logs hold', async () => {
    const result = await api().call('r', 'challengerReplay', { candidate: 'shadow' });
    const { report } = (result as { value: ChallengerResult }).value;
    expect(report).toMatchObject({ kind: 'shadow', compared: 100, candidate: { models: ['fixture-credit/3'] } });
    expect(report.flips.approveRefuse).toBeGreaterThan(0);
  });

  it('explains an unknown model, a period without records and a period without shadow answers', async () => {
    const unknown = await api().call('r1', 'challengerReplay', { candidate: 'nonesuch' });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', issues: [{ path: 'candidate' }] } });
    expect((unknown as { error: { message: string } }).error.message).toContain('unknown model "nonesuch"');
    const empty = await api().call('r2', 'challengerReplay', {
      candidate: 'fallback',
      range: { from: Date.UTC(2030, 0, 1), to: Date.UTC(2030, 0, 2) },
    });
    expect(empty).toMatchObject({ ok: false, error: { code: 'NO_DATA_IN_RANGE' } });
    const late = await api().call('r3', 'challengerReplay', {
      candidate: 'shadow',
      range: { from: START + 1, to: START + 3 * 60_000 },
    });
    expect(late).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect((late as { error: { message: string } }).error.message).toContain(
      'no record of this period holds a shadow answer',
    );
  });

  it('refuses a missing candidate with the field named', async () => {
    const result = await api().call('r', 'challengerReplay', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', issues: [{ path: 'candidate' }] } });
  });
});
