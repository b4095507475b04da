import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { INPUTS } from '../../console-api/inputs.ts';
import { SettingsStore, type Vault } from '../../electron/backend/settings-store.ts';
import { tempConsole } from './helpers.ts';

const vault: Vault = {
  persistent: true,
  encrypt: async (value) => Buffer.from(value).reverse().toString('base64'),
  decrypt: async (value) => Buffer.from(value, 'base64').reverse().toString(),
};
const STORE = {
  endpoint: 'https://s3.example.com/',
  bucket: 'vigie-logs',
  prefix: 'production/',
  accessKeyId: 'AKIAEXAMPLE0001',
  secretAccessKey: 'the-secret-access-key',
};

describe('object stores in the console settings', () => {
  let fixture: ReturnType<typeof tempConsole>;
  beforeEach(() => (fixture = tempConsole()));
  afterEach(() => fixture.cleanup());

  it('keep the secret access key like an admin key: never in the file, never returned', async () => {
    const settings = await new SettingsStore(fixture.config.settingsPath, vault).set({ objectStore: STORE });
    expect(readFileSync(fixture.config.settingsPath, 'utf8')).not.toContain('the-secret-access-key');
    expect(JSON.stringify(settings)).not.toContain('the-secret-access-key');
    expect(settings.objectStores).toEqual([
      expect.objectContaining({ endpoint: 'https://s3.example.com', region: 'us-east-1', hasSecret: true }),
    ]);
    const id = settings.objectStores[0]!.id;
    const access = await new SettingsStore(fixture.config.settingsPath, vault).objectStoreAccess(id);
    expect(access?.credentials.secretAccessKey).toBe('the-secret-access-key');
  });

  it('hold the secret for the launch only without a persistent vault, and take it again for the same bucket', async () => {
    const first = await new SettingsStore(fixture.config.settingsPath, null).set({ objectStore: STORE });
    const id = first.objectStores[0]!.id;
    const relaunched = new SettingsStore(fixture.config.settingsPath, null);
    expect(relaunched.get().objectStores[0]!.hasSecret).toBe(false);
    expect(await relaunched.objectStoreAccess(id)).toBeUndefined();
    const again = await relaunched.set({ objectStore: STORE });
    expect(again.objectStores).toHaveLength(1);
    expect(again.objectStores[0]).toMatchObject({ id, hasSecret: true });
  });

  it('refuse a bad endpoint, bucket or access key ID with a message saying what is wrong', () => {
    const parse = (store: Record<string, unknown>) => INPUTS.setSettings({ objectStore: { ...STORE, ...store } }, '');
    const messages = (result: ReturnType<typeof parse>) => (result.ok ? [] : result.issues.map((i) => i.message));
    expect(messages(parse({ endpoint: 'https://s3.example.com/vigie-logs' }))).toEqual([
      'the endpoint must be an http:// or https:// address with no path, e.g. https://s3.example.com',
    ]);
    expect(messages(parse({ bucket: 'Bad_Bucket' }))).toEqual([
      'the bucket name must be 3 to 63 lowercase letters, digits, dots or hyphens',
    ]);
    expect(messages(parse({ accessKeyId: 'has spaces in it' }))).toEqual([
      'the access key ID is 3 to 128 letters and digits, without spaces',
    ]);
    expect(parse({}).ok).toBe(true);
  });
});
