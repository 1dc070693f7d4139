/**
 * @module
 * The collector's own figures on the model and incident pages, so the dashboard shows what the collector decided
 * and not a second opinion: loading a model's evaluations and drift findings over a range, the "estimated" line
 * of the performance chart (the figure of the estimated-performance expectation per evaluated window, with its
 * limit), and the drift views — the collector's per-feature verdicts and drift-share figure with its limit, and
 * the browser's PSI kept as an exploration of the windows the collector has not evaluated.
 */
import {
  analysedExpectation,
  DRIFT_DETECTORS,
  type DriftVerdict,
  type DriftVerdicts,
  driftVerdicts,
  evaluatedSeries,
  expectationsOn,
  flaggedCells,
  hasUnevaluated,
  limitOf,
  VERDICT_VALUE,
  verdictOf,
} from '../analysis/collector.js';
import { PSI_MODERATE, PSI_SIGNIFICANT } from '../analysis/distribution.js';
import type { DriftMatrix } from '../analysis/drift.js';
import { estimatedAccuracySeries } from '../analysis/estimated.js';
import { accuracySeries, type BandedSeries, maeSeries } from '../analysis/series.js';
import { heatmap } from '../charts/heatmap.js';
import {
  type BandSpec,
  COLORS,
  type LineSpec,
  type TimeChartOptions,
  timeChart,
} from '../charts/time-chart.js';
import type { PageContext } from '../context.js';
import { h } from '../dom.js';
import { fmtNum, fmtPct, fmtTime } from '../format.js';
import {
  type EvaluationView,
  type EvidenceView,
  type ExpectationView,
  evaluationsOf,
  evidenceOf,
} from '../views.js';
import type { WindowData } from './data.js';

const DAY = 86_400_000;
/** Most evaluations read per expectation and page. */
export const MAX_EVALUATIONS = 5000;

/** How the collector tests drift, for the notes of the drift views (the input detectors of docs/detectors.md). */
export const DETECTION_NOTE =
  'detection uses KS (numbers) or chi-square (categories) tests, Benjamini–Hochberg corrected, with a PSI or Jensen–Shannon effect floor';

export interface CollectorData {
  /** The estimated-performance expectation drawn on the performance chart, with its evaluations. */
  estimated: { expectationId: string; metric: string; evaluations: EvaluationView[] } | null;
  /** The drift-share expectation, with its evaluations. */
  driftShare: { expectationId: string; evaluations: EvaluationView[] } | null;
  /** Evaluations telling which windows the collector analysed (`analysedExpectation`). */
  analysed: EvaluationView[];
  /** `feature_drift` and `distribution_skew` findings, and data-quality ones (`verdictOf`). */
  driftFindings: EvidenceView[];
}

/**
 * The estimated metrics the performance chart can draw, best first: the one of the realised line (accuracy,
 * MAE), then the others the collector estimates (the defaults hold the model to estimated F1).
 */
export function estimatedMetricsFor(regression: boolean): string[] {
  return regression
    ? ['estimated_mae', 'estimated_rmse']
    : ['estimated_accuracy', 'estimated_f1', 'estimated_precision', 'estimated_recall', 'estimated_roc_auc'];
}

const METRIC_WORDS: Record<string, string> = {
  estimated_accuracy: 'accuracy',
  estimated_f1: 'F1',
  estimated_precision: 'precision',
  estimated_recall: 'recall',
  estimated_roc_auc: 'ROC AUC',
  estimated_mae: 'MAE',
  estimated_rmse: 'RMSE',
};

/** The evaluations of one expectation of a model whose windows end in [fromMs, toMs). */
export async function loadEvaluations(
  ctx: PageContext,
  model: string,
  expectationId: string,
  fromMs: number,
  toMs: number,
): Promise<EvaluationView[]> {
  const raw = await ctx.api.get('/v1/evaluations', {
    model,
    expectation: expectationId,
    from: fromMs,
    to: toMs,
    limit: MAX_EVALUATIONS,
  });
  return evaluationsOf(raw);
}

/**
 * What the collector evaluated for `model` over `range`: the estimated-performance expectation on the first of
 * `metrics` the model has one on (`prefer` first, e.g. the incident's own), the drift-share expectation, the
 * windows it analysed and its drift findings. Null when the collector has no such routes or answers with an error: the pages fall back to the
 * exploration views alone.
 */
