/**
 * The API as a real process (`vigie api`): nothing answered is lost when it is killed, and SIGTERM drains.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { SCORING_KEY, HASH_KEY, readRecords, removeDir, tempDir, validApplicant } from './helpers.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FIXTURE_MODELS = path.join(ROOT, 'tests/fixtures/models');
// About 0.7 s of stalling on an idle core: still running when SIGTERM arrives 100 ms later.
const SLOW_CREDIT = 1e11;

let dir = '';
let child: ChildProcess | null = null;

afterEach(() => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  child = null;
  removeDir(dir);
});

interface Started {
  url: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>;
}

/** The environment of an API process serving the fixture models, logging to `dir`/logs as replica proc-0. */
function apiEnv(env: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    VIGIE_API_KEYS: SCORING_KEY,
    VIGIE_HASH_KEY: HASH_KEY,
    VIGIE_LOG_DIR: path.join(dir, 'logs'),
    VIGIE_MODELS_DIR: FIXTURE_MODELS,
    VIGIE_REPLICA: 'proc-0',
    VIGIE_WORKERS: '1',
    VIGIE_RATE_LIMIT_MAX: '1000000',
    VIGIE_LOG_GZIP: 'false',
    VIGIE_LOG_LEVEL: 'warn',
    ...env,
  };
}

async function startApi(env: Record<string, string> = {}): Promise<Started> {
  dir = tempDir();
  const proc = spawn(process.execPath, [path.join(ROOT, 'bin/vigie.js'), 'api', '--port', '0'], {
    cwd: dir,
    env: apiEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child = proc;
  let output = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>((resolve) =>
    proc.once('exit', (code, signal) => resolve({ code, signal, output })),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) resolve(match[1]!);
    };
    proc.stdout!.on('data', collect);
    proc.stderr!.on('data', collect);
    void exited.then(() => reject(new Error(`vigie api exited before listening:\n${output}`)));
  });
  for (let attempt = 0; attempt < 600; attempt += 1) {
    if ((await fetch(`${url}/ready`).catch(() => null))?.ok) return { url, exited };
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('vigie api never became ready');
}

function score(url: string, id: string, applicant = validApplicant()) {
  return fetch(`${url}/v1/score`, {
    method: 'POST',
    headers: { authorization: `Bearer ${SCORING_KEY}`, 'content-type': 'application/json', 'x-request-id': id },
    body: JSON.stringify(applicant),
  });
}

