/**
 * `faultline profile`: builds, merges and shows mergeable profiles (`.flp` files).
 *
 * ```
 * faultline profile DATA [--column-types FILE] [--sample-rows N] [--seed N] -o OUT.flp
 * faultline profile merge A.flp B.flp … -o OUT.flp
 * faultline profile show A.flp [--json [FILE]]
 * ```
 *
 * DATA is a CSV, TSV, NDJSON or Parquet file. `--column-types` is a JSON or YAML map from column name to a
 * kind (`numerical`, `categorical`, `boolean`, `datetime`, `text`, `id`) or to `{ kind, histogramEdges }`.
 * Exit codes: 0 done, 2 usage or input error (unreadable data, a corrupt or foreign profile, profiles built
 * with different settings).
 */
import { readFile, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import { DatasetProfile } from '../../core/profile/dataset-profile.js';
import { decodeProfile, encodedColumnSizes, encodeProfile } from '../../core/profile/profile-codec.js';
import {
  type ColumnSummary,
  type ProfileSummary,
  summarizeProfile,
} from '../../core/profile/profile-summary.js';
import {
  type ColumnSettings,
  PROFILE_COLUMN_KINDS,
  type ProfileColumnKind,
} from '../../core/profile/settings.js';
import { seededRng } from '../../core/rng.js';
import { DataError } from '../../core/schema/data-error.js';
import { ProfileFormatError } from '../../core/sketch/bytes.js';
import { readTable } from '../../io/read-table.js';
import { UsageError } from '../usage-error.js';

interface ProfileOptions {
  output?: string;
  columnTypes?: string;
  sampleRows?: string;
  seed?: string;
}

function integerOption(
  value: string | undefined,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new UsageError(`${name} must be an integer from ${min} to ${max}, got "${value}"`);
  }
  return n;
}

/** Parses a `--column-types` document: `{ column: kind | { kind?, histogramEdges? } }`. */
export function parseColumnTypes(text: string, file: string): Record<string, ColumnSettings> {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new UsageError(`${file}: not valid JSON or YAML (${(err as Error).message.split('\n')[0]})`);
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new UsageError(`${file}: expected a map from column name to kind`, {
      hint: 'for example {"zip": "categorical", "age": {"kind": "numerical", "histogramEdges": [18, 65]}}',
    });
  }
  const kinds = PROFILE_COLUMN_KINDS.join(', ');
  const out: Record<string, ColumnSettings> = {};
  for (const [column, spec] of Object.entries(doc as Record<string, unknown>)) {
    const where = `${file}: column "${column}"`;
    const checkKind = (k: unknown): ProfileColumnKind => {
      if (typeof k !== 'string' || !(PROFILE_COLUMN_KINDS as readonly string[]).includes(k)) {
        throw new UsageError(`${where}: kind ${JSON.stringify(k)} is not one of ${kinds}`);
      }
      return k as ProfileColumnKind;
    };
    if (typeof spec === 'string') {
      out[column] = { kind: checkKind(spec) };
      continue;
    }
    if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) {
      throw new UsageError(
        `${where}: expected a kind or {kind, histogramEdges}, got ${JSON.stringify(spec)}`,
      );
    }
    const s = spec as Record<string, unknown>;
    for (const key of Object.keys(s)) {
      if (key !== 'kind' && key !== 'histogramEdges') {
        throw new UsageError(`${where}: unknown field "${key}"`, {
          hint: 'the fields are kind and histogramEdges',
        });
      }
    }
    const settings: ColumnSettings = {};
    if (s.kind !== undefined) settings.kind = checkKind(s.kind);
    if (s.histogramEdges !== undefined) {
      const e = s.histogramEdges;
      if (
        !Array.isArray(e) ||
        e.length === 0 ||
        !e.every(
          (x, i) => typeof x === 'number' && Number.isFinite(x) && (i === 0 || x > (e[i - 1] as number)),
        )
      ) {
        throw new UsageError(
          `${where}: histogramEdges must be a non-empty list of strictly increasing finite numbers`,
        );
      }
      settings.histogramEdges = e as number[];
    }
    out[column] = settings;
  }
  return out;
}