export async function loadCollectorData(
  ctx: PageContext,
  model: string,
  expectations: readonly ExpectationView[],
  range: { fromMs: number; toMs: number },
  metrics: readonly string[],
  prefer: string | null = null,
): Promise<CollectorData | null> {
  const mine = expectations.filter((e) => e.model === model || e.model === '');
  const overOf = (id: string) => mine.find((e) => e.id === id)?.overMs ?? DAY;
  // Evaluation and finding windows that end after the range may still overlap it.
  const read = (id: string) => loadEvaluations(ctx, model, id, range.fromMs, range.toMs + overOf(id));
  const preferred = mine.find((e) => e.id === prefer && e.metric !== null && metrics.includes(e.metric));
  const metric = preferred?.metric ?? metrics.find((m) => expectationsOn(mine, m).length > 0) ?? null;
  const estimatedId = preferred?.id ?? (metric === null ? null : (expectationsOn(mine, metric)[0] ?? null));
  const shareId = expectationsOn(mine, 'drifted_feature_share')[0] ?? null;
  const analysedId = analysedExpectation(mine, range.toMs - range.fromMs, MAX_EVALUATIONS);
  const findings = (filter: { detector: string } | { cause: string }) =>
    ctx.api.get<{ findings?: unknown[] }>('/v1/findings', {
      model,
      ...filter,
      from: range.fromMs,
      to: range.toMs + DAY,
      limit: 1000,
    });
  try {
    const [estimated, share, analysed, ...found] = await Promise.all([
      estimatedId === null ? null : read(estimatedId),
      shareId === null ? null : read(shareId),
      analysedId === null ? [] : analysedId === shareId ? null : read(analysedId),
      ...Object.keys(DRIFT_DETECTORS).map((detector) => findings({ detector })),
      findings({ cause: 'data_quality' }),
    ]);
    return {
      estimated:
        estimatedId === null || metric === null || estimated === null
          ? null
          : { expectationId: estimatedId, metric, evaluations: estimated },
      driftShare: shareId === null || share === null ? null : { expectationId: shareId, evaluations: share },
      analysed: analysed ?? share ?? [],
      driftFindings: found
        .flatMap((r) => r?.findings ?? [])
        .map(evidenceOf)
        .filter((f): f is EvidenceView => f !== null && verdictOf(f) !== null),
    };
  } catch {
    return null;
  }
}

type Threshold = NonNullable<TimeChartOptions['thresholds']>[number];

/** A limit as a chart's threshold line. */
export function limitLine(
  limit: { threshold: number; comparator: string } | null,
  format: (v: number) => string,
): Threshold[] {
  return limit === null
    ? []
    : [
        {
          value: limit.threshold,
          label: `limit ${limit.comparator} ${format(limit.threshold)}`,
          color: COLORS.red,
        },
      ];
}

/**
 * The estimated part of the performance chart: the collector's figure per evaluated window with its band and
 * limit when it evaluated an estimated-performance expectation in view; otherwise the browser's mean-score
 * estimate (`fallback`), named as the exploration it is, or nothing.
 */
export function estimatedParts(
  data: WindowData,
  collector: CollectorData | null,
  fallback: BandedSeries | null,
  format: (v: number) => string,
): { lines: LineSpec[]; bands: BandSpec[]; thresholds: Threshold[]; note: string } {
  const est = collector?.estimated ?? null;
  const series = est ? evaluatedSeries(est.evaluations, data.axis, data.windowMs) : null;
  if (est && series?.value.some((v) => v !== null)) {
    const word = METRIC_WORDS[est.metric] ?? est.metric;
    const label = `estimated ${word} (collector, ${est.expectationId})`;
    return {
      lines: [{ label, values: series.value, color: COLORS.violet, dash: [6, 4] }],
      bands: [{ label: 'estimated', lower: series.lower, upper: series.upper, color: COLORS.violet }],
      thresholds: limitLine(limitOf(est.evaluations), format),
      note: `estimated: the collector's estimated ${word} per evaluated window (± 3 SE band) and its limit`,
    };
  }
  if (fallback?.value.some((v) => v !== null))
    return {
      lines: [
        { label: 'mean score (exploration)', values: fallback.value, color: COLORS.grey, dash: [2, 3] },
      ],
      bands: [],
      thresholds: [],
      note: 'the collector evaluated no estimated performance here: the dotted line is the mean score of the window samples (exploration, uncalibrated); the collector estimates with CBPE',
    };
  return { lines: [], bands: [], thresholds: [], note: '' };
}

/** Whether the performance chart shows MAE (a regressor) rather than accuracy. */
export function isRegression(task: string | null | undefined, data: WindowData): boolean {
  return (
    task === 'regression' ||
    (accuracySeries(data.groups).value.every((v) => v === null) &&
      maeSeries(data.groups).some((v) => v !== null))
  );
}

