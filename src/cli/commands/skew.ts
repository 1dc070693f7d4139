/**
 * `faultline skew --training FILE --serving FILE --id COL [--json OUT] [--round N]`: offline train–serving
 * skew over two files. Rows are joined on the id column(s) and every feature compared (TFDV feature skew,
 * with a plain-words unit explanation where one fits); numeric features are also checked for a unit or
 * scale change without the join. Prints a terminal table; `--json` writes the full result.
 * Exit codes: 0 ran, 2 usage or input error.
 */
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { Cell } from '../../core/multivariate/columns.js';
import { columnsFromTable } from '../../core/multivariate/table-columns.js';
import { DataError } from '../../core/schema/data-error.js';
import type { Table } from '../../core/schema/table.js';
import { type DistributionSkewResult, distributionSkew } from '../../core/skew/distribution-skew.js';
import { type FeatureSkewReport, featureSkew } from '../../core/skew/feature-skew.js';
import { detectUnitChanges, type UnitChangeResult } from '../../core/skew/unit-change.js';
import { readTable } from '../../io/read-table.js';
import { UsageError } from '../usage-error.js';

interface SkewOptions {
  training: string;
  serving: string;
  id: string;
  json?: string;
  round?: string;
}

/** The JSON document `--json` writes. */
export interface SkewOutput {
  training: { path: string; rows: number };
  serving: { path: string; rows: number };
  id: string[];
  roundDigits: number | null;
  featureSkew: FeatureSkewReport;
  /** TFDV distribution skew of every feature but the ids (L∞ categorical, JS divergence numerical; > 0.3). */
  distributionSkew: DistributionSkewResult[];
  unitChanges: UnitChangeResult[];
}

async function load(path: string, role: string): Promise<Table> {
  try {
    return await readTable(path);
  } catch (err) {
    if (err instanceof DataError) throw new UsageError(`--${role}: ${err.message}`, { hint: err.hint });
    throw err;
  }
}

function cell(v: Cell): string {
  if (v === null || v === undefined) return '(missing)';
  return typeof v === 'number' ? String(Number(v.toPrecision(10))) : JSON.stringify(v);
}

function pct(x: number | null): string {
  return x === null ? '–' : `${(x * 100).toFixed(1)} %`;
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j]!.length)));
  const line = (r: string[]) =>
    `  ${r.map((c, j) => (j === 0 ? c.padEnd(widths[j]!) : c.padStart(widths[j]!))).join('  ')}`.trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

