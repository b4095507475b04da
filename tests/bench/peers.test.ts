import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ratio, runPeer } from '../../bench/peers.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'vigie-peers-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('benchmark peers', () => {
  it('skips a peer with the install command when the peers venv is missing', () => {
    const result = runPeer('ingest_peers.py', ['duckdb', dir], 60, path.join(dir, 'no-venv', 'bin', 'python'));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(/peers not installed .*pip install -r bench\/peers-requirements\.txt/);
  });

  it('names the package that is missing from the interpreter', () => {
    // The machine's own python3 has no Evidently (it lives in the peers venv only).
    const csv = path.join(dir, 'a.csv');
    const result = runPeer('drift_evidently.py', [csv, csv], 60, '/usr/bin/python3');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(/^evidently is not installed in bench\/\.venv-peers \(python3 -m venv/);
  });

  it('prints how many times better Vigie is, whichever way a figure improves', () => {
    expect(ratio(100_000, 50_000, true)).toBe('2.00×');
    expect(ratio(2, 48, false)).toBe('24.00×');
  });
});
