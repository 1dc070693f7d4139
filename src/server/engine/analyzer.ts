/**
 * @module
 * `createWindowAnalyzer(deps)`: the `WindowAnalyzer` of the collector. For one model and one event-time window it
 * reads the store (never writes), runs every detector family and fills `WindowFigures`:
 *
 * - software and operational detectors on the window's serving rows, heartbeats, events and probe results,
 *   with the `baselineWindows` windows before it as baselines (`assemble/serving.ts`);
 * - per model version with traffic: input detectors against the version's reference and the previous window
 *   (`assemble/inputs.ts`), outcome detectors on joined labels, CBPE/DLE estimates, the generalisation gap and
 *   the feedback loop (`assemble/outcomes.ts`);
 * - figures: operational (model-wide and per instance), labels and realised performance (all versions),
 *   estimated performance, drift, schema and feedback of the window's main version, deployment and
 *   integrity facts. The deployment facts are the registry's as they stood during the window — the version
 *   intended at its end and every version intended at some moment of it — so a window evaluated after a deploy
 *   is still judged against the version intended then.
 *
 * Failed requests (status `error` or `timeout`) count in the operational figures and detectors: the row-level
 * data checks, labels and feedback read the requests the model answered, as the window profiles do
 * (`store/window-state.ts`), so a crash storm is not mistaken for missing values or drift. The one exception is
 * the edge-case check, which also reads failed requests that carry every feature of the version: inputs far
 * outside the reference that make the model fail are edge cases, while a half-filled request is a crash artefact.
 *
 * Per-version fits (isolation forest, PCA, CBPE/DLE, reference quantiles and performance) are cached in memory
 * by project, model, version, reference upload time and schema. Randomness is seeded from the model and the
 * window, so the same window always gives the same analysis.
 */
import { createHash } from 'node:crypto';
import { FaultlineError, type Scalar } from '../../core/contract/index.js';
import { type ProbeSpec, runSoftwareDetectors, type SoftwareOverrides } from '../../core/detectors/index.js';
import {
  type ColumnTestResult,
  compareColumn,
  type TestedKind,
} from '../../core/detectors/input/drift-tests.js';
import { assessFeatureDrift, driftFigures } from '../../core/detectors/input/feature-drift.js';
import { type FeedbackLoopInput, feedbackLoopOutcome } from '../../core/detectors/outcome/feedback-loop.js';
import {
  type LabelledPrediction,
  type RealisedPerformance,
  realisedFigures,
  realisedPerformance,
  slicePerformance,
} from '../../core/detectors/outcome/realised.js';
import { INTEGRITY_SOURCES } from '../../core/expectations/integrity-outcomes.js';
import type { OperationalFigures, WindowFigures } from '../../core/expectations/window-figures.js';
import type { DetectorOutcome, TimeWindow } from '../../core/findings/finding.js';
import type { OutputCheck } from '../../core/outliers/output-checks.js';
import type { ColumnProfile } from '../../core/profile/column-profile.js';
import { type Rng, seededRng } from '../../core/rng.js';
import { intendedAt, intendedDuring } from '../../store/intended-history.js';
import type { ModelRecord, PredictionRecord, Store, VersionRecord } from '../../store/store.js';
import { emptyWindow, mergeWindows, type WindowState } from '../../store/window-state.js';
import { analyseInputs, INPUT_DEFAULTS, type InputConfig } from './assemble/inputs.js';
import { analyseOutcomes, OUTCOME_DEFAULTS, type OutcomeConfig } from './assemble/outcomes.js';
import { isRanked, recommenderWindow } from './assemble/recommender.js';
import {
  FIT_DEFAULTS,
  FitCache,
  type FitOptions,
  fitVersion,
  type VersionFits,
} from './assemble/reference.js';
import { assembleServing, type ServingConfig } from './assemble/serving.js';
import type { WindowAnalysis, WindowAnalyzer } from './types.js';

export interface AnalyzerConfig {
  serving: ServingConfig;
  input: InputConfig;
  outcome: OutcomeConfig;
  fit: FitOptions;
  /** Most prediction rows read for the window (row-level checks, labels); beyond it the window's sample is used. */
  maxRows: number;
  /** Earlier windows whose labels stand in for the reference's performance when the reference has none. */
  earlierWindows: number;
  /** Windows of the version followed by the feedback-loop detector. */
  loopWindows: number;
  software: SoftwareOverrides;
}

