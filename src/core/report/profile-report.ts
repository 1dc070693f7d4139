/**
 * @module
 * The drift report when one side or both are saved profiles (`faultline profile`) rather than data files:
 * the same `Report` shape, computed from sketches by `core/profile` (methods.md section 6). Each tested
 * column's `detail` carries the sketches' error bound and whether the drift decision holds across it.
 *
 * What profiles cannot give: model performance (needs rows: left out, with a note), duplicated rows
 * (unknown: null), and the per-value charts of exact data (histograms come from the KLL sketch; categories
 * from the frequent-items summary). Methods: those `core/profile` computes (numerical: ks, wasserstein,
 * psi, jensenshannon, hellinger, kl; categorical: chisquare, ztest, jensenshannon, psi, kl, hellinger, linf);
 * `--method` falls back to the automatic choice where it does not apply, as for data files.
 */
import {
  type ColumnProfile,
  columnProfileDrift,
  type DatasetProfile,
  PROFILE_CATEGORICAL_METHODS,
  PROFILE_NUMERICAL_METHODS,
} from '../profile/index.js';
import {
  type ColumnQuality,
  type QualityIssue,
  type QualityReport,
  schemaIssues,
} from '../quality/quality.js';
import { DataError } from '../schema/data-error.js';
import type { ColumnKind } from '../schema/kinds.js';
import { DRIFT_METHODS, type DriftMethod, datasetDrift } from '../stats/index.js';
import { listColumns, type ReportOptions, resolveOptions, untestedReason } from './plan.js';
import { bars, type Chart, type HistogramChart } from './summaries.js';
import type { ColumnReport, ColumnSideSummary, FileInfo, Report } from './types.js';

function methodsFor(kind: ColumnKind): readonly DriftMethod[] {
  if (kind === 'numerical') return PROFILE_NUMERICAL_METHODS;
  if (kind === 'categorical' || kind === 'boolean') return PROFILE_CATEGORICAL_METHODS;
  return [];
}

function side(p: ColumnProfile | undefined, kind: ColumnKind): ColumnSideSummary | null {
  if (!p) return null;
  const rows = p.count;
  let numeric: ColumnSideSummary['numeric'] = null;
  if (kind === 'numerical' && !p.kll.isEmpty) {
    const m = p.moments;
    const q = p.kll.quantiles([0, 0.25, 0.5, 0.75, 1])!;
    numeric = {
      count: m.count,
      mean: m.mean ?? 0,
      std: m.count > 0 ? Math.sqrt(m.m2 / m.count) : 0,
      min: q[0]!,
      p25: q[1]!,
      median: q[2]!,
      p75: q[3]!,
      max: q[4]!,
    };
  }
  let categorical: ColumnSideSummary['categorical'] = null;
  if (kind === 'categorical' || kind === 'boolean') {
    const c = p.categoryCounts();
    let top: string | null = null;
    let best = -1;
    for (const [k, v] of c.counts) {
      if (v > best || (v === best && top !== null && k < top)) {
        top = k;
        best = v;
      }
    }
    if (c.total > 0) {
      categorical = {
        count: c.total,
        distinct: Math.round(p.distinct().estimate),
        top,
        topShare: best / c.total,
      };
    }
  }
  let timeRange: ColumnSideSummary['timeRange'] = null;
  if (kind === 'datetime' && p.timeMoments.count > 0) {
    timeRange = {
      min: new Date(p.timeMoments.min!).toISOString(),
      max: new Date(p.timeMoments.max!).toISOString(),
    };
  }
  return { rows, missingShare: rows > 0 ? p.missing / rows : 0, numeric, categorical, timeRange };
}

/**
 * An overlaid histogram from two KLL sketches: one bar per value when both sides still count their
 * numbers exactly and hold at most 30 values together; otherwise 30 shared bins over the pooled 2%–98%
 * range (the sketches' rank error, about 1.3% at k = 200, makes the data report's 0.5%–99.5% range
 * land on the extremes).
 */