/** The terminal summary of a skew run. */
export function formatSkew(out: SkewOutput): string {
  const j = out.featureSkew.join;
  const lines: string[] = [];
  lines.push(
    `faultline skew: ${out.training.path} (${out.training.rows} rows) vs ${out.serving.path} (${out.serving.rows} rows), joined on ${out.id.join(', ')}` +
      (out.roundDigits === null ? '' : `, numbers rounded to ${out.roundDigits} decimals`),
  );
  lines.push(
    `  joined ${j.joined} ids · training only ${j.trainingOnlyIds} · serving only ${j.servingOnlyIds}` +
      ` · duplicate ids ${j.duplicateIdsTraining}/${j.duplicateIdsServing} · missing id ${j.missingIdTraining}/${j.missingIdServing} (training/serving)`,
  );
  lines.push('');
  lines.push(
    table(
      ['feature', 'match', 'mismatch', 'training only', 'serving only', 'mismatch share', 'median ratio'],
      out.featureSkew.features.map((f) => [
        f.feature,
        String(f.matchCount),
        String(f.mismatchCount),
        String(f.baseOnly),
        String(f.testOnly),
        pct(f.mismatchShare),
        f.medianRatio === null ? '–' : String(Number(f.medianRatio.toPrecision(4))),
      ]),
    ),
  );
  const skewed = out.featureSkew.features.filter((f) => f.explanation !== null);
  if (skewed.length > 0) {
    lines.push('');
    for (const f of skewed) {
      lines.push(`  ${f.explanation}`);
      for (const s of f.samples.slice(0, 3))
        lines.push(`      id ${s.id}: training ${cell(s.training)} → serving ${cell(s.serving)}`);
    }
  } else lines.push('', '  no feature skew: every joined row matches');
  const skewed2 = out.distributionSkew.filter((d) => d.skewed);
  lines.push('');
  if (skewed2.length === 0)
    lines.push(
      '  distribution skew: none above the thresholds (L∞ > 0.3 categorical, JS divergence > 0.3 numerical)',
    );
  else {
    lines.push('  distribution skew (training vs serving, no join needed):');
    for (const d of skewed2) {
      const metric = d.metric === 'l_infinity' ? 'L∞' : 'JS divergence';
      const top = d.topCategory
        ? ` (most changed: "${d.topCategory.value}" ${pct(d.topCategory.training)} → ${pct(d.topCategory.serving)})`
        : '';
      lines.push(`  ${d.feature}: ${metric} ${d.value!.toFixed(3)} > ${d.threshold}${top}`);
    }
  }
  const changes = out.unitChanges.filter((u) => u.detected);
  if (changes.length > 0) {
    lines.push('', '  unit or scale changes (serving vs training, no join needed):');
    for (const u of changes) lines.push(`  ${u.explanation}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Runs the command on parsed options; exported for tests. */
export async function runSkew(opts: SkewOptions): Promise<SkewOutput> {
  const ids = opts.id
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (ids.length === 0) throw new UsageError('--id: needs a column name', { hint: 'e.g. --id customer_id' });
  let roundDigits: number | null = null;
  if (opts.round !== undefined) {
    roundDigits = Number(opts.round);
    if (!Number.isInteger(roundDigits) || roundDigits < 0 || roundDigits > 20)
      throw new UsageError(`--round: expected a whole number of decimals from 0 to 20, got "${opts.round}"`);
  }
  const [training, serving] = await Promise.all([
    load(opts.training, 'training'),
    load(opts.serving, 'serving'),
  ]);
  for (const [role, t] of [
    ['training', training],
    ['serving', serving],
  ] as const) {
    const names = t.columns.map((c) => c.name);
    for (const id of ids)
      if (!names.includes(id))
        throw new UsageError(`--id: ${role} file ${t.source.path} has no column "${id}"`, {
          hint: `its columns are ${names.join(', ')}`,
        });
  }
  const trainingColumns = columnsFromTable(training);
  const servingColumns = columnsFromTable(serving);
  const report = featureSkew(trainingColumns, servingColumns, {
    id: ids,
    ...(roundDigits === null ? {} : { roundDigits }),
  });
  const withoutIds = (c: Record<string, Cell[]>) =>
    Object.fromEntries(Object.entries(c).filter(([k]) => !ids.includes(k)));
  const out: SkewOutput = {
    training: { path: opts.training, rows: training.rows },
    serving: { path: opts.serving, rows: serving.rows },
    id: ids,
    roundDigits,
    featureSkew: report,
    distributionSkew: distributionSkew(withoutIds(trainingColumns), withoutIds(servingColumns)),
    unitChanges: detectUnitChanges(withoutIds(trainingColumns), withoutIds(servingColumns)),
  };
  if (opts.json !== undefined) {
    try {
      await writeFile(opts.json, `${JSON.stringify(out, null, 2)}\n`);
    } catch (err) {
      throw new UsageError(
        `--json: cannot write ${opts.json} (${(err as NodeJS.ErrnoException).code ?? String(err)})`,
      );
    }
  }
  return out;
}

/** Registers `faultline skew`. */
export function register(program: Command): void {
  program
    .command('skew')
    .description('Train–serving skew: join serving rows to training rows on an id and compare every feature.')
    .requiredOption('--training <file>', 'training data (CSV, TSV, NDJSON or Parquet)')
    .requiredOption('--serving <file>', 'serving data with the same id column')
    .requiredOption('--id <column>', 'id column to join on (several: a,b)')
    .option('--json <file>', 'also write the full result as JSON')
    .option('--round <digits>', 'round numbers to this many decimals before comparing')
    .action(async (opts: SkewOptions) => {
      const out = await runSkew(opts);
      process.stdout.write(formatSkew(out));
    });
}
