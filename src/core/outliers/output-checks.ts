/**
 * @module
 * User-declared checks on a model's outputs: a regressor's plausible range, a classifier's forbidden
 * confusions (true → predicted pairs that must never happen, e.g. "malignant → benign"), and a blocklist or
 * regular expression a generated text must never match. Each violation is kept with its input, so an
 * edge case can be replayed. These are declarations, not statistics: a single violation is a finding.
 */
import { z } from 'zod';

const name = z.string().min(1, 'a check needs a non-empty name');
/** Property of the output (and label) to read, e.g. `value`, `class` or `text`; absent → the whole value. */
const field = z.string().min(1).optional();

export const outputCheckSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('range'),
      name,
      field,
      min: z.number().optional(),
      max: z.number().optional(),
    })
    .refine((c) => c.min !== undefined || c.max !== undefined, { message: 'a range check needs min or max' })
    .refine((c) => c.min === undefined || c.max === undefined || c.min <= c.max, {
      message: 'a range check needs min ≤ max',
    }),
  z.object({
    kind: z.literal('forbidden-confusion'),
    name,
    field,
    pairs: z
      .array(
        z.object({
          actual: z.union([z.string(), z.number(), z.boolean()]),
          predicted: z.union([z.string(), z.number(), z.boolean()]),
        }),
      )
      .min(1, 'a forbidden-confusion check needs at least one {actual, predicted} pair'),
  }),
  z.object({
    kind: z.literal('blocklist'),
    name,
    field,
    terms: z.array(z.string().min(1)).min(1, 'a blocklist needs at least one term'),
    caseSensitive: z.boolean().optional(),
    /** Match whole words only (letters/digits may not touch the term); default false (substring). */
    wholeWord: z.boolean().optional(),
  }),
  z.object({
    kind: z.literal('pattern'),
    name,
    field,
    pattern: z.string().min(1),
    flags: z.string().optional(),
  }),
]);

export type OutputCheck = z.infer<typeof outputCheckSchema>;

/**
 * Validates user-declared checks (from a config file or the API); the error names the check index, the
 * field and the reason. Regular expressions are compiled here, so a bad pattern fails at load time.
 */
export function parseOutputChecks(value: unknown): OutputCheck[] {
  const parsed = z.array(outputCheckSchema).safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(
      `output checks: ${issue.path.length ? issue.path.join('.') : '(root)'}: ${issue.message}`,
    );
  }
  parsed.data.forEach((c, i) => {
    if (c.kind === 'pattern') {
      try {
        new RegExp(c.pattern, c.flags);
      } catch (err) {
        throw new Error(
          `output checks: ${i}.pattern: not a valid regular expression (${(err as Error).message})`,
        );
      }
    }
  });
  const seen = new Set<string>();
  parsed.data.forEach((c, i) => {
    if (seen.has(c.name)) throw new Error(`output checks: ${i}.name: duplicate check name '${c.name}'`);
    seen.add(c.name);
  });
  return parsed.data;
}

/** One prediction to check: what went in, what came out, and the true value when it is known. */
export interface OutputRecord<I = unknown> {
  id?: string;
  input: I;
  output: unknown;
  label?: unknown;
}

export interface OutputViolation<I = unknown> {
  check: string;
  kind: OutputCheck['kind'];
  /** Position of the record in the input. */
  index: number;
  id?: string;
  /** Plain words, e.g. "value 1250 is above max 1000", "blocked term 'ssn' at 14". */
  reason: string;
  input: I;
  output: unknown;
  label?: unknown;
}

export interface OutputCheckSummary {
  check: string;
  kind: OutputCheck['kind'];
  /** Records the check could be applied to (a forbidden confusion needs a label). */
  evaluated: number;
  violations: number;
  /** violations / evaluated, null when nothing was evaluated. */
  share: number | null;
}

export interface OutputCheckReport<I = unknown> {
  records: number;
  checks: OutputCheckSummary[];
  /** The first `maxKept` violations in record order (all counts are exact regardless). */
  violations: OutputViolation<I>[];
  truncated: boolean;
}

