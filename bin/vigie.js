#!/usr/bin/env node
// Vigie runs its TypeScript sources directly through tsx: one code path for the CLI, the API, the console and the
// tests, and no build step before the first run (docs/decisions/0001-run-typescript-with-tsx.md).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2), { debug: Boolean(process.env.VIGIE_DEBUG) });
