import { Option, type Command } from 'commander';
import { benchGroup } from './bench.ts';
import { integerOption } from '../options.ts';

interface DriftBenchFlags {
  rows: number;
  referenceRows: number;
  dir?: string;
  db?: string;
  modelDir?: string;
  peers?: boolean;
  json?: boolean;
}

/** `vigie bench drift`: CSV drift beside Evidently, and the drift of a store's records (bench/drift-peers.ts). */
export function register(program: Command): void {
  benchGroup(program)
    .command('drift')
    .description(
      'vigie drift on simulated CSV files beside Evidently on the same files, and the drift of the records of a store',
    )
    .addOption(new Option('--rows <n>', 'current CSV rows').default(1_000_000).argParser(integerOption(1)))
    .addOption(new Option('--reference-rows <n>', 'reference CSV rows').default(20_000).argParser(integerOption(1)))
    .option('--dir <folder>', 'work folder for the CSV files, kept and reused (default: a temporary folder, removed)')
    .option('--db <store>', 'also time the drift of every field of the records of this store')
    .option('--model-dir <dir>', 'with --db: model package whose reference to compare with (default champion v1)')
    .option('--no-peers', 'do not run Evidently (bench/peers-requirements.txt)')
    .option('--json', 'print one JSON object')
    .exitOverride()
    .allowExcessArguments(false)
    .action(async (flags: DriftBenchFlags) => {
      const bench = (await import('../../bench/drift-peers.ts')) as typeof import('../../bench/drift-peers.ts');
      await bench.run(flags);
    });
}
