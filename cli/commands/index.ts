import type { Command } from 'commander';
import { register as registerApi } from './api.ts';
import { register as registerBench } from './bench.ts';
import { register as registerBenchDrift } from './bench-drift.ts';
import { register as registerModels } from './models.ts';
import { register as registerScore } from './score.ts';
import { register as registerSimulate } from './simulate.ts';
import { register as registerDrift } from './drift.ts';
import { register as registerReport } from './report.ts';
import { register as registerConsole } from './console.ts';
import { register as registerIngest } from './ingest.ts';
import { register as registerPull } from './pull.ts';

/** Every subcommand registers itself on the program; the list keeps `vigie --help` in a stable order. */
export const commands: Array<(program: Command) => void> = [
  registerSimulate,
  registerApi,
  registerScore,
  registerModels,
  registerBench,
  registerIngest,
  registerBenchDrift,
  registerPull,
  registerDrift,
  registerReport,
  registerConsole,
];
