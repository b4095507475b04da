import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../server/config.ts';
import { resolveReplica } from '../../server/replica-id.ts';

describe('the default replica id', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'vigie-replica-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const config = (env: Record<string, string> = {}) => parseConfig({ VIGIE_LOG_DIR: 'logs', ...env }, {}, dir);

  it('is generated once into the log folder and kept across restarts', () => {
    const first = resolveReplica(config()).replica;
    expect(first).toMatch(/^[A-Za-z0-9_-]+-[0-9a-f]{6}$/);
    expect(readFileSync(path.join(dir, 'logs', 'replica-id'), 'utf8').trim()).toBe(first);
    expect(resolveReplica(config()).replica).toBe(first);
  });

  it('differs between two log folders on the same host (host networking)', () => {
    const a = resolveReplica(config({ VIGIE_LOG_DIR: 'a' })).replica;
    const b = resolveReplica(config({ VIGIE_LOG_DIR: 'b' })).replica;
    expect(a).not.toBe(b);
  });

  it('is VIGIE_REPLICA when set, with no file written', () => {
    const resolved = resolveReplica(config({ VIGIE_REPLICA: 'api-7' }));
    expect(resolved.replica).toBe('api-7');
    expect(() => readFileSync(path.join(dir, 'logs', 'replica-id'))).toThrow();
  });

  it('refuses a replica id file that holds no valid id, saying how to fix it', () => {
    resolveReplica(config());
    writeFileSync(path.join(dir, 'logs', 'replica-id'), 'not an id!\n');
    expect(() => resolveReplica(config())).toThrow(ConfigError);
    expect(() => resolveReplica(config())).toThrow(/fix or delete it, or set VIGIE_REPLICA/);
  });
});