describe('vigie api process', () => {
  it('has a log record for every request answered 200 when it is killed with SIGKILL under load', async () => {
    const { url, exited } = await startApi();
    const answered: string[] = [];
    let sent = 0;
    let killed = false;
    const worker = async (lane: number) => {
      while (!killed) {
        const id = `dur-${lane}-${sent++}`;
        const response = await score(url, id, validApplicant({ SK_ID_CURR: 100000 + sent })).catch(() => null);
        if (response?.status === 200) answered.push(id);
        await response?.arrayBuffer().catch(() => undefined);
        if (answered.length >= 400 && !killed) {
          killed = true;
          child!.kill('SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: 16 }, (_, lane) => worker(lane)));
    expect((await exited).signal).toBe('SIGKILL');
    const logged = new Set(readRecords(path.join(dir, 'logs')).map((record) => record.request_id));
    expect(answered.length).toBeGreaterThanOrEqual(400);
    expect(answered.filter((id) => !logged.has(id))).toEqual([]);
  });

  it('drains in-flight requests on SIGTERM, records them and exits 0', async () => {
    const { url, exited } = await startApi({ VIGIE_CHAMPION: '3', VIGIE_FALLBACK: '2', VIGIE_DEADLINE_MS: '5000' });
    const slow = score(url, 'in-flight-1', validApplicant({ AMT_CREDIT: SLOW_CREDIT }));
    await new Promise((resolve) => setTimeout(resolve, 100));
    child!.kill('SIGTERM');
    const response = await slow;
    expect(response.status).toBe(200);
    const result = await exited;
    expect(result.code).toBe(0);
    expect(result.output).toContain('vigie api stopped (drained)');
    expect(readRecords(path.join(dir, 'logs')).map((record) => record.request_id)).toContain('in-flight-1');
  });
});

describe('vigie api without configured keys', () => {
  it('generates both keys into 0600 files, names the files and how to read them, never prints a key, and the admin key read from its file pulls the logs', async () => {
    const { url, exited } = await startApi({ VIGIE_API_KEYS: '', VIGIE_ADMIN_KEYS: '', VIGIE_API_KEY_FILE: '' });
    const scoringFile = path.join(dir, 'var/api-key');
    const adminFile = path.join(dir, 'var/admin-key');
    const scoringKey = readFileSync(scoringFile, 'utf8').trim();
    const adminKey = readFileSync(adminFile, 'utf8').trim();
    expect(statSync(scoringFile).mode & 0o777).toBe(0o600);
    expect(statSync(adminFile).mode & 0o777).toBe(0o600);
    const logs = await fetch(`${url}/v1/logs?limit=1`, { headers: { authorization: `Bearer ${adminKey}` } });
    expect(logs.status).toBe(200);
    child!.kill('SIGTERM');
    const { output } = await exited;
    expect(output).not.toContain(scoringKey);
    expect(output).not.toContain(adminKey);
    expect(output).toContain(`generated a scoring key into ${scoringFile} (mode 0600; the key is not printed)`);
    expect(output).toContain(`generated an admin key (it reads the logs: the console's Sources page needs it)`);
    expect(output).toContain(`read it with: cat ${adminFile}`);
  });
});

describe('vigie api configuration errors', () => {
  it.each([
    [{ VIGIE_PORT: 'eighty' }, 'vigie: VIGIE_PORT must be an integer from 0 to 65535, got "eighty"\n'],
    [
      { VIGIE_LOG_DIR: 'package.json/logs' },
      /^vigie: cannot use the log directory .*package\.json\/logs \(VIGIE_LOG_DIR\): ENOTDIR\n$/,
    ],
  ])('exits 2 with one line naming the problem for %j', async (env, message) => {
    dir = tempDir();
    const proc = spawn(process.execPath, [path.join(ROOT, 'bin/vigie.js'), 'api'], {
      cwd: ROOT,
      env: { ...process.env, VIGIE_API_KEYS: SCORING_KEY, VIGIE_HASH_KEY: HASH_KEY, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = proc;
    let stderr = '';
    proc.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => proc.once('exit', resolve));
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });
});

describe('vigie api replica lock', () => {
  it('refuses to start a second process writing the same replica to the same folder, and frees it on SIGTERM', async () => {
    const first = await startApi();
    const runSecond = () => {
      const proc = spawn(process.execPath, [path.join(ROOT, 'bin/vigie.js'), 'api', '--port', '0'], {
        cwd: dir,
        env: apiEnv(),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      proc.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      proc.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      return {
        proc,
        exited: new Promise<number | null>((resolve) => proc.once('exit', resolve)),
        output: () => output,
      };
    };
    const second = runSecond();
    expect(await second.exited).toBe(2);
    expect(second.output()).toMatch(
      new RegExp(
        `^vigie: another process \\(pid ${child!.pid}\\) is writing this replica's logs \\(lock .*\\.predictions-proc-0\\.lock\\)`,
      ),
    );
    expect((await fetch(`${first.url}/health`)).status).toBe(200);

    child!.kill('SIGTERM');
    expect((await first.exited).code).toBe(0);
    const third = runSecond();
    try {
      await expect.poll(() => /listening on/.test(third.output()), { timeout: 30_000 }).toBe(true);
    } finally {
      third.proc.kill('SIGKILL');
    }
  });
});
