/**
 * `faultline report`: compares a reference and a current data file — drift per column and for the
 * dataset, data quality, model performance — and prints a terminal summary, with optional JSON and
 * self-contained HTML files. Exit 0 when it ran, 1 with --fail-on-drift when the dataset drifted, 2 for a
 * usage or input error.
 */
import type { Command } from 'commander';
import { InvalidArgumentError, Option } from 'commander';
import { runReport } from '../report/run-report.js';

function parseNumber(value: string): number {
  const x = Number(value);
  if (value.trim() === '' || !Number.isFinite(x))
    throw new InvalidArgumentError(`expected a number, got "${value}"`);
  return x;
}

/** Registers `faultline report`. */
export function register(program: Command): void {
  program
    .command('report')
    .description('Compare a reference and a current data file: drift, data quality, model performance.')
    .option('--reference <file>', 'reference data (CSV, TSV, NDJSON or Parquet), e.g. training data')
    .option('--current <file>', 'current data to compare with the reference, e.g. last week in production')
    .option('--target <column>', 'the true label or value (its drift is reported apart from the features)')
    .option('--prediction <column>', "the model's prediction (performance needs --target too)")
    .option(
      '--proba <columns>',
      'predicted probabilities: one column for binary, one per label otherwise (comma-separated)',
    )
    .option('--id <column>', 'row identifier (not tested)')
    .option('--timestamp <column>', 'event time (not tested)')
    .addOption(
      new Option('--method <name>', 'drift method for every column it fits; auto picks per column')
        .choices([
          'auto',
          'ks',
          'wasserstein',
          'psi',
          'jensenshannon',
          'kl',
          'hellinger',
          'chisquare',
          'ztest',
          'linf',
          'anderson',
          'cvm',
        ])
        .default('auto'),
    )
    .option(
      '--column-types <file>',
      'JSON file: {"col": "categorical", "col2": {"kind": "numerical", "method": "ks", "threshold": 0.01}}',
    )
    .option('--threshold <x>', "drift threshold for every column (default: each method's own)", parseNumber)
    .option(
      '--drift-share <x>',
      'the dataset drifts when at least this share of features drifted',
      parseNumber,
      0.5,
    )
    .option(
      '--positive-label <label>',
      'positive label for binary classification metrics (default 1, true or yes)',
    )
    .option(
      '--seed <n>',
      'seed of the samples behind multivariate drift, edge cases, text and estimated performance',
      parseNumber,
    )
    .option(
      '--estimate-performance',
      'estimate performance without labels (CBPE, DLE) even when the current file has the target',
    )
    .option('--json <file>', 'write the full report as JSON')
    .option('--html <file>', 'write a self-contained HTML report')
    .option('--fail-on-drift', 'exit with code 1 when the dataset drifted')
    .option('--reference-profile <file>', 'a saved profile (faultline profile) instead of --reference data')
    .option('--current-profile <file>', 'a saved profile (faultline profile) instead of --current data')
    .action(async (opts) => {
      const code = await runReport(opts);
      if (code !== 0) process.exitCode = code;
    });
}
