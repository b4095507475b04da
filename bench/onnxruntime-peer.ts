/**
 * The raw ONNX Runtime peer of `vigie bench engine`: runs bench/peers/onnxruntime_peer.py (Python, the same
 * model.onnx, the same number of threads, the same golden applicants) and reads its JSON figures. When Python or its
 * onnxruntime is missing, the peer is skipped with the reason instead of failing the benchmark.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SCRIPT = path.join(ROOT, 'bench/peers/onnxruntime_peer.py');
const REQUIREMENTS = 'bench/peers/requirements-onnxruntime.txt';

export interface PeerBatch {
  batch_size: number;
  rows_per_s: number;
  rows_per_cpu_s: number;
  p50_ms: number;
  p99_ms: number;
  calls: number;
}

export interface PeerFigures {
  peer: string;
  versions: Record<string, string>;
  threads: number;
  /** One session with `threads` intra-op threads. */
  session: PeerBatch[];
  /** One 1-thread session run by `threads` Python threads at once. */
  concurrent: PeerBatch[];
  single_row: { p50_ms: number; p99_ms: number; calls: number };
  load_average: number[];
}

export type PeerOutcome = { ok: true; figures: PeerFigures } | { ok: false; skipped: string };

/** The repository's .venv Python when there is one, else `python3` on the PATH. */
export function defaultPython(): string {
  const venv = path.join(ROOT, '.venv/bin/python');
  return existsSync(venv) ? venv : 'python3';
}

export function runOnnxruntimePeer(options: {
  python: string;
  packageDir: string;
  threads: number;
  durationS: number;
  batchSizes: number[];
}): Promise<PeerOutcome> {
  const args = [
    SCRIPT,
    '--package',
    options.packageDir,
    '--threads',
    String(options.threads),
    '--duration-s',
    String(options.durationS),
    '--batch-sizes',
    options.batchSizes.join(','),
  ];
  return new Promise((resolve) => {
    const child = spawn(options.python, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', (error: NodeJS.ErrnoException) =>
      resolve({
        ok: false,
        skipped:
          error.code === 'ENOENT'
            ? `no Python at "${options.python}" (pass --python, or create .venv from ${REQUIREMENTS})`
            : `Python could not start (${error.message})`,
      }),
    );
    child.once('close', (code) => {
      if (code === 0) {
        try {
          return resolve({ ok: true, figures: JSON.parse(stdout) as PeerFigures });
        } catch {
          return resolve({ ok: false, skipped: 'the peer printed no JSON report' });
        }
      }
      const missing = /No module named '([^']+)'/.exec(stderr);
      resolve({
        ok: false,
        skipped: missing
          ? `${missing[1]} is not installed for ${options.python} (pip install -r ${REQUIREMENTS})`
          : `the peer failed (exit ${code}): ${stderr.trim().split('\n').pop() ?? ''}`,
      });
    });
  });
}
