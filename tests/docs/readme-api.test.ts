/**
 * The README's third step, as written — keys from `openssl rand -hex 24`, `npm run api`, `curl …/ready`, then one
 * `POST /v1/score` as docs/api.md shows — on a free port and a temporary log folder so that it runs beside anything.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';

const ROOT = new URL('../../', import.meta.url).pathname;
const logs = mkdtempSync(join(tmpdir(), 'vigie-readme-'));
afterAll(() => rmSync(logs, { recursive: true, force: true }));

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** `openssl rand -hex 24`, or the same from Node where openssl is not installed. */
function hexKey(): string {
  const openssl = spawnSync('openssl', ['rand', '-hex', '24'], { encoding: 'utf8' });
  return openssl.status === 0 ? openssl.stdout.trim() : randomBytes(24).toString('hex');
}

it('starts the API with `npm run api`, answers /ready and scores the golden applicant', async () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  expect(readme).toContain('export VIGIE_API_KEYS=$(openssl rand -hex 24) VIGIE_ADMIN_KEYS=$(openssl rand -hex 24)');
  expect(readme).toContain('npm run api');
  expect(readme).toContain('curl -s localhost:8080/ready');

  // `npm run api` runs this script; it is started directly so that SIGTERM reaches the API rather than npm.
  const scripts = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> })
    .scripts;
  expect(scripts.api).toBe('node bin/vigie.js api');
  const [scoringKey, adminKey, port] = [hexKey(), hexKey(), await freePort()];
  expect(scoringKey).toMatch(/^[0-9a-f]{48}$/);
  const api = spawn(process.execPath, ['bin/vigie.js', 'api'], {
    cwd: ROOT,
    env: {
      ...process.env,
      VIGIE_API_KEYS: scoringKey,
      VIGIE_ADMIN_KEYS: adminKey,
      VIGIE_PORT: String(port),
      VIGIE_LOG_DIR: logs,
      VIGIE_HASH_KEY_FILE: join(logs, 'hash-key'),
      VIGIE_LOG_LEVEL: 'silent',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  api.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  api.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => api.on('exit', (code) => resolve(code)));
  try {
    let ready = false;
    for (let attempt = 0; attempt < 600 && !ready && api.exitCode === null; attempt++) {
      ready = await fetch(`http://localhost:${port}/ready`).then(
        (response) => response.ok,
        () => false,
      );
      if (!ready) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(ready, output).toBe(true);

    const golden = JSON.parse(readFileSync(join(ROOT, 'models/credit-default/1/golden.jsonl'), 'utf8').split('\n')[0]!);
    const response = await fetch(`http://localhost:${port}/v1/score`, {
      method: 'POST',
      headers: { authorization: `Bearer ${scoringKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(golden.input),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { probability: number; served_by: string };
    expect(body.served_by).toBe('champion');
    expect(body.probability).toBeCloseTo(golden.expected_probability, 5);
  } finally {
    api.kill('SIGTERM');
  }
  expect(await exited).toBe(0);
}, 120_000);
