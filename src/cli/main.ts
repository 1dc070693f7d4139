/**
 * The `faultline` command line: parses arguments and dispatches to a command.
 * Exit codes: 0 ran, 1 a gate failed (e.g. --fail-on-drift, a violated expectation), 2 usage or input error.
 * Each command lives in `commands/<name>.ts` and exports `register(program)`.
 */
import { Command, CommanderError } from 'commander';
import { register as check } from './commands/check.js';
import { register as demo } from './commands/demo.js';
import { register as incidents } from './commands/incidents.js';
import { register as profile } from './commands/profile.js';
import { register as report } from './commands/report.js';
import { register as serve } from './commands/serve.js';
import { register as skew } from './commands/skew.js';
import { register as token } from './commands/token.js';
import { register as worker } from './commands/worker.js';
import { UsageError } from './usage-error.js';

export function buildProgram(): Command {
  const program = new Command('faultline')
    .description('Finds out why a machine-learning system is failing in production.')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  for (const register of [demo, report, profile, serve, token, skew, worker, incidents, check])
    register(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  program.action(() => {
    program.outputHelp();
  });
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    if (err instanceof UsageError) {
      process.stderr.write(`faultline: ${err.message}\n${err.hint ? `hint: ${err.hint}\n` : ''}`);
      return err.exitCode;
    }
    throw err;
  }
}