async function readProfileFile(path: string): Promise<DatasetProfile> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(
      code === 'ENOENT' ? `${path}: no such file` : `${path}: cannot be read (${code ?? String(err)})`,
    );
  }
  try {
    return decodeProfile(bytes);
  } catch (err) {
    if (err instanceof ProfileFormatError) {
      throw new UsageError(`${path}: ${err.message}`, {
        hint: 'profiles are written by "faultline profile DATA -o FILE.flp"',
      });
    }
    throw err;
  }
}

async function writeOutput(path: string, bytes: Uint8Array): Promise<void> {
  try {
    await writeFile(path, bytes);
  } catch (err) {
    throw new UsageError(
      `${path}: cannot be written (${(err as NodeJS.ErrnoException).code ?? String(err)})`,
    );
  }
}

function requireOutput(output: string | undefined, usage: string): string {
  if (!output) throw new UsageError('missing the output file', { hint: `use ${usage}` });
  return output;
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

/** Builds a profile of one data file. */
export async function profileData(data: string, opts: ProfileOptions): Promise<string> {
  const output = requireOutput(opts.output, `faultline profile ${data} -o OUT.flp`);
  const sampleRows = integerOption(opts.sampleRows, '--sample-rows', 1024, 0, 1 << 20);
  const seed = integerOption(opts.seed, '--seed', 0, -(2 ** 31), 2 ** 31 - 1);
  let columns: Record<string, ColumnSettings> = {};
  if (opts.columnTypes) {
    let text: string;
    try {
      text = await readFile(opts.columnTypes, 'utf8');
    } catch {
      throw new UsageError(`--column-types: ${opts.columnTypes}: no such file`);
    }
    columns = parseColumnTypes(text, opts.columnTypes);
  }
  let table: Awaited<ReturnType<typeof readTable>>;
  try {
    table = await readTable(data);
  } catch (err) {
    if (err instanceof DataError) throw new UsageError(err.message, { hint: err.hint });
    throw err;
  }
  const known = new Set(table.columns.map((c) => c.name));
  for (const name of Object.keys(columns)) {
    if (!known.has(name)) {
      throw new UsageError(`--column-types names column "${name}", which ${data} does not have`, {
        hint: `the columns are ${[...known].join(', ')}`,
      });
    }
  }
  let profile: DatasetProfile;
  try {
    profile = DatasetProfile.empty({ rng: seededRng(seed), settings: { sampleRows }, columns }).addTable(
      table,
    );
  } catch (err) {
    if (err instanceof RangeError) throw new UsageError(err.message);
    throw err;
  }
  const bytes = encodeProfile(profile);
  await writeOutput(output, bytes);
  return `profiled ${data}: ${profile.rowCount.toLocaleString('en-US')} rows, ${profile.columnNames().length} columns → ${output} (${kb(bytes.length)})\n`;
}

/** Merges profile files into one. */
export async function mergeProfiles(files: string[], output: string | undefined): Promise<string> {
  const out = requireOutput(output, `faultline profile merge ${files.join(' ')} -o OUT.flp`);
  let merged: DatasetProfile | null = null;
  for (const f of files) {
    const p = await readProfileFile(f);
    if (merged === null) merged = p;
    else {
      try {
        merged.merge(p);
      } catch (err) {
        if (err instanceof RangeError) {
          throw new UsageError(`${f}: ${err.message}`, {
            hint: 'only profiles built with the same settings merge',
          });
        }
        throw err;
      }
    }
  }
  const bytes = encodeProfile(merged!);
  await writeOutput(out, bytes);
  return `merged ${files.length} profiles: ${merged!.rowCount.toLocaleString('en-US')} rows, ${merged!.columnNames().length} columns → ${out} (${kb(bytes.length)})\n`;
}

function fmt(x: number | null): string {
  if (x === null) return '–';
  if (x !== 0 && (Math.abs(x) >= 1e6 || Math.abs(x) < 1e-3)) return x.toExponential(3);
  return String(Number(x.toPrecision(6)));
}

function describeColumn(c: ColumnSummary, rows: number): string {
  if (c.numbers) {
    const q = (p: number) => c.numbers!.quantiles.find((x) => x.q === p)?.value ?? null;
    return `mean ${fmt(c.numbers.mean)}  sd ${fmt(c.numbers.stddev)}  min ${fmt(c.numbers.min)}  p50 ${fmt(q(0.5))}  max ${fmt(c.numbers.max)}`;
  }
  if (c.times) return `${c.times.min} … ${c.times.max}`;
  const present = rows - c.missing;
  return c.topItems
    .slice(0, 3)
    .map((i) => `${i.item} ${present > 0 ? ((100 * i.count) / present).toFixed(1) : '0'} %`)
    .join(', ');
}

/** The terminal view of a profile. */
export function formatProfile(path: string, s: ProfileSummary, sizes: Map<string, number>): string {
  const lines = [
    `${path}: ${s.rows.toLocaleString('en-US')} rows, ${s.columns.length} columns, ${s.sampleRows.toLocaleString('en-US')} sampled rows` +
      ` (KLL k=${s.settings.kllK}, HLL p=${s.settings.hllP}, ${s.settings.frequentItems} frequent items)`,
  ];
  const header = ['column', 'kind', 'missing', 'distinct', 'size', 'summary'];
  const rows = s.columns.map((c) => [
    c.name,
    c.kind,
    c.missingShare === null ? '–' : `${(100 * c.missingShare).toFixed(1)} %`,
    c.distinct.exact ? String(c.distinct.estimate) : `~${Math.round(c.distinct.estimate)}`,
    kb(sizes.get(c.name) ?? 0),
    describeColumn(c, c.count),
  ]);
  const widths = header.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j]!.length)));
  const line = (r: string[]) =>
    `  ${r.map((x, j) => (j === r.length - 1 ? x : x.padEnd(widths[j]!))).join('  ')}`.trimEnd();
  lines.push(line(header), ...rows.map(line));
  lines.push(
    '  (~ distinct counts are HyperLogLog estimates, ±3·1.6 % at p=12; quantiles within the KLL rank error)',
  );
  return `${lines.join('\n')}\n`;
}