export const ANALYZER_DEFAULTS: Readonly<AnalyzerConfig> = {
  serving: { baselineWindows: 12, lookbackMs: 3_600_000, maxServingRows: 500_000, maxEvents: 50_000 },
  input: INPUT_DEFAULTS,
  outcome: OUTCOME_DEFAULTS,
  fit: FIT_DEFAULTS,
  maxRows: 20_000,
  earlierWindows: 6,
  loopWindows: 12,
  software: {},
};

export interface WindowAnalyzerDeps {
  store: Store;
  /** Overrides of the defaults, section by section. */
  config?: {
    [K in keyof AnalyzerConfig]?: AnalyzerConfig[K] extends object
      ? Partial<AnalyzerConfig[K]>
      : AnalyzerConfig[K];
  };
  /** User-declared output checks of a model (`core/outliers/output-checks.ts`), when configured. */
  outputChecks?: (project: string, model: string) => readonly OutputCheck[] | undefined;
  /** Configured upstream probes of a project; default: read off the probe events' attributes. */
  probeSpecs?: (project: string) => readonly ProbeSpec[] | undefined;
}

export interface WindowAnalyzerWithCache extends WindowAnalyzer {
  /** Versions whose fits are held in memory. */
  cachedFits(): number;
  clearCache(): void;
}

function merged<T extends object>(base: T, over: Partial<T> | undefined): T {
  return { ...base, ...(over ?? {}) };
}

/** FNV-1a of a string, for seeds. */
function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}

function mergeStates(states: readonly WindowState[], rng: Rng): WindowState | null {
  if (states.length === 0) return null;
  let out = mergeWindows(emptyWindow(rng), states[0]!, rng);
  for (let i = 1; i < states.length; i++) out = mergeWindows(out, states[i]!, rng);
  return out;
}

/** Compares one column with the kind the layout gives it. */
function compareColumnSafe(
  a: ColumnProfile,
  b: ColumnProfile,
  kind: TestedKind,
  minRows: number,
): ColumnTestResult {
  return compareColumn(a, b, { kind, minRows });
}

/** Realised performance per slice of the window's categorical features, as figures. */
function sliceFigures(
  labelled: readonly LabelledPrediction[],
  fits: VersionFits,
  rng: Rng,
  task: string | null,
  config: AnalyzerConfig,
): NonNullable<WindowFigures['slices']> {
  const features = fits.layout.features.filter(
    (f) => fits.layout.kinds[f] === 'categorical' || fits.layout.kinds[f] === 'boolean',
  );
  return slicePerformance(
    labelled,
    features.map((feature) => ({ feature, maxValues: config.outcome.sliceValues })),
    rng,
    { task, minRows: config.outcome.minSliceRows, resamples: 50 },
  ).map((s) => ({ slice: s.slice, realised: realisedFigures(s.performance) }));
}

/** Labelled predictions the model answered; a failed request has no output to compare with its label. */
const labelledOf = (rows: readonly PredictionRecord[]): LabelledPrediction[] =>
  rows.flatMap((r) =>
    r.label === null || r.status !== 'ok'
      ? []
      : [{ output: r.output, label: r.label.value, features: r.features }],
  );

function operationalFromState(s: WindowState): OperationalFigures {
  const q = s.latencyMs.isEmpty ? null : s.latencyMs.quantiles([0.5, 0.9, 0.95, 0.99]);
  return {
    requests: s.predictions,
    errors: s.status.error,
    timeouts: s.status.timeout,
    latencyMs: q ? { p50: q[0]!, p90: q[1]!, p95: q[2]!, p99: q[3]! } : null,
    latencyCount: s.latencyMs.n,
  };
}

/**
 * The collector's window analyser (module comment). `analyze` throws `registry.model_not_found` for an unknown
 * model and `request.invalid` for a window that is not a finite interval with end > start.
 */
