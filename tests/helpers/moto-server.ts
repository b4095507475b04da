/**
 * A real S3-compatible server on loopback for the object-storage tests: moto in server mode (PyPI, installed into
 * .venv-deploy by scripts/deploy-tools.sh on first use), started on a free port, with signed PUT helpers to create
 * buckets and upload log files as a shipper would.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { signRequest, sha256Hex, uriEncode } from '../../core/ingest/object-store/sigv4.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
export const MOTO_CREDENTIALS = {
  accessKeyId: 'AKIAVIGIETESTKEY0001',
  secretAccessKey: 'vigie-test-secret-key-for-moto-0001',
};

export interface MotoServer {
  endpoint: string;
  createBucket(bucket: string): Promise<void>;
  put(bucket: string, key: string, body: string | Buffer): Promise<void>;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

async function send(endpoint: string, method: string, path: string, body: Buffer): Promise<void> {
  const url = new URL(path, endpoint);
  const headers = signRequest({
    method,
    url,
    region: 'us-east-1',
    credentials: MOTO_CREDENTIALS,
    payloadHash: sha256Hex(body),
  });
  const response = await fetch(url, { method, headers, body: body.length > 0 ? body : null });
  if (!response.ok) throw new Error(`moto ${method} ${path}: HTTP ${response.status} ${await response.text()}`);
}

export async function startMoto(): Promise<MotoServer> {
  const tools = spawnSync('sh', ['scripts/deploy-tools.sh'], { cwd: ROOT, encoding: 'utf8' });
  if (tools.status !== 0) throw new Error(`cannot install moto (deploy/requirements.txt): ${tools.stderr}`);
  const bin = tools.stdout.trim();
  const port = await freePort();
  const child: ChildProcess = spawn(`${bin}/moto_server`, ['-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const endpoint = `http://127.0.0.1:${port}`;
  for (let attempt = 0; ; attempt++) {
    try {
      await fetch(`${endpoint}/moto-api/`);
      break;
    } catch {
      if (attempt >= 300 || child.exitCode !== null) throw new Error(`moto_server did not start: ${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return {
    endpoint,
    createBucket: (bucket) => send(endpoint, 'PUT', `/${uriEncode(bucket)}`, Buffer.alloc(0)),
    put: (bucket, key, body) =>
      send(
        endpoint,
        'PUT',
        `/${uriEncode(bucket)}/${uriEncode(key, true)}`,
        Buffer.isBuffer(body) ? body : Buffer.from(body),
      ),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
