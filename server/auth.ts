/**
 * Bearer-key authentication. Keys are kept only as SHA-256 digests and compared in constant time; what the logs and
 * the rate limiter see is a key id (the first 8 hex characters of the digest), never the key.
 */
import { hash, timingSafeEqual } from 'node:crypto';

export type Role = 'score' | 'admin';

export interface Principal {
  /** Key id: the first 8 hex characters of sha256(key). */
  id: string;
  role: Role;
}

interface StoredKey extends Principal {
  digest: Buffer;
}

function digest(key: string): Buffer {
  return hash('sha256', key, 'buffer');
}

export function keyId(key: string): string {
  return digest(key).toString('hex').slice(0, 8);
}

export interface KeyRing {
  /** The principal of an `Authorization` header value, or null for a missing, malformed or unknown key. */
  authenticate(header: string | undefined): Principal | null;
}

export function createKeyRing(scoringKeys: readonly string[], adminKeys: readonly string[]): KeyRing {
  const stored: StoredKey[] = [
    ...scoringKeys.map((key) => ({ digest: digest(key), id: keyId(key), role: 'score' as const })),
    ...adminKeys.map((key) => ({ digest: digest(key), id: keyId(key), role: 'admin' as const })),
  ];
  return {
    authenticate(header) {
      if (header === undefined || header.length > 1024) return null;
      const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
      if (!match) return null;
      const presented = digest(match[1]!);
      let found: StoredKey | null = null;
      // Every stored digest is compared, so the time taken does not tell which key (or how many) came close.
      for (const key of stored) {
        if (timingSafeEqual(presented, key.digest) && found === null) found = key;
      }
      return found ? { id: found.id, role: found.role } : null;
    },
  };
}
