import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SettingsStore, type Vault } from '../../electron/backend/settings-store.ts';
import { tempConsole } from './helpers.ts';

/** A reversible stand-in for safeStorage: what matters is that the file never holds the key itself. */
const vault: Vault = {
  persistent: true,
  encrypt: async (value) => Buffer.from(value).reverse().toString('base64'),
  decrypt: async (value) => Buffer.from(value, 'base64').reverse().toString(),
};

describe('console settings', () => {
  let fixture: ReturnType<typeof tempConsole>;
  beforeEach(() => (fixture = tempConsole()));
  afterEach(() => fixture.cleanup());

  it('never writes an admin key in plain text', async () => {
    const store = new SettingsStore(fixture.config.settingsPath, vault);
    await store.set({ endpoint: { id: 'api-1', url: 'http://127.0.0.1:8080', key: 'super-secret-admin-key' } });
    expect(readFileSync(fixture.config.settingsPath, 'utf8')).not.toContain('super-secret-admin-key');
  });

  it('gives the key back through the vault after a restart', async () => {
    await new SettingsStore(fixture.config.settingsPath, vault).set({
      endpoint: { id: 'api-1', url: 'http://a:1', key: 'k-123' },
    });
    expect(await new SettingsStore(fixture.config.settingsPath, vault).keyFor('api-1')).toBe('k-123');
  });

  it('keeps a key in memory only when there is no persistent vault', async () => {
    const store = new SettingsStore(fixture.config.settingsPath, null);
    await store.set({ endpoint: { id: 'api-1', url: 'http://a:1', key: 'k-123' } });
    expect(await store.keyFor('api-1')).toBe('k-123');
    expect(await new SettingsStore(fixture.config.settingsPath, null).keyFor('api-1')).toBeUndefined();
  });

  it('says a key is stored without ever returning it', async () => {
    const store = new SettingsStore(fixture.config.settingsPath, vault);
    const settings = await store.set({ endpoint: { id: 'api-1', url: 'http://a:1', key: 'k-123' } });
    expect(settings.endpoints).toEqual([{ id: 'api-1', url: 'http://a:1', pullEveryMinutes: 0, hasKey: true }]);
    expect(JSON.stringify(settings)).not.toContain('k-123');
  });

  it('remembers endpoints and the theme across restarts', async () => {
    await new SettingsStore(fixture.config.settingsPath, null).set({
      theme: 'dark',
      endpoint: { id: 'e', url: 'http://a:1', pullEveryMinutes: 15 },
    });
    const settings = new SettingsStore(fixture.config.settingsPath, null).get();
    expect(settings).toMatchObject({ theme: 'dark', endpoints: [{ id: 'e', pullEveryMinutes: 15 }] });
  });

  it('updates the saved endpoint when the same API URL is saved again, instead of listing it twice', async () => {
    const store = new SettingsStore(fixture.config.settingsPath, vault);
    await store.set({ endpoint: { url: 'http://127.0.0.1:8080', key: 'first-admin-key-0123456789' } });
    const settings = await store.set({ endpoint: { url: 'HTTP://127.0.0.1:8080/', pullEveryMinutes: 15 } });
    expect(settings.endpoints).toHaveLength(1);
    expect(settings.endpoints[0]).toMatchObject({ url: 'http://127.0.0.1:8080', pullEveryMinutes: 15, hasKey: true });
  });

  it('starts from the defaults when the settings file is damaged', () => {
    const store = new SettingsStore(fixture.config.settingsPath + '.missing', null);
    expect(store.get()).toMatchObject({ theme: 'system', endpoints: [] });
  });
});