function pick(value: unknown, f: string | undefined): unknown {
  if (f === undefined) return value;
  if (value !== null && typeof value === 'object') return (value as Record<string, unknown>)[f];
  return undefined;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

type Evaluator = (r: OutputRecord) => { evaluated: boolean; reason: string | null };

function compile(check: OutputCheck): Evaluator {
  switch (check.kind) {
    case 'range':
      return (r) => {
        const v = pick(r.output, check.field);
        if (typeof v !== 'number' || !Number.isFinite(v))
          return {
            evaluated: true,
            reason: `output ${check.field ?? 'value'} is not a finite number (${String(v)})`,
          };
        if (check.min !== undefined && v < check.min)
          return { evaluated: true, reason: `value ${v} is below min ${check.min}` };
        if (check.max !== undefined && v > check.max)
          return { evaluated: true, reason: `value ${v} is above max ${check.max}` };
        return { evaluated: true, reason: null };
      };
    case 'forbidden-confusion': {
      const forbidden = new Set(check.pairs.map((p) => `${String(p.actual)}\u0000${String(p.predicted)}`));
      return (r) => {
        const actual = pick(r.label, check.field);
        if (actual === undefined || actual === null) return { evaluated: false, reason: null };
        const predicted = pick(r.output, check.field);
        const key = `${String(actual)}\u0000${String(predicted)}`;
        return {
          evaluated: true,
          reason: forbidden.has(key) ? `true '${String(actual)}' predicted as '${String(predicted)}'` : null,
        };
      };
    }
    case 'blocklist': {
      const flags = check.caseSensitive ? 'u' : 'iu';
      const alternatives = check.terms.map(escapeRegExp).join('|');
      const re = check.wholeWord
        ? new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternatives})(?![\\p{L}\\p{N}])`, flags)
        : new RegExp(alternatives, flags);
      return (r) => {
        const text = pick(r.output, check.field);
        if (typeof text !== 'string') return { evaluated: false, reason: null };
        const m = re.exec(text);
        return { evaluated: true, reason: m ? `blocked term '${m[0]}' at ${m.index}` : null };
      };
    }
    case 'pattern': {
      const re = new RegExp(check.pattern, (check.flags ?? '').replace('g', ''));
      return (r) => {
        const text = pick(r.output, check.field);
        if (typeof text !== 'string') return { evaluated: false, reason: null };
        const m = re.exec(text);
        return { evaluated: true, reason: m ? `matches /${check.pattern}/ ('${m[0]}' at ${m.index})` : null };
      };
    }
  }
}

/**
 * Runs every check on every record. Counts are exact; at most `maxKept` (default 100) violations are kept
 * with their inputs. Records a check cannot apply to (no label for a confusion check, a non-string output
 * for a text check) are skipped by that check and not counted in `evaluated`.
 */
export function runOutputChecks<I>(
  records: readonly OutputRecord<I>[],
  checks: readonly OutputCheck[],
  options: { maxKept?: number } = {},
): OutputCheckReport<I> {
  const maxKept = options.maxKept ?? 100;
  const evaluators = checks.map(compile);
  const summaries: OutputCheckSummary[] = checks.map((c) => ({
    check: c.name,
    kind: c.kind,
    evaluated: 0,
    violations: 0,
    share: null,
  }));
  const violations: OutputViolation<I>[] = [];
  let truncated = false;
  records.forEach((r, index) => {
    evaluators.forEach((evaluate, k) => {
      const { evaluated, reason } = evaluate(r);
      const s = summaries[k]!;
      if (!evaluated) return;
      s.evaluated++;
      if (reason === null) return;
      s.violations++;
      if (violations.length >= maxKept) {
        truncated = true;
        return;
      }
      const check = checks[k]!;
      const v: OutputViolation<I> = {
        check: check.name,
        kind: check.kind,
        index,
        reason,
        input: r.input,
        output: r.output,
      };
      if (r.id !== undefined) v.id = r.id;
      if (r.label !== undefined) v.label = r.label;
      violations.push(v);
    });
  });
  for (const s of summaries) s.share = s.evaluated === 0 ? null : s.violations / s.evaluated;
  return { records: records.length, checks: summaries, violations, truncated };
}
