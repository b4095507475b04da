import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../../bin/vigie.js', import.meta.url));
const RECORDER = fileURLToPath(new URL('./fixtures/record-modules.mjs', import.meta.url));
// The native libraries behind the scoring engine and the log store: the slowest part of the module graph.
const HEAVY = ['onnxruntime-node', 'better-sqlite3'];

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'vigie-cli-startup-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `vigie <args>` with a preload that records every module the process loads. */
function runRecorded(args: string[]): Promise<{ code: number | null; stdout: string; modules: string[] }> {
  const record = path.join(dir, `modules-${Math.random().toString(36).slice(2)}.txt`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', RECORDER, BIN, ...args], {
      env: { ...process.env, VIGIE_RECORD_MODULES: record },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const modules = readFileSync(record, 'utf8').split('\n').filter(Boolean);
      resolve({ code, stdout, modules });
    });
  });
}

const heavyIn = (modules: string[]) => HEAVY.filter((name) => modules.some((m) => m.includes(`/${name}/`)));

/** The command names of a commander help page's "Commands:" list, in order. */
const commandNames = (help: string) =>
  [...help.slice(help.indexOf('Commands:')).matchAll(/^ {2}([a-z][a-z-]*)/gm)].map((match) => match[1]!);

const commandModules = (modules: string[]) => new Set(modules.filter((m) => m.includes('/cli/commands/'))).size;

describe('vigie loads only the command it runs', () => {
  it('reaches every command that `vigie --help` lists, and every bench target from `vigie bench`', async () => {
    const all = await runRecorded(['--help']);
    const names = commandNames(all.stdout).filter((name) => name !== 'help');
    expect(names.length).toBeGreaterThan(15);
    for (const name of names) {
      const run = await runRecorded([name, '--help']);
      expect(run.code, name).toBe(0);
      expect(run.stdout, name).toContain(`Usage: vigie ${name} `);
      // Only that command's modules: fewer command modules than the full help page loads.
      expect(commandModules(run.modules), name).toBeLessThan(commandModules(all.modules));
    }
    const bench = await runRecorded(['bench', '--help']);
    expect(commandNames(bench.stdout)).toEqual(['engine', 'api', 'ingest', 'drift', 'replay', 'shadow', 'help']);
  });

  it('loads the whole CLI for `vigie --help`, so the recorder sees the heavy libraries', async () => {
    const run = await runRecorded(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('drift');
    expect(heavyIn(run.modules)).toEqual(HEAVY);
  });

  it('prints the version without loading the engine, the store or any command', async () => {
    const run = await runRecorded(['--version']);
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe('0.1.0');
    expect(heavyIn(run.modules)).toEqual([]);
    expect(run.modules.some((m) => m.includes('/cli/commands/drift.ts'))).toBe(false);
  });

  it('shows `vigie drift --help` without the engine or the store', async () => {
    const run = await runRecorded(['drift', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('--reference <file>');
    expect(heavyIn(run.modules)).toEqual([]);
  });

  it('compares two CSV files without loading the engine or the store', async () => {
    const rows = (shift: number) =>
      ['amount,kind', ...Array.from({ length: 200 }, (_, i) => `${i + shift},${i % 3 === 0 ? 'a' : 'b'}`)].join('\n');
    writeFileSync(path.join(dir, 'ref.csv'), `${rows(0)}\n`);
    writeFileSync(path.join(dir, 'cur.csv'), `${rows(500)}\n`);
    const run = await runRecorded([
      'drift',
      '--reference',
      path.join(dir, 'ref.csv'),
      '--current',
      path.join(dir, 'cur.csv'),
      '--json',
    ]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toHaveProperty('fields');
    expect(heavyIn(run.modules)).toEqual([]);
  });
});
