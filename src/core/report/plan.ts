/**
 * @module
 * Plans a report: checks the options against the two tables, gives every column a role and a kind, and
 * decides per column whether and how it is tested. The plan is a list of independent column jobs, so the
 * work can be split across threads (`runColumnJob`) and put back together (`assembleReport`).
 *
 * Method choice per column, first that applies: the column types file's `method` (an error when it does
 * not fit the kind), `--method` (when it does not fit a kind, such as `ks` on a categorical column, that
 * column uses the automatic choice and a note says so), then the automatic choice (`chooseMethod`,
 * methods.md 1.13). Threshold: column types file, then `--threshold`, then the method's default.
 */

import type { ColumnSetting } from '../schema/column-types.js';
import { compareSchemas, type ResolvedKind, resolveKinds, type SchemaComparison } from '../schema/compare.js';
import { DataError } from '../schema/data-error.js';
import type { ColumnKind } from '../schema/kinds.js';
import type { Table } from '../schema/table.js';
import { DRIFT_METHODS, type DriftMethod } from '../stats/index.js';
import type { ColumnRole, MethodSource, ReportSettings } from './types.js';

/** Default seed of the report's samples. */
export const REPORT_SEED = 20240601;

/** The options of `faultline report` that shape the computation. */
export interface ReportOptions {
  target?: string | null;
  prediction?: string | null;
  proba?: readonly string[];
  id?: string | null;
  timestamp?: string | null;
  method?: DriftMethod | 'auto';
  threshold?: number | null;
  /** From the column types file. */
  columnSettings?: ReadonlyMap<string, ColumnSetting>;
  /** Dataset drift when this share of tested features drifted (default 0.5, Evidently). */
  driftShare?: number;
  /** Positive label of a binary classification (default: 1, true or yes, else the second label). */
  positiveLabel?: string | null;
  /** Seed of the sample-based sections (multivariate, edge cases, text, estimated performance). */
  seed?: number;
  /** Estimate performance without labels even when the current file has the target. */
  estimatePerformance?: boolean;
}

/** What to do with one column. */
export interface ColumnJob {
  name: string;
  role: ColumnRole;
  kind: ColumnKind;
  kindSource: 'inferred' | 'override';
  kindReason: string;
  presentIn: 'both' | 'reference' | 'current';
  /** Why the column is not tested, or null. */
  skip: string | null;
  /** Forced method, or null for the automatic choice. */
  method: DriftMethod | null;
  methodSource: MethodSource;
  threshold: number | undefined;
}

export interface ReportPlan {
  jobs: ColumnJob[];
  kinds: Map<string, ColumnKind>;
  schema: SchemaComparison;
  settings: ReportSettings;
  notes: string[];
}

/** Methods a categorical or boolean column accepts (every method accepts numerical columns). */
export const CATEGORICAL_METHODS: readonly DriftMethod[] = [
  'chisquare',
  'ztest',
  'jensenshannon',
  'psi',
  'kl',
  'hellinger',
  'linf',
];

/** Whether `method` can test a column of `kind`. */
export function methodFits(method: DriftMethod, kind: ColumnKind): boolean {
  if (kind === 'numerical') return true;
  if (kind === 'categorical' || kind === 'boolean') return CATEGORICAL_METHODS.includes(method);
  return false;
}

const UNTESTED_KIND: Partial<Record<ColumnKind, string>> = {
  datetime: 'date-time column: compared by its range, not tested for drift',
  text: 'free-text column: not tested as a whole (from data files, its descriptors are: text section)',
  id: 'identifier column: unique by design, not tested for drift',
};

export function listColumns(names: string[]): string {
  const shown = names.slice(0, 12).join(', ');
  return names.length > 12 ? `${shown}, … (${names.length} in all)` : shown;
}

/** The role of every named column and the checked report-wide settings. */
export interface ResolvedOptions {
  roles: Map<string, ColumnRole>;
  settings: ReportSettings;
  columnSettings: ReadonlyMap<string, ColumnSetting>;
}

/**
 * Checks the options against the column names of both inputs: every named column exists, none has two
 * roles, threshold, drift share and method are valid. Throws `DataError` naming the problem.
 */
