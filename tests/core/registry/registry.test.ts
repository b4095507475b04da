import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  promote,
  readRegistry,
  resolveModel,
  rollback,
  writeRegistry,
  type RegistryDocument,
} from '../../../core/registry/index.ts';

let dir: string;

function registry(): RegistryDocument {
  return {
    format_version: 1,
    models: {
      'credit-default': {
        versions: {
          '1': { path: 'credit-default/1' },
          '2': { path: 'credit-default/2' },
          '3': { path: 'credit-default/3' },
        },
        aliases: { champion: '1', fallback: '2' },
      },
    },
    history: [],
  };
}

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'vigie-registry-'));
  writeFileSync(path.join(dir, 'registry.json'), JSON.stringify(registry()));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const change = { reason: 'better AUC', by: 'alice', at: new Date('2026-11-21T10:00:00Z') };

describe('model registry', () => {
  it('resolves an alias, a version and a model/alias reference to the package directory', async () => {
    expect(await resolveModel(dir, 'champion')).toEqual({
      dir: path.join(dir, 'credit-default/1'),
      name: 'credit-default',
      version: '1',
      alias: 'champion',
    });
    expect((await resolveModel(dir, '3')).alias).toBeNull();
    expect((await resolveModel(dir, 'credit-default/fallback')).version).toBe('2');
  });

  it('names the known aliases and versions when a reference matches none', async () => {
    await expect(resolveModel(dir, 'gold')).rejects.toThrow(
      /unknown model "gold".*\(champion, fallback\).*\(1, 2, 3\)/,
    );
  });

  it('reports a missing or malformed registry with the file name', async () => {
    writeFileSync(
      path.join(dir, 'registry.json'),
      '{"format_version": 1, "models": {"m": {"versions": {}, "aliases": {"champion": "9"}}}}',
    );
    await expect(readRegistry(dir)).rejects.toThrow(
      /registry\.json: models\.m\.aliases\.champion points to unknown version "9"/,
    );
    rmSync(path.join(dir, 'registry.json'));
    await expect(readRegistry(dir)).rejects.toThrow(/registry\.json: file is missing/);
  });

  it('promotes a version and appends who, when, why and the previous version to the history', async () => {
    const entry = await promote({ modelsDir: dir, alias: 'champion', version: '3', ...change });
    const saved = await readRegistry(dir);
    expect(saved.models['credit-default']!.aliases.champion).toBe('3');
    expect(saved.history).toEqual([entry]);
    expect(entry).toEqual({
      at: '2026-11-21T10:00:00.000Z',
      by: 'alice',
      action: 'promote',
      model: 'credit-default',
      alias: 'champion',
      from: '1',
      to: '3',
      reason: 'better AUC',
    });
  });

  it('rolls an alias back through its promotions one at a time, then refuses', async () => {
    await promote({ modelsDir: dir, alias: 'champion', version: '2', ...change });
    await promote({ modelsDir: dir, alias: 'champion', version: '3', ...change });
    expect((await rollback({ modelsDir: dir, alias: 'champion', ...change })).to).toBe('2');
    expect((await rollback({ modelsDir: dir, alias: 'champion', ...change })).to).toBe('1');
    await expect(rollback({ modelsDir: dir, alias: 'champion', ...change })).rejects.toThrow(/no earlier version/);
    expect((await readRegistry(dir)).models['credit-default']!.aliases.champion).toBe('1');
  });

  it('refuses a promotion without a reason or to an unknown version', async () => {
    await expect(promote({ modelsDir: dir, alias: 'champion', version: '3', by: 'a', reason: ' ' })).rejects.toThrow(
      /reason is required/,
    );
    await expect(promote({ modelsDir: dir, alias: 'champion', version: '7', ...change })).rejects.toThrow(
      /no version "7"/,
    );
  });

  it('keeps both changes when two promotions run at the same time', async () => {
    await Promise.all([
      promote({ modelsDir: dir, alias: 'champion', version: '3', ...change }),
      promote({ modelsDir: dir, alias: 'challenger', version: '2', ...change }),
    ]);
    const saved = await readRegistry(dir);
    expect(saved.models['credit-default']!.aliases).toMatchObject({ champion: '3', challenger: '2' });
    expect(saved.history.map((entry) => entry.action === 'promote' && entry.alias).sort()).toEqual([
      'challenger',
      'champion',
    ]);
    expect(readdirSync(dir)).toEqual(['registry.json']);
  });

  it('writes atomically, leaving no temporary file behind', async () => {
    const document = registry();
    document.models['credit-default']!.aliases.challenger = '3';
    await writeRegistry(dir, document);
    expect(readdirSync(dir)).toEqual(['registry.json']);
    expect(
      JSON.parse(readFileSync(path.join(dir, 'registry.json'), 'utf8')).models['credit-default'].aliases.challenger,
    ).toBe('3');
  });
});
