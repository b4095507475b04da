import type { Command } from 'commander';

type Register = (program: Command) => void;

/**
 * Every command module, in the order that keeps `vigie --help` stable, with the top-level names it registers and a
 * loader. The modules are imported only when one of their names runs (docs/decisions/1610-cli-loads-only-its-command.md):
 * each one statically pulls in its dependencies (the store, the engine, the analysis layer…), so importing them all
 * cost every run half a second before the command began.
 */
const MODULES: ReadonlyArray<{ names: readonly string[]; load: () => Promise<{ register: Register }> }> = [
  { names: ['simulate'], load: () => import('./simulate.ts') },
  { names: ['api'], load: () => import('./api.ts') },
  { names: ['score'], load: () => import('./score.ts') },
  { names: ['explain'], load: () => import('./explain.ts') },
  { names: ['sensitivity'], load: () => import('./sensitivity.ts') },
  { names: ['models'], load: () => import('./models.ts') },
  { names: ['bench'], load: () => import('./bench.ts') },
  { names: ['profile'], load: () => import('./profile.ts') },
  { names: ['ingest', 'bench'], load: () => import('./ingest.ts') },
  { names: ['bench'], load: () => import('./bench-drift.ts') },
  { names: ['pull'], load: () => import('./pull.ts') },
  { names: ['import-bucket'], load: () => import('./import-bucket.ts') },
  { names: ['drift'], load: () => import('./drift.ts') },
  { names: ['report'], load: () => import('./report.ts') },
  { names: ['replay', 'bench'], load: () => import('./replay.ts') },
  { names: ['labels'], load: () => import('./labels.ts') },
  { names: ['performance'], load: () => import('./performance.ts') },
  { names: ['check'], load: () => import('./check.ts') },
  { names: ['alerts'], load: () => import('./alerts.ts') },
  { names: ['console'], load: () => import('./console.ts') },
];

/**
 * The registrations a command line needs: none for `--version` (`-V`), the modules of the named command when the
 * first argument is one (`vigie drift …`, `vigie bench …`), and every module otherwise (`vigie`, `vigie --help`,
 * `vigie help drift`, a mistyped command: commander then lists or suggests among all of them, as before).
 */
export async function commandsFor(argv: readonly string[]): Promise<Register[]> {
  const first = argv[0];
  if (first === '-V' || first === '--version') return [];
  const named = MODULES.filter((entry) => first !== undefined && entry.names.includes(first));
  const chosen = named.length > 0 ? named : MODULES;
  const modules = await Promise.all(chosen.map((entry) => entry.load()));
  return modules.map((module) => module.register);
}