function sketchHistogram(r: ColumnProfile, c: ColumnProfile): HistogramChart | null {
  if (r.kll.isEmpty || c.kll.isEmpty) return null;
  const er = r.exactNumberCounts();
  const ec = c.exactNumberCounts();
  if (er && ec) {
    const values = [...new Set([...er.keys(), ...ec.keys()])].sort((x, y) => x - y);
    if (values.length <= 30) {
      const share = (m: Map<number, number>) => {
        const total = [...m.values()].reduce((s, v) => s + v, 0);
        return values.map((v) => (total > 0 ? (m.get(v) ?? 0) / total : 0));
      };
      return {
        type: 'histogram',
        edges: null,
        values,
        reference: share(er),
        current: share(ec),
        clippedLow: false,
        clippedHigh: false,
      };
    }
  }
  const lo = Math.min(r.kll.quantile(0.02)!, c.kll.quantile(0.02)!);
  const hi = Math.max(r.kll.quantile(0.98)!, c.kll.quantile(0.98)!);
  const min = Math.min(r.kll.min!, c.kll.min!);
  const max = Math.max(r.kll.max!, c.kll.max!);
  const a = lo < hi ? lo : min;
  const b = lo < hi ? hi : max > min ? max : min + 1;
  const bins = 30;
  const edges = Array.from({ length: bins + 1 }, (_, i) => (i === bins ? b : a + ((b - a) * i) / bins));
  const inner = edges.slice(1, -1);
  // Exclusive split points: bins [e_i, e_{i+1}), the first open below, the last closed above.
  const shares = (p: ColumnProfile) => p.kll.pmf(inner, { inclusive: false })!;
  return {
    type: 'histogram',
    edges,
    values: null,
    reference: shares(r),
    current: shares(c),
    clippedLow: min < a,
    clippedHigh: max > b,
  };
}

function chartOf(r: ColumnProfile | undefined, c: ColumnProfile | undefined, kind: ColumnKind): Chart | null {
  if (!r || !c) return null;
  if (kind === 'numerical') return sketchHistogram(r, c);
  if (kind === 'categorical' || kind === 'boolean')
    return bars(r.categoryCounts().counts, c.categoryCounts().counts);
  return null;
}

function mismatches(p: ColumnProfile, kind: ColumnKind): number {
  const t = p.typeCounts();
  if (kind === 'numerical') return t.string + t.boolean + t.datetime + t.other;
  if (kind === 'datetime') return t.integral + t.fractional + t.string + t.boolean + t.other;
  return 0;
}

const pct = (x: number) => `${(100 * x).toFixed(x < 0.001 && x > 0 ? 3 : 1)}%`;

