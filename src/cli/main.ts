/**
 * The `faultline` command line: parses arguments and dispatches to a command.
 * Returns the process exit code: 0 ran, 1 a gate failed (e.g. --fail-on-drift), 2 usage or input error.
 */
import { Command, CommanderError } from 'commander';

export async function main(argv: string[]): Promise<number> {
  const program = new Command('faultline')
    .description('Finds out why a machine-learning system is failing in production.')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    throw err;
  }
}