export function createWindowAnalyzer(deps: WindowAnalyzerDeps): WindowAnalyzerWithCache {
  const { store } = deps;
  const c = deps.config ?? {};
  const config: AnalyzerConfig = {
    serving: merged(ANALYZER_DEFAULTS.serving, c.serving),
    input: merged(ANALYZER_DEFAULTS.input, c.input),
    outcome: merged(ANALYZER_DEFAULTS.outcome, c.outcome),
    fit: merged(ANALYZER_DEFAULTS.fit, c.fit),
    maxRows: (c.maxRows as number | undefined) ?? ANALYZER_DEFAULTS.maxRows,
    earlierWindows: (c.earlierWindows as number | undefined) ?? ANALYZER_DEFAULTS.earlierWindows,
    loopWindows: (c.loopWindows as number | undefined) ?? ANALYZER_DEFAULTS.loopWindows,
    software: merged(ANALYZER_DEFAULTS.software, c.software as SoftwareOverrides | undefined),
  };
  const cache = new FitCache();

  async function fitsOf(project: string, model: ModelRecord, v: VersionRecord): Promise<VersionFits> {
    const key = [
      project,
      model.name,
      v.version,
      v.reference?.uploadedAtMs ?? 'none',
      JSON.stringify(v.schema),
    ].join('\u0000');
    const hit = cache.get(key);
    if (hit) return hit;
    const reference = v.reference ? await store.getReference(project, model.name, v.version) : null;
    // Seeded by what the reference holds, never by when it was uploaded: the same reference gives the same
    // forest, PCA and estimators on every collector and engine, and so the same findings.
    const content = reference
      ? createHash('sha256').update(reference.profile).update(JSON.stringify(reference.sample)).digest('hex')
      : 'none';
    const seed = hash32([project, model.name, v.version, content, JSON.stringify(v.schema)].join('\u0000'));
    const fits = fitVersion(key, v, reference, model.task, config.fit, seededRng(seed));
    cache.set(key, fits);
    return fits;
  }

  async function analyze(project: string, modelName: string, window: TimeWindow): Promise<WindowAnalysis> {
    if (!(Number.isFinite(window.startMs) && Number.isFinite(window.endMs) && window.endMs > window.startMs))
      throw new FaultlineError(
        'request.invalid',
        `window must be a finite interval with endMs > startMs, got ${window.startMs}…${window.endMs}`,
        { issues: [{ field: 'window', reason: 'endMs must be greater than startMs' }] },
      );
    const model = await store.getModel(project, modelName);
    if (!model)
      throw new FaultlineError(
        'registry.model_not_found',
        `model "${modelName}" does not exist in project "${project}"`,
        {
          hint: 'create it with POST /v1/models or send its predictions first',
        },
      );
    const W = window.endMs - window.startMs;
    const win: TimeWindow = { startMs: window.startMs, endMs: window.endMs, kind: 'sliding' };
    const rng = seededRng(hash32(`${project}\u0000${modelName}\u0000${window.startMs}\u0000${window.endMs}`));
    const versions = await store.listVersions(project, modelName);
    const byName = new Map(versions.map((v) => [v.version, v]));
    // The intended deployment as it stood during the window, not as it stands now (store/intended-history.ts).
    const history = await store.listIntendedVersions(project, modelName);
    const intended = intendedAt(history, window.endMs - 1);

    // Software and operational detectors.
    const serving = await assembleServing(
      store,
      project,
      modelName,
      window,
      versions,
      intended,
      config.serving,
      deps.probeSpecs?.(project),
    );
    const software = runSoftwareDetectors(serving.input, config.software);
    const outcomes: DetectorOutcome[] = [...software.outcomes];

    // The window's buckets (and the previous window's), per version.
    const buckets = await store.listWindows(project, modelName, {
      fromMs: window.startMs - W,
      toMs: window.endMs,
      limit: 1_000_000,
    });
    const cur = new Map<string, WindowState[]>();
    const prev = new Map<string, WindowState[]>();
    for (const b of buckets) {
      const into = b.startMs >= window.startMs ? cur : prev;
      const list = into.get(b.version);
      if (list) list.push(b.state);
      else into.set(b.version, [b.state]);
    }
    const states = new Map<string, WindowState>();
    for (const [v, list] of cur) states.set(v, mergeStates(list, rng)!);
    const total = [...states.values()].reduce((a, s) => a + s.predictions, 0);
    const rows =
      total > 0
        ? await store.listPredictions(project, modelName, {
            fromMs: window.startMs,
            toMs: window.endMs,
            limit: config.maxRows,
          })
        : [];
    const truncated = rows.length < total;

    // Per version.
    const order = [...states.entries()].sort(
      (a, b) => b[1].predictions - a[1].predictions || (a[0] < b[0] ? -1 : 1),
    );
    const main = order[0]?.[0] ?? null;
    const figuresOf: Partial<WindowFigures> = {};
    const allLabelled: LabelledPrediction[] = labelledOf(rows);
    for (const [versionName, state] of order) {
      const version =
        byName.get(versionName) ??
        ({
          project,
          model: modelName,
          version: versionName,
          artifactHash: null,
          description: null,
          validationMetrics: {},
          fingerprint: null,
          schema: null,
          intended: false,
          registered: false,
          createdAtMs: 0,
          reference: null,
        } satisfies VersionRecord);
      try {
        const fits = await fitsOf(project, model, version);
        const first = await store.listWindows(project, modelName, { version: versionName, limit: 1 });
        const firstStart = first[0]?.startMs ?? window.startMs;
        const windowIndex = Math.max(0, Math.floor((window.startMs - firstStart) / W));
        const versionStartMs = window.startMs - windowIndex * W;
        // Failed requests feed the operational figures only (store/window-state.ts): their partial features
        // must not reach the row-level data checks either. Those with every feature there still tell the
        // edge-case checks what the model failed on.
        const vRows = rows.filter((r) => r.version === versionName && r.status === 'ok');
        const failedRows = rows
          .filter(
            (r) =>
              r.version === versionName &&
              r.status !== 'ok' &&
              fits.layout.features.length > 0 &&
              fits.layout.features.every((f) => r.features[f] !== undefined && r.features[f] !== null),
          )
          .map((r) => ({ id: r.id, features: r.features }));
        const rowData = truncated
          ? state.sample
              .items()
              .map((r) => ({ id: r.id, features: r.features, output: r.output, label: r.label }))
          : vRows.map((r) => ({
              id: r.id,
              features: r.features,
              output: r.output,
              label: (r.label?.value ?? null) as Scalar | null,
            }));
        // Did the version's first windows already differ from the reference? (cached per version)
        let firstWindowDrift: string[] | null = null;
        if (fits.profile && windowIndex >= config.input.skewWindows) {
          if (fits.firstWindow?.startMs !== versionStartMs) {
            const firstBuckets = await store.listWindows(project, modelName, {
              version: versionName,
              fromMs: versionStartMs,
              toMs: versionStartMs + config.input.skewWindows * W,
              limit: 1_000_000,
            });
            const fs = mergeStates(
              firstBuckets.map((b) => b.state),
              rng,
            );
            let drifted: string[] = [];
            if (fs) {
              const results = fits.layout.features.flatMap((f) => {
                const a = fits.profile!.column(f);
                const b = fs.features.column(f);
                const k = fits.layout.kinds[f];
                if (!a || !b || (k !== 'numerical' && k !== 'categorical' && k !== 'boolean')) return [];
                return [compareColumnSafe(a, b, k, config.input.minRows)];
              });
              drifted = assessFeatureDrift(results, config.input.featureDrift).drifted;
            }
            fits.firstWindow = { startMs: versionStartMs, drifted };
          }
          firstWindowDrift = fits.firstWindow.drifted;
        }
        const prevState = mergeStates(prev.get(versionName) ?? [], rng);
        const inputs = analyseInputs(
          fits,
          {
            version: versionName,
            features: state.features,
            outputs: state.outputs,
            labels: state.labelValues,
            previous: prevState
              ? { features: prevState.features, outputs: prevState.outputs, labels: prevState.labelValues }
              : null,
            rows: rowData,
            failedRows,
            windowIndex,
            firstWindowDrift,
          },
          {
            model: modelName,
            window: win,
            outputChecks: deps.outputChecks?.(project, modelName) ?? null,
            rng,
          },
          config.input,
        );
        outcomes.push(...inputs.outcomes);
        const earlier =
          fits.performance === null
            ? labelledOf(
                await store.listPredictions(project, modelName, {
                  version: versionName,
                  fromMs: window.startMs - config.earlierWindows * W,
                  toMs: window.startMs,
                  limit: config.maxRows,
                }),
              )
            : null;
        const sinceStart =
          Object.keys(version.validationMetrics).length > 0 &&
          windowIndex < config.outcome.generalisation.firstWindows
            ? labelledOf(
                await store.listPredictions(project, modelName, {
                  version: versionName,
                  fromMs: versionStartMs,
                  toMs: window.endMs,
                  limit: config.maxRows * config.outcome.generalisation.firstWindows,
                }),
              )
            : null;
        const out = analyseOutcomes(
          version,
          fits,
          { rows: rowData, earlier, sinceStart, windowIndex, versionStartMs },
          inputs,
          { model: modelName, task: model.task, window: win, rng },
          config.outcome,
        );
        outcomes.push(...out.outcomes);

        // Feedback loop over the version's windows.
        let feedbackFacts: ReturnType<typeof feedbackLoopOutcome>['current'] = null;
        if (rowData.some((r) => isRanked(r.output))) {
          const spanStart = Math.max(versionStartMs, window.startMs - (config.loopWindows - 1) * W);
          const ranked = await store.listPredictions(project, modelName, {
            version: versionName,
            fromMs: spanStart,
            toMs: window.endMs,
            limit: config.maxRows * config.loopWindows,
          });
          const feedback = await store.listFeedback(project, modelName, {
            fromMs: spanStart,
            toMs: window.endMs,
            limit: config.maxRows * config.loopWindows,
          });
          const preds = ranked
            .filter((r) => r.status === 'ok')
            .map((r) => ({
              id: r.id,
              timestampMs: r.timestampMs,
              output: r.output,
              label: r.label?.value ?? null,
            }));
          const ids = new Set(preds.map((p) => p.id));
          const fb = feedback.filter((f) => ids.has(f.predictionId));
          const series: FeedbackLoopInput = { windows: [], popularity: fits.popularity };
          for (let s = spanStart; s < window.endMs; s += W)
            series.windows.push(recommenderWindow(s, s + W, preds, fb));
          const loop = feedbackLoopOutcome(series, { model: modelName, version: versionName, window: win });
          outcomes.push(loop.outcome);
          feedbackFacts = loop.current;
        }

        if (versionName === main) {
          if (inputs.drift) figuresOf.drift = { features: driftFigures(inputs.drift) };
          if (out.estimated) figuresOf.estimated = out.estimated;
          if (inputs.schema) figuresOf.schema = inputs.schema;
          if (feedbackFacts)
            figuresOf.feedback = {
              impressions: feedbackFacts.impressions,
              exposureGini: feedbackFacts.metrics.gini,
              catalogCoverage: feedbackFacts.metrics.catalogueCoverage,
            };
          figuresOf.slices = sliceFigures(allLabelled, fits, rng, model.task, config);
        }
      } catch (e) {
        outcomes.push({
          kind: 'insufficient_data',
          detector: 'window_analysis',
          subject: { model: modelName, version: versionName },
          reason: `the analysis of version ${versionName} failed: ${(e as Error).message}`,
        });
      }
    }

    // Figures.
    const mergedState = mergeStates([...states.values()], rng);
    const realised: RealisedPerformance | null =
      allLabelled.length > 0 ? realisedPerformance(allLabelled, rng, { task: model.task }) : null;
    const single = order.length === 1 || (order.length > 1 && order[0]![1].predictions >= 0.95 * total);
    const figures: WindowFigures = {
      model: modelName,
      version: single ? main : null,
      window: { startMs: window.startMs, endMs: window.endMs },
      operational: serving.truncated && mergedState ? operationalFromState(mergedState) : serving.operational,
      instances: serving.instances,
      labels: { predictions: total, labelled: mergedState?.labels.count ?? 0 },
      versionsServed: [...states.entries()]
        .filter(([, st]) => st.predictions > 0)
        .map(([v]) => v)
        .sort(),
      ...(realised ? { realised: realisedFigures(realised) } : {}),
      ...figuresOf,
      deployment: {
        intendedVersion: intended?.version ?? null,
        intendedInWindow: intendedDuring(history, window.startMs, window.endMs),
        registeredArtifacts: Object.fromEntries(
          versions
            .filter((v) => v.registered && v.artifactHash !== null)
            .map((v) => [v.version, v.artifactHash!]),
        ),
      },
      integrityOutcomes: software.outcomes.filter((o) => {
        const detector = o.kind === 'finding' ? o.finding.detector : o.detector;
        return Object.values(INTEGRITY_SOURCES).some((s) => s.detectors.includes(detector));
      }),
    };
    if (figures.slices && figures.slices.length === 0) delete figures.slices;
    return {
      project,
      model: modelName,
      window: { startMs: window.startMs, endMs: window.endMs },
      figures,
      outcomes,
    };
  }

  return {
    analyze,
    cachedFits: () => cache.size,
    clearCache: () => cache.clear(),
  };
}