function quality(
  names: string[],
  ref: DatasetProfile,
  cur: DatasetProfile,
  kinds: Map<string, ColumnKind>,
  schema: QualityReport['schema'],
): QualityReport {
  const issues: QualityIssue[] = schemaIssues(schema, 'profile');
  const columns: ColumnQuality[] = names.map((name) => {
    const kind = kinds.get(name) ?? 'categorical';
    const r = ref.column(name);
    const c = cur.column(name);
    const fq = (p: ColumnProfile | undefined) => {
      if (!p) return null;
      const present = p.count - p.missing;
      const mm = mismatches(p, kind);
      const distinct = kind === 'numerical' || kind === 'datetime' ? null : Math.round(p.distinct().estimate);
      return {
        rows: p.count,
        missing: { count: p.missing, share: p.count > 0 ? p.missing / p.count : 0 },
        typeMismatches: { count: mm, examples: [], share: present > 0 ? mm / present : 0 },
        constant: p.distinct().upper <= 1,
        distinct,
      };
    };
    const rq = fq(r);
    const cq = fq(c);
    let outOfRange: ColumnQuality['outOfRange'] = null;
    if (r && c && kind === 'numerical' && !r.kll.isEmpty && !c.kll.isEmpty) {
      const lo = r.kll.min!;
      const hi = r.kll.max!;
      // Current mass below the reference minimum and above its maximum, from the current sketch.
      const below = c.kll.cdf([lo], { inclusive: false })![0]!;
      const above = 1 - c.kll.cdf([hi], { inclusive: true })![0]!;
      const share = below + above;
      outOfRange = { count: Math.round(share * c.kll.n), share, referenceMin: lo, referenceMax: hi };
    }
    let unseenCategories: ColumnQuality['unseenCategories'] = null;
    if (r && c && (kind === 'categorical' || kind === 'boolean')) {
      const known = r.categoryCounts();
      const now = c.categoryCounts();
      // Only trustworthy when the reference tracked every category.
      if (known.maxError === 0 && now.total > 0) {
        const fresh = [...now.counts].filter(([k]) => !known.counts.has(k)).sort((x, y) => y[1] - x[1]);
        const count = fresh.reduce((s, [, n]) => s + n, 0);
        unseenCategories = {
          count,
          share: count / now.total,
          distinct: fresh.length,
          examples: fresh.slice(0, 10).map(([k]) => k),
        };
      }
    }
    if (
      cq &&
      (cq.missing.share - (rq?.missing.share ?? 0) >= 0.05 ||
        (cq.missing.share === 1 && (rq?.missing.share ?? 0) < 1))
    ) {
      issues.push({
        severity: 'warning',
        check: 'missing_values',
        column: name,
        message: `missing values rose from ${pct(rq?.missing.share ?? 0)} to ${pct(cq.missing.share)}`,
      });
    }
    if (cq && cq.typeMismatches.count > 0) {
      issues.push({
        severity: 'warning',
        check: 'type_mismatch',
        column: name,
        message: `${cq.typeMismatches.count} value(s) in the current profile are not ${kind}`,
      });
    }
    if (outOfRange && outOfRange.share > 0) {
      issues.push({
        severity: outOfRange.share > 0.01 ? 'warning' : 'info',
        check: 'out_of_range',
        column: name,
        message: `about ${pct(outOfRange.share)} of current values fall outside the reference range [${outOfRange.referenceMin}, ${outOfRange.referenceMax}] (from sketches)`,
      });
    }
    if (unseenCategories && unseenCategories.count > 0) {
      issues.push({
        severity: unseenCategories.share > 0.01 ? 'warning' : 'info',
        check: 'unseen_categories',
        column: name,
        message: `${pct(unseenCategories.share)} of current rows hold ${unseenCategories.distinct} categories unseen in the reference (${unseenCategories.examples
          .slice(0, 5)
          .map((e) => JSON.stringify(e))
          .join(', ')})`,
      });
    }
    if (cq?.constant && rq && !rq.constant) {
      issues.push({
        severity: 'warning',
        check: 'constant_column',
        column: name,
        message: 'constant in the current profile, varied in the reference',
      });
    }
    return { name, kind, reference: rq, current: cq, outOfRange, unseenCategories };
  });
  return { schema, duplicatedRows: { reference: null, current: null }, columns, issues };
}

/**
 * The report between two profiles (a data file is profiled first by the caller). Throws `DataError` for
 * the same option problems as `planReport`, and for a per-column method that profiles cannot compute.
 */
