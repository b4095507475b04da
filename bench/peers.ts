/**
 * Peers the benchmarks run side by side with Vigie (DuckDB, pandas, Evidently), from a Python venv of their own,
 * `bench/.venv-peers`, installed from the pinned `bench/peers-requirements.txt`. A peer that is not installed is
 * skipped with the reason, never faked.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const VENV_PYTHON = fileURLToPath(new URL('./.venv-peers/bin/python', import.meta.url));
const INSTALL =
  'python3 -m venv bench/.venv-peers && bench/.venv-peers/bin/pip install -r bench/peers-requirements.txt';

export type PeerResult = { ok: true; figures: Record<string, number | string | null> } | { ok: false; reason: string };

/**
 * Runs bench/peers/<script> with the peers' Python (`python`: another interpreter, for tests); its last stdout line
 * is one JSON object of figures.
 */
export function runPeer(script: string, args: string[], timeoutS = 900, python = VENV_PYTHON): PeerResult {
  if (!existsSync(python)) return { ok: false, reason: `peers not installed (${INSTALL})` };
  const file = fileURLToPath(new URL(`./peers/${script}`, import.meta.url));
  const child = spawnSync(python, [file, ...args], {
    encoding: 'utf8',
    timeout: timeoutS * 1000,
    maxBuffer: 16 << 20,
  });
  if (child.error) return { ok: false, reason: `could not run ${script}: ${child.error.message}` };
  if (child.status !== 0) {
    const missing = /No module named '([^']+)'/.exec(child.stderr);
    if (missing) return { ok: false, reason: `${missing[1]} is not installed in bench/.venv-peers (${INSTALL})` };
    const last = child.stderr.trim().split('\n').pop() ?? '';
    return { ok: false, reason: `${script} failed (exit ${child.status ?? child.signal}): ${last}` };
  }
  const line = child.stdout.trim().split('\n').pop() ?? '';
  try {
    return { ok: true, figures: JSON.parse(line) as Record<string, number | string | null> };
  } catch {
    return { ok: false, reason: `${script} printed no figures` };
  }
}

/** "2.4× DuckDB" style ratio text: how many times better Vigie's figure is (higher is better when `higher`). */
export function ratio(vigie: number, peer: number, higherIsBetter: boolean): string {
  const r = higherIsBetter ? vigie / peer : peer / vigie;
  return `${r.toFixed(2)}×`;
}
