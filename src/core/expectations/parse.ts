/**
 * @module
 * Reads an expectations file (YAML) or body (JSON) and reports every problem at once, each with where it is and
 * what was found: `expectations.yaml:12:7: \`threshold\` must be a number between 0 and 1, got "high"`.
 * The YAML document API keeps source ranges, so a zod issue's path maps back to a line and column.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import type { z } from 'zod';
import { METRIC_IDS } from './metrics.js';
import { type ExpectationsFile, ExpectationsFileSchema } from './schema.js';

export interface ExpectationIssue {
  /** Where in the document, as keys and list indices. */
  path: (string | number)[];
  /** 1-based line and column in the YAML source; null for JSON input. */
  line: number | null;
  column: number | null;
  /** The problem without its location: "`threshold` must be a number between 0 and 1, got "high"". */
  message: string;
  /** The full line to print: location, then message. */
  text: string;
}

export type ExpectationsParseResult =
  | { ok: true; file: ExpectationsFile }
  | { ok: false; issues: ExpectationIssue[] };

/** Every key the format knows, for "did you mean" on a misspelt key. */
const KNOWN_KEYS = [
  'version',
  'useDefaults',
  'models',
  'disable',
  'expectations',
  'id',
  'kind',
  'description',
  'severity',
  'over',
  'metric',
  'comparator',
  'threshold',
  'minSamples',
  'decideOn',
  'when',
  'labelledShareBelow',
  'every',
  'missedBeats',
  'maxViolatingShare',
];

/** Levenshtein distance, small strings only. */
function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(up + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length]!;
}

/** The closest candidate within a small edit distance (or a prefix match), if any. */
export function closestMatch(word: string, candidates: readonly string[]): string | null {
  let best: string | null = null;
  let bestD = Number.POSITIVE_INFINITY;
  const w = word.toLowerCase();
  for (const c of candidates) {
    const d = c.toLowerCase().startsWith(w) && w.length >= 3 ? 1 : editDistance(w, c.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return bestD <= Math.max(2, Math.floor(word.length / 4)) ? best : null;
}

function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return 'a list';
  return 'a map';
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = root;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[seg];
  }
  return cur;
}

function fieldName(path: readonly PropertyKey[]): string {
  const last = path[path.length - 1];
  if (last === undefined) return 'the document';
  if (typeof last === 'number') {
    const parent = path[path.length - 2];
    return `item ${last + 1} of \`${String(parent)}\``;
  }
  return `\`${String(last)}\``;
}

export function pathText(path: readonly PropertyKey[]): string {
  let s = '';
  for (const seg of path)
    s += typeof seg === 'number' ? `[${seg}]` : s === '' ? String(seg) : `.${String(seg)}`;
  return s === '' ? '(root)' : s;
}

interface Located {
  path: (string | number)[];
  message: string;
  /** Point at the key of this name inside the map at `path` (unknown keys). */
  key?: string;
}

/** Turns zod issues into located messages: one per unknown key, "is missing" for absent fields, "got …" otherwise. */
function describeIssues(error: z.ZodError, data: unknown): Located[] {
  const out: Located[] = [];
  for (const issue of error.issues) {
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const guess = closestMatch(key, KNOWN_KEYS);
        out.push({
          path,
          key,
          message: `unknown key \`${key}\`${guess !== null && guess !== key ? ` (did you mean \`${guess}\`?)` : ''}`,
        });
      }
      continue;
    }
    const value = valueAt(data, path);
    const name = fieldName(path);
    if (value === undefined && path.length > 0) {
      out.push({ path, message: `${name} is missing (it ${issue.message})` });
      continue;
    }
    let hint = '';
    if (path[path.length - 1] === 'metric' && typeof value === 'string') {
      const guess = closestMatch(value, METRIC_IDS);
      if (guess !== null) hint = ` (did you mean "${guess}"?)`;
    }
    if (path[path.length - 1] === 'comparator' && value === '')
      hint = ' (a bare > starts a YAML block: quote it, ">", or write gt)';
    const message = issue.message.startsWith('must be one of the metric ids')
      ? `must be one of the metric ids listed in docs/expectations.md${hint}`
      : `${issue.message}${hint}`;
    out.push({ path, message: `${name} ${message}, got ${describeValue(value)}` });
  }
  return out;
}

function validate(data: unknown): { file: ExpectationsFile } | { located: Located[] } {
  const parsed = ExpectationsFileSchema.safeParse(data);
  if (parsed.success) return { file: parsed.data };
  return { located: describeIssues(parsed.error, data) };
}

/** Finds the YAML node for a path (the value node; with `key`, the key node inside that map). Falls back to the
 * deepest node that exists, so a missing field points at the map that lacks it. */
function nodeAt(root: Node | null, path: readonly (string | number)[], key?: string): Node | null {
  let cur: Node | null = root;
  const segs = key === undefined ? path : [...path, key];
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i]!;
    if (isMap(cur)) {
      const pair = cur.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
      if (pair === undefined) return cur;
      const last = i === segs.length - 1;
      if (last && key !== undefined) return (pair.key as Node) ?? cur;
      if (pair.value === null) return (pair.key as Node) ?? cur;
      cur = pair.value as Node;
    } else if (isSeq(cur) && typeof seg === 'number') {
      const item = cur.items[seg];
      if (item === undefined || item === null) return cur;
      cur = item as Node;
    } else {
      return cur;
    }
  }
  return cur;
}

/**
 * Parses and validates an expectations YAML file. Reports YAML syntax errors and every schema problem with
 * `file:line:column`. Never throws for bad input.
 */
export function parseExpectationsYaml(text: string, fileName = 'expectations.yaml'): ExpectationsParseResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      issues: doc.errors.map((e) => {
        const pos = lineCounter.linePos(e.pos[0]);
        const message = `invalid YAML: ${e.message.split('\n')[0]}${
          e.message.includes('Block scalar header')
            ? ' (a bare > starts a YAML block: quote the comparator, comparator: ">=", or write gte)'
            : ''
        }`;
        return {
          path: [],
          line: pos.line,
          column: pos.col,
          message,
          text: `${fileName}:${pos.line}:${pos.col}: ${message}`,
        };
      }),
    };
  }
  const data: unknown = doc.toJS({ maxAliasCount: 100 });
  const result = validate(data ?? undefined);
  if ('file' in result) return { ok: true, file: result.file };
  const issues = result.located.map((l): ExpectationIssue => {
    const node = nodeAt(doc.contents as Node | null, l.path, l.key);
    const offset = node?.range?.[0] ?? 0;
    const pos = lineCounter.linePos(offset);
    return {
      path: l.path,
      line: pos.line,
      column: pos.col,
      message: l.message,
      text: `${fileName}:${pos.line}:${pos.col}: ${l.message}`,
    };
  });
  return { ok: false, issues: sortIssues(issues) };
}

/** Validates an expectations body received as JSON (the API); issues name their path instead of a line. */
export function parseExpectationsJson(value: unknown): ExpectationsParseResult {
  const result = validate(value);
  if ('file' in result) return { ok: true, file: result.file };
  return {
    ok: false,
    issues: result.located.map((l) => ({
      path: l.path,
      line: null,
      column: null,
      message: l.message,
      text: `${pathText(l.path)}: ${l.message}`,
    })),
  };
}

function sortIssues(issues: ExpectationIssue[]): ExpectationIssue[] {
  return [...issues].sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
}

/** All issues as one text block, one per line. */
export function formatIssues(issues: readonly ExpectationIssue[]): string {
  return issues.map((i) => i.text).join('\n');
}