export function buildProfileReport(
  reference: DatasetProfile,
  current: DatasetProfile,
  files: { reference: FileInfo; current: FileInfo },
  options: ReportOptions = {},
): Report {
  const refNames = reference.columnNames();
  const curNames = new Set(current.columnNames());
  const refSet = new Set(refNames);
  const extra = current.columnNames().filter((n) => !refSet.has(n));
  const names = [...refNames, ...extra];
  const schema = {
    shared: refNames.filter((n) => curNames.has(n)),
    missingInCurrent: refNames.filter((n) => !curNames.has(n)),
    extraInCurrent: extra,
  };
  const { roles, settings, columnSettings } = resolveOptions(names, options);
  const notes: string[] = [];
  const misfits = new Map<string, string[]>();
  const kinds = new Map<string, ColumnKind>();

  const columns: ColumnReport[] = names.map((name) => {
    const r = reference.column(name);
    const c = current.column(name);
    const s = columnSettings.get(name);
    const role = roles.get(name) ?? 'feature';
    const forced = s?.kind ?? (role === 'proba' ? 'numerical' : undefined);
    const presentIn = r && c ? 'both' : r ? 'reference' : 'current';
    let method: DriftMethod | undefined;
    let methodSource: ColumnReport['methodSource'] = 'auto';
    // The kind as the profiles see it: declared, else what both sides agree on, else inferred from both
    // together (what `columnProfileDrift` does on the merged profile).
    let kind: ColumnKind;
    if (forced) kind = forced;
    else if (!r || !c || r.kind() === c.kind()) kind = (r ?? c)!.kind();
    else kind = columnProfileDrift(r, c).kind;
    kinds.set(name, kind);
    const skip = untestedReason(role, kind, presentIn);
    if (s?.method) {
      if (!methodsFor(kind).includes(s.method)) {
        throw new DataError(
          `the column types file sets method "${s.method}" for column "${name}", which profiles cannot compute for a ${kind} column`,
          `from profiles, ${kind} columns take ${methodsFor(kind).join(', ') || 'no drift method'}`,
        );
      }
      method = s.method;
      methodSource = 'column-types';
    } else if (settings.method !== 'auto' && skip === null) {
      if (methodsFor(kind).includes(settings.method)) {
        method = settings.method;
        methodSource = 'option';
      } else misfits.set(kind, [...(misfits.get(kind) ?? []), name]);
    }
    const threshold = s?.threshold ?? settings.threshold ?? undefined;
    const out: ColumnReport = {
      name,
      role,
      kind,
      kindSource: forced ? 'override' : 'inferred',
      kindReason: s?.kind
        ? 'set in the column types file'
        : forced
          ? 'probability column (--proba)'
          : 'inferred from the profiles',
      presentIn,
      tested: false,
      skipped: skip,
      method: null,
      methodSource: null,
      score: null,
      pValue: null,
      threshold: null,
      drifted: false,
      statisticKind: null,
      n: null,
      m: null,
      detail: null,
      reference: side(r, kind),
      current: side(c, kind),
      chart: chartOf(r, c, kind),
    };
    if (skip !== null || !r || !c) return out;
    const result = columnProfileDrift(r, c, {
      kinds: { [name]: kind },
      methods: method ? { [name]: method } : {},
      thresholds: threshold === undefined ? {} : Object.fromEntries(DRIFT_METHODS.map((m) => [m, threshold])),
    });
    if (result.status !== 'tested' || !result.drift) {
      out.skipped = result.reason ?? 'not tested';
      return out;
    }
    const d = result.drift;
    return {
      ...out,
      tested: true,
      skipped: null,
      method: d.method,
      methodSource: method ? methodSource : 'auto',
      score: Number.isFinite(d.score) ? d.score : null,
      pValue: d.pValue !== null && Number.isFinite(d.pValue) ? d.pValue : null,
      threshold: d.threshold,
      drifted: d.drifted,
      statisticKind: d.statisticKind,
      n: d.n,
      m: d.m,
      detail: { errorBound: d.errorBound, exact: d.exact, decisionCertain: d.decisionCertain },
    };
  });
  for (const [kind, list] of misfits) {
    notes.push(
      `--method ${settings.method} does not apply to ${kind} columns from profiles (${listColumns(list)}): they use the automatic choice`,
    );
  }
  const uncertain = columns.filter((c) => c.tested && c.detail?.decisionCertain === false);
  if (uncertain.length > 0) {
    notes.push(
      `too close to call within the sketches' error: ${uncertain.map((c) => c.name).join(', ')} (compare the data files for an exact answer)`,
    );
  }
  if (settings.target && settings.prediction)
    notes.push('model performance needs rows: it is not computed when a side is a profile');
  notes.push(
    'multivariate drift, edge cases, text descriptors and estimated performance need rows: not computed when a side is a profile',
  );
  const features = columns.filter((c) => c.role === 'feature' && c.tested);
  if (features.length === 0) notes.push('no feature column could be tested for drift');
  const d = datasetDrift(features, settings.driftShare);
  return {
    report: 'faultline.drift',
    version: 1,
    reference: files.reference,
    current: files.current,
    settings,
    dataset: {
      drifted: d.drifted,
      driftShare: d.driftShare,
      driftedColumns: d.driftedColumns,
      testedColumns: d.columns,
      driftShareThreshold: settings.driftShare,
    },
    columns,
    targetDrift: columns.find((c) => c.role === 'target') ?? null,
    predictionDrift: columns.filter((c) => c.role === 'prediction' || c.role === 'proba'),
    quality: quality(names, reference, current, kinds, schema),
    performance: null,
    multivariate: null,
    edgeCases: null,
    text: [],
    estimatedPerformance: null,
    notes,
  };
}
