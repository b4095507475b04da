/** Exit codes of every `vigie` command. */
export const EXIT = {
  ok: 0,
  /** A gate tripped (e.g. `vigie drift --fail-on-drift` found drift). */
  gate: 1,
  /** A user mistake or an operational error: one line on stderr, no stack. */
  error: 2,
} as const;

/** An error meant for the person at the terminal: printed as one line, exit code 2. */
export class CliError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode: number = EXIT.error) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}