/**
 * Realised accuracy (95 % Wilson band), or MAE for a regressor, with the collector's estimate, its band and its
 * limit (`estimatedParts`); `limits` are the page's own (an incident's), drawn once when they are the same.
 */
export function performanceChart(o: {
  id: string;
  data: WindowData;
  collector: CollectorData | null;
  regression: boolean;
  markers: TimeChartOptions['markers'];
  onSelect: (fromMs: number, toMs: number) => void;
  limits?: Threshold[];
}): HTMLElement {
  const { data } = o;
  const limits = o.limits ?? [];
  const base = {
    id: o.id,
    axisMs: data.axis,
    onSelect: o.onSelect,
    ...(o.markers ? { markers: o.markers } : {}),
  };
  const withLimits = (own: Threshold[]) => [
    ...limits,
    ...own.filter((t) => !limits.some((l) => l.value === t.value)),
  ];
  if (o.regression) {
    const est = estimatedParts(data, o.collector, null, (v) => fmtNum(v, 3));
    return timeChart({
      ...base,
      title: 'Mean absolute error',
      note: ['realised, from labelled predictions', est.note].filter(Boolean).join('; '),
      bands: est.bands,
      lines: [{ label: 'MAE', values: maeSeries(data.groups), color: COLORS.blue }, ...est.lines],
      thresholds: withLimits(est.thresholds),
    });
  }
  const acc = accuracySeries(data.groups);
  const est = estimatedParts(data, o.collector, estimatedAccuracySeries(data.groups), (v) => fmtPct(v, 1));
  return timeChart({
    ...base,
    title: 'Accuracy',
    note: ['realised (95 % Wilson band)', est.note].filter(Boolean).join('; '),
    bands: [{ label: 'realised', lower: acc.lower, upper: acc.upper, color: COLORS.blue }, ...est.bands],
    lines: [{ label: 'realised', values: acc.value, color: COLORS.blue }, ...est.lines],
    thresholds: withLimits(est.thresholds),
    format: (v) => fmtPct(v, 1),
    fit: true,
    yMin: 0,
    yMax: 1,
  });
}

const VERDICT_COLORS: Record<number, string> = {
  [VERDICT_VALUE.clear]: 'rgb(38, 84, 66)',
  [VERDICT_VALUE.drifted]: 'rgb(229, 83, 75)',
  [VERDICT_VALUE.skewed]: 'rgb(224, 160, 48)',
  [VERDICT_VALUE.quality]: 'rgb(180, 142, 173)',
};

const VERDICT_WORDS: Record<DriftVerdict, string> = {
  clear: 'no finding',
  drifted: 'drifted (feature_drift)',
  skewed: 'train–serving skew (distribution_skew)',
  quality: 'data-quality finding',
};

/** Whether each chart window had predictions. */
export function windowsWithData(data: WindowData): boolean[] {
  return data.groups.map((g) => g.some((w) => w.predictions > 0));
}

/** The collector's verdicts for the features of `psi` (and any feature it flagged) over the chart's windows. */
export function verdictsFor(
  data: WindowData,
  collector: CollectorData | null,
  psi: DriftMatrix,
): DriftVerdicts {
  return driftVerdicts({
    axisMs: data.axis,
    windowMs: data.windowMs,
    features: psi.features,
    findings: collector?.driftFindings ?? [],
    analysed: collector?.analysed ?? [],
    hasData: windowsWithData(data),
  });
}

/**
 * The drift views of a page: the collector's per-feature verdicts (`<prefix>drift`), its drift-share figure and
 * limit (`<prefix>drift-share`) when it evaluates one, and the browser's PSI for the windows it has not evaluated
 * (`<prefix>drift-exploration`), with the windows it evaluated shaded and its findings outlined.
 */
