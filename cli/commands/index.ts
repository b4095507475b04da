import type { Command } from 'commander';
import { register as registerApi } from './api.ts';
import { register as registerBench } from './bench.ts';
import { register as registerBenchDrift } from './bench-drift.ts';
import { register as registerModels } from './models.ts';
import { register as registerScore } from './score.ts';
import { register as registerExplain } from './explain.ts';
import { register as registerSensitivity } from './sensitivity.ts';
import { register as registerSimulate } from './simulate.ts';
import { register as registerDrift } from './drift.ts';
import { register as registerReport } from './report.ts';
import { register as registerConsole } from './console.ts';
import { register as registerIngest } from './ingest.ts';
import { register as registerPull } from './pull.ts';
import { register as registerImportBucket } from './import-bucket.ts';
import { register as registerProfile } from './profile.ts';
import { register as registerReplay } from './replay.ts';
import { register as registerLabels } from './labels.ts';
import { register as registerPerformance } from './performance.ts';
import { register as registerCheck } from './check.ts';
import { register as registerAlerts } from './alerts.ts';

/** Every subcommand registers itself on the program; the list keeps `vigie --help` in a stable order. */
export const commands: Array<(program: Command) => void> = [
  registerSimulate,
  registerApi,
  registerScore,
  registerExplain,
  registerSensitivity,
  registerModels,
  registerBench,
  registerProfile,
  registerIngest,
  registerBenchDrift,
  registerPull,
  registerImportBucket,
  registerDrift,
  registerReport,
  registerReplay,
  registerLabels,
  registerPerformance,
  registerCheck,
  registerAlerts,
  registerConsole,
];
