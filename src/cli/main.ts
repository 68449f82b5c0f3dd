/**
 * Entry point of the `stedi` CLI. Each command lives in its own module under commands/ and
 * registers itself on the program; main() turns errors into one line on stderr and an exit code
 * scripts can rely on: 0 success, 1 failure (bad input, failed run or check), 2 usage error.
 */
import { Command, CommanderError } from 'commander';
import { describeError, StediError } from '../errors.js';
import { registerCommands } from './commands/index.js';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

export function buildProgram(): Command {
  const program = new Command('stedi')
    .description('Privacy-first STEDI lakehouse: landing -> trusted -> curated -> anonymized ML table')
    .showHelpAfterError()
    .exitOverride();
  registerCommands(program);
  return program;
}

export async function main(argv: readonly string[]): Promise<number> {
  // `stedi runs | head` closes the pipe early: that is the reader's choice, not an error.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(EXIT_OK);
    throw err;
  });
  const program = buildProgram();
  try {
    await program.parseAsync([...argv]);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT_OK;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version are "errors" to commander; they already printed what they had to.
      return err.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    }
    process.stderr.write(`stedi: ${describeError(err)}\n`);
    if (process.env.STEDI_DEBUG && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
    return err instanceof StediError && err.code === 'USAGE' ? EXIT_USAGE : EXIT_FAILURE;
  }
}