/** Shows a profile; with `json`, writes the summary as JSON to stdout (true) or to a file. */
export async function showProfile(file: string, json: string | boolean | undefined): Promise<string> {
  const p = await readProfileFile(file);
  const summary = summarizeProfile(p);
  if (json === undefined || json === false) return formatProfile(file, summary, encodedColumnSizes(p));
  const text = `${JSON.stringify(summary, null, 2)}\n`;
  if (json === true) return text;
  await writeOutput(json, new TextEncoder().encode(text));
  return `wrote the summary of ${file} to ${json}\n`;
}

/** Registers `faultline profile`, `profile merge` and `profile show`. */
export function register(program: Command): void {
  const profile = program
    .command('profile')
    .description('build a mergeable profile (.flp) of a data file; merge or show profiles')
    .argument('[DATA]', 'CSV, TSV, NDJSON or Parquet file to profile')
    .option('-o, --output <file>', 'the profile file to write (.flp)')
    .option('--column-types <file>', 'JSON or YAML map: column → kind, or {kind, histogramEdges}')
    .option('--sample-rows <n>', 'rows kept in the uniform row sample (default 1024; 0 keeps none)')
    .option(
      '--seed <n>',
      'seed of the sketches’ random choices (default 0: the same file gives the same profile)',
    )
    .action(async (data: string | undefined, opts: ProfileOptions) => {
      if (!data) {
        throw new UsageError('missing the data file to profile', {
          hint: 'use faultline profile DATA -o OUT.flp, faultline profile merge A.flp B.flp -o OUT.flp or faultline profile show A.flp',
        });
      }
      process.stdout.write(await profileData(data, opts));
    });
  profile
    .command('merge')
    .description('merge profiles of parts of a data set into the profile of the whole')
    .argument('<profiles...>', 'two or more .flp files')
    .action(async (files: string[]) => {
      // -o/--output is parsed by the parent command, wherever it appears on the line.
      const output = (profile.opts() as ProfileOptions).output;
      process.stdout.write(await mergeProfiles(files, output));
    });
  profile
    .command('show')
    .description('describe a profile: counts, moments, quantiles, distinct counts, top values')
    .argument('<profile>', 'a .flp file')
    .option('--json [file]', 'print (or write to FILE) the summary as JSON')
    .action(async (file: string, opts: { json?: string | boolean }) => {
      process.stdout.write(await showProfile(file, opts.json));
    });
}
