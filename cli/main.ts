import { Command, CommanderError } from 'commander';
import { CliError, EXIT } from './errors.ts';
import { commandsFor } from './commands/index.ts';

function buildProgram(commands: ReadonlyArray<(program: Command) => void>): Command {
  const program = new Command('vigie')
    .description('Vigie: score credit applicants and keep watch over the model in production.')
    .version('0.1.0', '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });
  for (const register of commands) register(program);
  // Subcommands inherit the strict parsing: unknown options and extra arguments are errors.
  for (const command of program.commands) command.exitOverride().allowExcessArguments(false);
  return program;
}

/** Runs the command line and resolves to the process exit code; never throws. */
export async function main(argv: string[], options: { debug?: boolean } = {}): Promise<number> {
  try {
    const program = buildProgram(await commandsFor(argv));
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has already printed its one-line message; help and version are not errors.
      return error.exitCode === 0 ? EXIT.ok : EXIT.error;
    }
    if (error instanceof CliError) {
      process.stderr.write(`vigie: ${error.message}\n`);
      return error.exitCode;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`vigie: unexpected error: ${message}\n`);
    if (options.debug && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    return EXIT.error;
  }
}
