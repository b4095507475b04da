/**
 * Console settings, kept in a JSON file next to the store. API admin keys are never written in plain text: with a
 * persistent vault (desktop: Electron safeStorage) the file holds their ciphertext; without one (browser shell) keys
 * are held in memory for this launch only. Object stores' secret access keys are kept the same way.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DriftMethod, MethodInput, Settings } from '../../console-api/types.ts';

/** One spelling per API: `HTTP://Host:8080/` and `http://host:8080` are the same endpoint. */
function sameApi(url: string): string {
  try {
    return new URL(url).toString().replace(/\/+$/, '');
  } catch {
    return url;
  }
}

export interface Vault {
  persistent: boolean;
  encrypt(value: string): Promise<string>;
  decrypt(value: string): Promise<string>;
}

interface StoredEndpoint {
  id: string;
  url: string;
  pullEveryMinutes: number;
  keyCipher?: string;
}

interface StoredObjectStore {
  id: string;
  endpoint: string;
  bucket: string;
  prefix: string;
  region: string;
  accessKeyId: string;
  secretCipher?: string;
}

/** What an import from an object store needs; the secret only ever travels inside the backend. */
export interface ObjectStoreAccess {
  location: { endpoint: string; bucket: string; prefix: string; region: string };
  credentials: { accessKeyId: string; secretAccessKey: string };
}

interface StoredSettings {
  theme: Settings['theme'];
  endpoints: StoredEndpoint[];
  objectStores: StoredObjectStore[];
  driftMethods: { number: DriftMethod; category: DriftMethod };
}

const DEFAULTS: StoredSettings = {
  theme: 'system',
  endpoints: [],
  objectStores: [],
  driftMethods: { number: 'psi', category: 'jensen_shannon' },
};

export class SettingsStore {
  private data: StoredSettings;
  private readonly memoryKeys = new Map<string, string>();

  constructor(
    private readonly file: string,
    private readonly vault: Vault | null,
  ) {
    this.data = SettingsStore.read(file);
  }

  private static read(file: string): StoredSettings {
    try {
      const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<StoredSettings>;
      return {
        theme: ['system', 'light', 'dark'].includes(parsed.theme as string)
          ? (parsed.theme as Settings['theme'])
          : DEFAULTS.theme,
        endpoints: Array.isArray(parsed.endpoints) ? parsed.endpoints.filter((e) => typeof e?.url === 'string') : [],
        objectStores: Array.isArray(parsed.objectStores)
          ? parsed.objectStores.filter((s) => typeof s?.endpoint === 'string' && typeof s?.bucket === 'string')
          : [],
        driftMethods: { ...DEFAULTS.driftMethods, ...(parsed.driftMethods ?? {}) },
      };
    } catch {
      // A missing or unreadable settings file starts from the defaults; it is rewritten on the next change.
      return structuredClone(DEFAULTS);
    }
  }

  get(): Settings {
    return {
      theme: this.data.theme,
      driftMethods: { ...this.data.driftMethods },
      endpoints: this.data.endpoints.map((e) => ({
        id: e.id,
        url: e.url,
        pullEveryMinutes: e.pullEveryMinutes,
        hasKey: e.keyCipher !== undefined || this.memoryKeys.has(e.id),
      })),
      objectStores: this.data.objectStores.map(({ secretCipher, ...store }) => ({
        ...store,
        hasSecret: secretCipher !== undefined || this.memoryKeys.has(store.id),
      })),
    };
  }

  async set(change: MethodInput<'setSettings'>): Promise<Settings> {
    const next = structuredClone(this.data);
    if (change.theme) next.theme = change.theme;
    if (change.driftMethods) next.driftMethods = { ...change.driftMethods };
    if (change.removeEndpoint) {
      next.endpoints = next.endpoints.filter((e) => e.id !== change.removeEndpoint);
      this.memoryKeys.delete(change.removeEndpoint);
    }
    if (change.endpoint) {
      const { key, pullEveryMinutes } = change.endpoint;
      const url = sameApi(change.endpoint.url);
      // Saving a URL already in the list updates that entry (its key, its schedule) rather than adding a twin.
      const id = change.endpoint.id ?? next.endpoints.find((e) => sameApi(e.url) === url)?.id ?? randomUUID();
      const existing = next.endpoints.find((e) => e.id === id);
      const endpoint: StoredEndpoint = existing ?? { id, url, pullEveryMinutes: 0 };
      endpoint.url = url;
      if (pullEveryMinutes !== undefined) endpoint.pullEveryMinutes = pullEveryMinutes;
      if (key !== undefined) {
        if (this.vault?.persistent) endpoint.keyCipher = await this.vault.encrypt(key);
        else this.memoryKeys.set(id, key);
      }
      if (!existing) next.endpoints.push(endpoint);
    }
    if (change.removeObjectStore) {
      next.objectStores = next.objectStores.filter((s) => s.id !== change.removeObjectStore);
      this.memoryKeys.delete(change.removeObjectStore);
    }
    if (change.objectStore) {
      const { id: givenId, secretAccessKey, ...fields } = change.objectStore;
      const endpoint = fields.endpoint.replace(/\/+$/, '');
      // Saving the same bucket and prefix again updates it (a new secret after a browser-console restart).
      const existing = next.objectStores.find((s) =>
        givenId !== undefined
          ? s.id === givenId
          : s.endpoint === endpoint && s.bucket === fields.bucket && s.prefix === (fields.prefix ?? ''),
      );
      const id = existing?.id ?? givenId ?? randomUUID();
      const store: StoredObjectStore = existing ?? {
        id,
        endpoint,
        bucket: '',
        prefix: '',
        region: '',
        accessKeyId: '',
      };
      store.endpoint = endpoint;
      store.bucket = fields.bucket;
      store.prefix = fields.prefix ?? '';
      store.region = fields.region || 'us-east-1';
      store.accessKeyId = fields.accessKeyId;
      if (secretAccessKey !== undefined) {
        if (this.vault?.persistent) store.secretCipher = await this.vault.encrypt(secretAccessKey);
        else this.memoryKeys.set(id, secretAccessKey);
      }
      if (!existing) next.objectStores.push(store);
    }
    this.data = next;
    this.write();
    return this.get();
  }

  /** The object store's address and credentials, or undefined when it is unknown or has no stored secret. */
  async objectStoreAccess(storeId: string): Promise<ObjectStoreAccess | undefined> {
    const store = this.data.objectStores.find((s) => s.id === storeId);
    if (!store) return undefined;
    const secret =
      this.memoryKeys.get(storeId) ??
      (store.secretCipher !== undefined && this.vault ? await this.vault.decrypt(store.secretCipher) : undefined);
    if (secret === undefined) return undefined;
    const { endpoint, bucket, prefix, region, accessKeyId } = store;
    return { location: { endpoint, bucket, prefix, region }, credentials: { accessKeyId, secretAccessKey: secret } };
  }

  async keyFor(endpointId: string): Promise<string | undefined> {
    const memory = this.memoryKeys.get(endpointId);
    if (memory !== undefined) return memory;
    const cipher = this.data.endpoints.find((e) => e.id === endpointId)?.keyCipher;
    return cipher !== undefined && this.vault ? this.vault.decrypt(cipher) : undefined;
  }

  private write(): void {
    mkdirSync(dirname(this.file), { recursive: true });
    const temporary = `${this.file}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(this.data, null, 2)}\n`, { mode: 0o600 });
    renameSync(temporary, this.file);
  }
}
