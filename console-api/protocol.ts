/**
 * Messages between a shell process and the console backend process (worker thread or Electron utilityProcess).
 * Both ends speak through a MessagePortLike so neither depends on worker_threads or Electron.
 */
import type { CallResult, ConsoleEvent } from './types.ts';

export interface MessagePortLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (message: unknown) => void): unknown;
}

export type ToBackend =
  | { kind: 'call'; id: string; operationId: string; method: string; input: unknown }
  | { kind: 'vault-result'; id: string; value?: string; error?: string }
  | { kind: 'close' };

export type FromBackend =
  | { kind: 'ready' }
  | { kind: 'fatal'; message: string }
  | { kind: 'result'; id: string; result: CallResult<unknown> }
  | { kind: 'event'; event: ConsoleEvent }
  | { kind: 'vault'; id: string; op: 'encrypt' | 'decrypt'; value: string }
  | { kind: 'closed' };

/** Where the backend keeps its data; given once at start-up and frozen. */
export interface BackendConfig {
  /** SQLite store file. */
  dbPath: string;
  /** Settings file (JSON; admin keys only ever stored encrypted by the vault). */
  settingsPath: string;
  /** Folder with model packages and registry.json. */
  modelsDir: string;
  /** Where uploads and generated demo logs go. */
  workDir: string;
  /** True when the shell answers vault requests (desktop: safeStorage); else keys live in memory only. */
  persistentVault: boolean;
}

export function isToBackend(value: unknown): value is ToBackend {
  return typeof value === 'object' && value !== null && typeof (value as { kind?: unknown }).kind === 'string';
}
