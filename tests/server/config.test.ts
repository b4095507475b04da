import { statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../server/config.ts';
import { resolveSecrets } from '../../server/secrets.ts';
import { removeDir, tempDir } from './helpers.ts';

describe('parseConfig', () => {
  it('applies the documented defaults and freezes the result', () => {
    const config = parseConfig({}, {}, '/srv/vigie');
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 8080,
      apiKeys: [],
      logDir: '/srv/vigie/var/logs',
      modelsDir: '/srv/vigie/models',
      apiKeyFile: '/srv/vigie/var/api-key',
      rateLimitMax: 6000,
      bodyLimit: 65536,
      batchMaxItems: 1000,
      logFsyncMs: 100,
      champion: 'champion',
      fallback: undefined,
    });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.apiKeys)).toBe(true);
  });

  it('reads comma-separated keys and lets command-line flags win over the environment', () => {
    const config = parseConfig(
      { VIGIE_API_KEYS: ' aaaaaaaaaaaaaaaa , bbbbbbbbbbbbbbbb,', VIGIE_PORT: '9000' },
      { port: 7000, host: '0.0.0.0' },
    );
    expect(config.apiKeys).toEqual(['aaaaaaaaaaaaaaaa', 'bbbbbbbbbbbbbbbb']);
    expect(config.port).toBe(7000);
    expect(config.host).toBe('0.0.0.0');
  });

  it.each([
    [{ VIGIE_PORT: 'eighty' }, 'VIGIE_PORT must be an integer from 0 to 65535'],
    [{ VIGIE_PORT: '70000' }, 'VIGIE_PORT must be an integer'],
    [{ VIGIE_API_KEYS: 'short' }, 'VIGIE_API_KEYS: key #1 must be at least 16 characters'],
    [{ VIGIE_REPLICA: 'api/0' }, 'VIGIE_REPLICA must be'],
    [{ VIGIE_LOG_GZIP: 'maybe' }, 'VIGIE_LOG_GZIP must be true or false'],
    [{ VIGIE_LOG_FSYNC_MS: '1000' }, 'VIGIE_LOG_FSYNC_MS must be an integer from 1 to 100'],
    [{ VIGIE_LOG_LEVEL: 'loud' }, 'VIGIE_LOG_LEVEL must be one of'],
    [{ VIGIE_HASH_KEY: 'tiny' }, 'VIGIE_HASH_KEY must be at least 16 characters'],
    [
      { VIGIE_API_KEYS: 'same-key-0123456789', VIGIE_ADMIN_KEYS: 'same-key-0123456789' },
      'a key cannot be in both VIGIE_API_KEYS and VIGIE_ADMIN_KEYS',
    ],
  ])('refuses %j with a message naming the variable', (env, message) => {
    expect(() => parseConfig(env)).toThrow(ConfigError);
    expect(() => parseConfig(env)).toThrow(message);
  });

  it('never echoes a rejected key in its error message', () => {
    expect(() => parseConfig({ VIGIE_ADMIN_KEYS: 'good-key-0123456789,secret' })).toThrow(/key #2/);
    expect(() => parseConfig({ VIGIE_ADMIN_KEYS: 'good-key-0123456789,secret' })).not.toThrow(/secret/);
  });
});

describe('resolveSecrets', () => {
  let dir = '';
  afterEach(() => removeDir(dir));

  it('generates a scoring key into a 0600 file and reuses it on the next start', () => {
    dir = tempDir();
    const config = parseConfig({}, {}, dir);
    const first = resolveSecrets(config);
    expect(first.generatedApiKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(first.config.apiKeys).toEqual([first.generatedApiKey]);
    expect(statSync(path.join(dir, 'var/api-key')).mode & 0o777).toBe(0o600);
    expect(statSync(path.join(dir, 'var/hash-key')).mode & 0o777).toBe(0o600);

    const second = resolveSecrets(config);
    expect(second.generatedApiKey).toBeNull();
    expect(second.config.apiKeys).toEqual(first.config.apiKeys);
    expect(second.config.hashKey).toBe(first.config.hashKey);
  });

  it('keeps configured keys and writes no key file', () => {
    dir = tempDir();
    const config = parseConfig(
      {
        VIGIE_API_KEYS: 'configured-key-0123456789',
        VIGIE_ADMIN_KEYS: 'configured-admin-0123456789',
        VIGIE_HASH_KEY: 'configured-hash-0123456789',
      },
      {},
      dir,
    );
    const resolved = resolveSecrets(config);
    expect(resolved.generatedApiKey).toBeNull();
    expect(resolved.config.apiKeys).toEqual(['configured-key-0123456789']);
    expect(resolved.config.hashKey).toBe('configured-hash-0123456789');
    expect(() => statSync(path.join(dir, 'var/api-key'))).toThrow();
    expect(() => statSync(path.join(dir, 'var/admin-key'))).toThrow();
    expect(resolved.generatedAdminKey).toBeNull();
  });

  it('generates an admin key too, so a fresh API can be pulled by the console, and reuses it', () => {
    dir = tempDir();
    const config = parseConfig({}, {}, dir);
    const first = resolveSecrets(config);
    expect(first.generatedAdminKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(first.generatedAdminKey).not.toBe(first.generatedApiKey);
    expect(first.config.adminKeys).toEqual([first.generatedAdminKey]);
    expect(statSync(path.join(dir, 'var/admin-key')).mode & 0o777).toBe(0o600);
    const second = resolveSecrets(config);
    expect(second.generatedAdminKey).toBeNull();
    expect(second.config.adminKeys).toEqual(first.config.adminKeys);
  });
});
