/**
 * @module
 * The column types file (`--column-types FILE.json`): a JSON object naming, per column, its kind, and
 * optionally the drift method and threshold to use for it:
 *
 * ```json
 * { "zip": "categorical", "delay": { "kind": "numerical", "method": "ks", "threshold": 0.01 }, "note": "text" }
 * ```
 *
 * Parsed with zod; every problem is reported with the column and field it concerns.
 */
import { z } from 'zod';
import { DRIFT_METHODS, type DriftMethod } from '../stats/index.js';
import { DataError } from './data-error.js';
import { COLUMN_KINDS, type ColumnKind } from './kinds.js';

/** What the column types file says about one column. */
export interface ColumnSetting {
  kind?: ColumnKind;
  method?: DriftMethod;
  threshold?: number;
}

const kind = z.enum(COLUMN_KINDS as [ColumnKind, ...ColumnKind[]]);
const method = z.enum(DRIFT_METHODS as [DriftMethod, ...DriftMethod[]]);
const setting = z.strictObject({
  kind: kind.optional(),
  method: method.optional(),
  threshold: z.number().refine(Number.isFinite, 'must be a finite number').optional(),
});

const HINT = `write {"column": "<kind>"} or {"column": {"kind": "<kind>", "method": "<method>", "threshold": 0.1}}; kinds: ${COLUMN_KINDS.join(', ')}; methods: ${DRIFT_METHODS.join(', ')}`;

/**
 * Validates a parsed column types file. Throws `DataError` naming each bad column and field, with the
 * valid kinds and methods in the hint.
 */
export function parseColumnTypes(value: unknown, source = 'column types file'): Map<string, ColumnSetting> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new DataError(`${source}: expected a JSON object mapping column names to kinds`, HINT);
  }
  const out = new Map<string, ColumnSetting>();
  const problems: string[] = [];
  for (const [name, v] of Object.entries(value)) {
    if (typeof v === 'string') {
      const k = kind.safeParse(v);
      if (k.success) out.set(name, { kind: k.data });
      else problems.push(`column "${name}": unknown kind ${JSON.stringify(v)}`);
      continue;
    }
    const s = setting.safeParse(v);
    if (s.success) out.set(name, { ...s.data });
    else {
      for (const issue of s.error.issues) {
        const field = issue.path.length > 0 ? ` field "${issue.path.map(String).join('.')}"` : '';
        problems.push(`column "${name}"${field}: ${issue.message}`);
      }
    }
  }
  if (problems.length > 0) throw new DataError(`${source}: ${problems.join('; ')}`, HINT);
  return out;
}
