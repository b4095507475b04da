/**
 * The API's keyed hash of SK_ID_CURR (HMAC-SHA256, first 32 hex characters; server/request-record.ts), so outcomes
 * keyed by applicant join the logged `applicant_ref` without the raw id ever entering the store.
 */
import { createHmac } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';

export class HashKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HashKeyError';
  }
}

/** As the API's secrets file: at least 16 characters once trimmed. */
const MIN_KEY_LENGTH = 16;

/** Reads the hash key from its file (never from a flag value, which would land in shell history and `ps`). */
export function readHashKeyFile(file: string): string {
  let text: string;
  try {
    if (!statSync(file).isFile()) throw new HashKeyError(`the hash key file ${file} is not a file`);
    text = readFileSync(file, 'utf8').trim();
  } catch (error) {
    if (error instanceof HashKeyError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new HashKeyError(
      code === 'ENOENT'
        ? `the hash key file ${file} does not exist: give the API's hash key file (VIGIE_HASH_KEY_FILE, default var/hash-key)`
        : `cannot read the hash key file ${file} (${code ?? String(error)})`,
    );
  }
  if (text.length < MIN_KEY_LENGTH) {
    throw new HashKeyError(`the hash key file ${file} holds no usable key (${MIN_KEY_LENGTH} characters or more)`);
  }
  return text;
}

/** The applicant reference of a positive integer SK_ID_CURR, exactly as the API logs it; null for anything else. */
export function pseudonymise(hashKey: string, id: number): string | null {
  if (!Number.isSafeInteger(id) || id <= 0) return null;
  return createHmac('sha256', hashKey).update(String(id)).digest('hex').slice(0, 32);
}