export function resolveOptions(all: readonly string[], options: ReportOptions): ResolvedOptions {
  const known = new Set(all);
  const roles = new Map<string, ColumnRole>();
  const proba = [...(options.proba ?? [])];
  const assign = (name: string | null | undefined, role: ColumnRole, flag: string) => {
    if (name === null || name === undefined) return;
    if (!known.has(name)) {
      throw new DataError(
        `${flag} names column "${name}", which is in neither file`,
        `columns: ${listColumns([...all])}`,
      );
    }
    const before = roles.get(name);
    if (before) throw new DataError(`column "${name}" is given two roles (${before} and ${role})`);
    roles.set(name, role);
  };
  assign(options.target, 'target', '--target');
  assign(options.prediction, 'prediction', '--prediction');
  for (const p of proba) assign(p, 'proba', '--proba');
  assign(options.id, 'id', '--id');
  assign(options.timestamp, 'timestamp', '--timestamp');

  const columnSettings = options.columnSettings ?? new Map<string, ColumnSetting>();
  for (const name of columnSettings.keys()) {
    if (!known.has(name)) {
      throw new DataError(
        `the column types file names column "${name}", which is in neither file`,
        `columns: ${listColumns([...all])}`,
      );
    }
  }
  const threshold = options.threshold ?? null;
  if (threshold !== null && !Number.isFinite(threshold)) throw new DataError('--threshold must be a number');
  const driftShare = options.driftShare ?? 0.5;
  if (!(driftShare > 0 && driftShare <= 1))
    throw new DataError(`--drift-share must be in (0, 1] (got ${driftShare})`);
  const seed = options.seed ?? REPORT_SEED;
  if (!Number.isSafeInteger(seed) || seed < 0)
    throw new DataError(`--seed must be a whole number ≥ 0 (got ${seed})`);
  const method = options.method ?? 'auto';
  if (method !== 'auto' && !DRIFT_METHODS.includes(method)) {
    throw new DataError(`unknown method "${method}"`, `use auto or one of ${DRIFT_METHODS.join(', ')}`);
  }
  return {
    roles,
    columnSettings,
    settings: {
      method,
      threshold,
      driftShare,
      target: options.target ?? null,
      prediction: options.prediction ?? null,
      proba,
      id: options.id ?? null,
      timestamp: options.timestamp ?? null,
      positiveLabel: options.positiveLabel ?? null,
      seed,
      estimatePerformance: options.estimatePerformance ?? false,
    },
  };
}

/** Why a column of this role or kind is not tested, or null. */
export function untestedReason(
  role: ColumnRole,
  kind: ColumnKind,
  presentIn: ColumnJob['presentIn'],
): string | null {
  if (role === 'id') return 'identifier column (--id): not tested for drift';
  if (role === 'timestamp') return 'timestamp column (--timestamp): not tested for drift';
  if (presentIn !== 'both') return `only in the ${presentIn} file`;
  return UNTESTED_KIND[kind] ?? null;
}

/**
 * Builds the plan. Throws `DataError` for an unknown column (in a role option or the column types file), a
 * column named in two roles, a per-column method that does not fit its kind, or a threshold or drift share
 * out of range.
 */
export function planReport(reference: Table, current: Table, options: ReportOptions = {}): ReportPlan {
  const schema = compareSchemas(reference, current);
  const all = [...reference.columns.map((c) => c.name), ...schema.extraInCurrent];
  const notes: string[] = [];
  const { roles, settings: reportSettings, columnSettings: settings } = resolveOptions(all, options);
  const proba = reportSettings.proba;
  const threshold = reportSettings.threshold;
  const globalMethod = reportSettings.method;

  const forcedKinds = new Map<string, ColumnKind>();
  for (const [name, s] of settings) if (s.kind) forcedKinds.set(name, s.kind);
  for (const p of proba) if (!forcedKinds.has(p)) forcedKinds.set(p, 'numerical');
  const resolved: Map<string, ResolvedKind> = resolveKinds(reference, current, forcedKinds);
  for (const p of proba) {
    if (!settings.get(p)?.kind)
      resolved.set(p, { kind: 'numerical', reason: 'probability column (--proba)', source: 'override' });
  }
  const inRef = new Set(reference.columns.map((c) => c.name));
  const inCur = new Set(current.columns.map((c) => c.name));
  const misfits = new Map<string, string[]>();

  const jobs: ColumnJob[] = all.map((name) => {
    const k = resolved.get(name)!;
    const role = roles.get(name) ?? 'feature';
    const presentIn = inRef.has(name) && inCur.has(name) ? 'both' : inRef.has(name) ? 'reference' : 'current';
    const s = settings.get(name);
    const skip = untestedReason(role, k.kind, presentIn);
    let method: DriftMethod | null = null;
    let methodSource: MethodSource = 'auto';
    if (s?.method) {
      if (!methodFits(s.method, k.kind)) {
        throw new DataError(
          `the column types file sets method "${s.method}" for column "${name}", which is ${k.kind}`,
          k.kind === 'categorical' || k.kind === 'boolean'
            ? `${k.kind} columns take ${CATEGORICAL_METHODS.join(', ')}`
            : `${k.kind} columns are not tested for drift`,
        );
      }
      method = s.method;
      methodSource = 'column-types';
    } else if (globalMethod !== 'auto' && skip === null) {
      if (methodFits(globalMethod, k.kind)) {
        method = globalMethod;
        methodSource = 'option';
      } else misfits.set(k.kind, [...(misfits.get(k.kind) ?? []), name]);
    }
    return {
      name,
      role,
      kind: k.kind,
      kindSource: k.source,
      kindReason: k.reason,
      presentIn,
      skip,
      method,
      methodSource,
      threshold: s?.threshold ?? threshold ?? undefined,
    };
  });
  for (const [kind, names] of misfits) {
    notes.push(
      `--method ${globalMethod} does not apply to ${kind} columns (${listColumns(names)}): they use the automatic choice`,
    );
  }
  for (const name of schema.missingInCurrent)
    if (roles.has(name)) notes.push(`${roles.get(name)} column "${name}" is only in the reference file`);
  for (const name of schema.extraInCurrent)
    if (roles.has(name)) notes.push(`${roles.get(name)} column "${name}" is only in the current file`);

  return {
    jobs,
    kinds: new Map([...resolved].map(([n, r]) => [n, r.kind])),
    schema,
    settings: reportSettings,
    notes,
  };
}
