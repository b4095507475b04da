/**
 * Entry of the desktop backend's utilityProcess: registers tsx, then loads the backend from its TypeScript sources,
 * the one code path the CLI, the browser shell and the tests also run (docs/decisions/0001).
 */
import { register } from 'tsx/esm/api';

register();
await import(new URL('../backend/utility-entry.ts', import.meta.url).href);