export function driftViews(o: {
  prefix: string;
  data: WindowData;
  collector: CollectorData | null;
  psi: DriftMatrix;
  verdicts: DriftVerdicts;
  featureLink: (feature: string) => string;
  /** Where the PSI's reference comes from, in words. */
  referenceNote: string;
  maxRows?: number;
}): HTMLElement[] {
  const { data, collector, psi, verdicts } = o;
  const rows = o.maxRows ?? Number.POSITIVE_INFINITY;
  const out: HTMLElement[] = [];
  const evaluatedAny = verdicts.evaluated.some(Boolean) || Object.keys(verdicts.flagged).length > 0;
  if (evaluatedAny)
    out.push(
      heatmap({
        id: `${o.prefix}drift`,
        title: 'Feature drift: the collector’s verdicts',
        note: `per window the collector evaluated; ${DETECTION_NOTE}. ● windows flagged. Click a feature for its distribution`,
        rows: verdicts.features.slice(0, rows).map((f, i) => ({
          label: f,
          href: o.featureLink(f),
          values: verdicts.cells[i]!.map((v) => (v === null ? null : VERDICT_VALUE[v])),
          ...(verdicts.flagged[f] ? { flagged: verdicts.flagged[f] } : {}),
        })),
        axisMs: data.axis,
        windowMs: data.windowMs,
        saturateAt: VERDICT_VALUE.quality,
        color: (v) => VERDICT_COLORS[v] ?? VERDICT_COLORS[VERDICT_VALUE.clear]!,
        nullLabel: 'not evaluated',
        levels: (['clear', 'drifted', 'skewed', 'quality'] as const).map((v) => ({
          value: VERDICT_VALUE[v],
          label: VERDICT_WORDS[v],
        })),
        flaggedLabel: (n) => `the collector raised a finding on it in ${n} window${n === 1 ? '' : 's'}`,
        tip: (ri, ci) => {
          const v = verdicts.cells[ri]?.[ci] ?? null;
          const head = `${verdicts.features[ri]} · ${fmtTime(data.axis[ci]!)}`;
          if (v === null) return `${head} · not evaluated by the collector`;
          const notes = verdicts.notes.get(`${ri}:${ci}`) ?? [];
          return `${head} · ${VERDICT_WORDS[v]}${notes.length ? ` · ${notes[0]}` : ''}`;
        },
      }),
    );
  else
    out.push(
      h(
        'p',
        { class: 'empty', 'data-chart': `${o.prefix}drift` },
        'The collector has evaluated no window of this range yet: drift below is exploration only.',
      ),
    );
  const share = collector?.driftShare ?? null;
  if (share) {
    const s = evaluatedSeries(share.evaluations, data.axis, data.windowMs);
    if (s.value.some((v) => v !== null))
      out.push(
        timeChart({
          id: `${o.prefix}drift-share`,
          title: 'Share of features drifted',
          note: `the collector's figure per evaluated window (${share.expectationId})`,
          axisMs: data.axis,
          lines: [{ label: 'drifted share', values: s.value, color: COLORS.amber }],
          thresholds: limitLine(limitOf(share.evaluations), (v) => fmtPct(v, 0)),
          format: (v) => fmtPct(v, 0),
          yMin: 0,
          yMax: 1,
        }),
      );
  }
  if (hasUnevaluated(verdicts, windowsWithData(data)) || !evaluatedAny) {
    const marks = flaggedCells(verdicts, psi.features);
    out.push(
      heatmap({
        id: `${o.prefix}drift-exploration`,
        title: 'Exploration: PSI on window summaries',
        note: `PSI on window summaries — exploration; ${DETECTION_NOTE} (the verdicts above). ${o.referenceNote}`,
        rows: psi.features.slice(0, rows).map((f, i) => ({
          label: f,
          href: o.featureLink(f),
          values: psi.scores[i]!,
        })),
        axisMs: data.axis,
        windowMs: data.windowMs,
        saturateAt: PSI_SIGNIFICANT * 2,
        levels: [
          { value: 0.05, label: 'stable' },
          { value: PSI_MODERATE, label: `moderate ≥ ${PSI_MODERATE}` },
          { value: PSI_SIGNIFICANT, label: `significant ≥ ${PSI_SIGNIFICANT}` },
        ],
        shade: { columns: verdicts.evaluated, label: 'evaluated by the collector (see its verdicts)' },
        marks: { cells: marks, label: 'the collector raised a finding' },
        tip: (ri, ci) => {
          const head = `${psi.features[ri]} · ${fmtTime(data.axis[ci]!)}`;
          const flagged = marks[ri]?.[ci] ? '; it raised a finding on this feature' : '';
          if (verdicts.evaluated[ci] || flagged) return `${head} · evaluated by the collector${flagged}`;
          const v = psi.scores[ri]?.[ci] ?? null;
          return `${head} · ${v === null ? 'no data' : `PSI ${fmtNum(v, 3)} (exploration)`}`;
        },
        reference: psi.reference,
      }),
    );
  } else
    out.push(
      h(
        'p',
        { class: 'note', 'data-note': 'drift-exploration' },
        'Every window in view with traffic was evaluated by the collector; the PSI exploration covers only windows it has not evaluated.',
      ),
    );
  return out;
}
