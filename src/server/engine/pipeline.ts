/**
 * @module
 * The evaluation pipeline: for one model, every window whose end the watermark (latest event time less the
 * allowed lateness) has passed and that was not evaluated yet is, in event-time order,
 * 1. analysed (`WindowAnalyzer`: figures and every detector's outcome),
 * 2. evaluated against the model's expectations (met / violated / unknown, with figure and confidence),
 * 3. applied to the model's incidents — a violation opens or updates one, diagnosed from the findings of every
 *    detector for the model known up to the window's end (this window and the recent ones),
 * 4. stored in one step (findings, evaluations, incidents, the cursor), and only then
 * 5. reported to the `onChange` hooks (server log line, alerts).
 *
 * Everything depends on event time only: a window is evaluated "at" its own end, and a diagnosis reads only the
 * findings of windows that ended by then. So a day replayed at full speed gives the same incidents, causes and
 * alerts as the same day lived.
 *
 * Several processes may share one store (collectors on PostgreSQL). Each window is still evaluated, and alerted
 * on, once: a run and a person's action on an incident hold the model's lease in the store (so they never
 * interleave, in one process or across several), and each window's step is stored only if the model's cursor
 * has not moved since the run read it (so a run that lost its lease while paused stores nothing twice).
 */
import { randomBytes } from 'node:crypto';
import { FaultlineError } from '../../core/contract/index.js';
import { diagnose } from '../../core/diagnosis/diagnose.js';
import { type Evaluation, evaluate, requiredWindowsMs } from '../../core/expectations/evaluate.js';
import type { Expectation } from '../../core/expectations/expectation.js';
import type { Finding } from '../../core/findings/finding.js';
import {
  acknowledgeIncident,
  applyEvaluations,
  type IncidentChange,
  type IncidentPolicy,
  resolveIncident,
} from '../../core/incidents/apply.js';
import type { Incident } from '../../core/incidents/incident.js';
import type { EngineStateStore, Store } from '../../store/store.js';
import { findingKey } from '../../store/store.js';
import type { Clock } from '../deps.js';
import { watermarkOf } from '../wire.js';
import type { ExpectationRegistry } from './pipeline-expectations.js';
import type { WindowAnalyzer } from './types.js';

const HOUR = 3_600_000;

export type EngineStore = Store & EngineStateStore;

/** Whether a store engine keeps engine state (SQLite does; an engine without it runs no evaluation). */
export function hasEngineState(store: Store): store is EngineStore {
  return typeof (store as Partial<EngineStateStore>).saveEngineStep === 'function';
}

/** Called after each stored incident change, in event-time order. Errors are caught and reported to `onError`. */
export type IncidentHook = (project: string, change: IncidentChange) => void | Promise<void>;

export interface PipelineDeps {
  store: EngineStore;
  analyzer: WindowAnalyzer;
  expectations: ExpectationRegistry;
  /** Wall clock, for `recordedAtMs` bookkeeping only; evaluation itself runs in event time. */
  clock: Clock;
  policy?: Partial<IncidentPolicy>;
  hooks?: IncidentHook[];
  /** Windows evaluated at most per model and run; the rest wait for the next run (default 2000). */
  maxWindowsPerRun?: number;
  /** This process's name on the model leases (default: random). */
  holder?: string;
  /** How long a run or a person's action asked for waits while another process evaluates the model (30 s). */
  leaseWaitMs?: number;
  onError?: (error: unknown, context: string) => void;
}

export interface EvaluatedWindow {
  startMs: number;
  endMs: number;
  findings: number;
  evaluations: number;
}

export interface PipelineRun {
  project: string;
  model: string;
  /** The event time windows were evaluated up to (the watermark, or `untilMs`); null before any event. */
  untilMs: number | null;
  windows: EvaluatedWindow[];
  evaluations: Evaluation[];
  changes: IncidentChange[];
  /** True when windows were left for the next run (`maxWindowsPerRun`). */
  more: boolean;
  /**
   * Who was evaluating the model instead (another process held its lease, and the run was asked not to wait);
   * null when this run evaluated.
   */
  heldBy: string | null;
}

export interface PersonAction {
  by: string;
  note?: string | undefined;
}

export interface Pipeline {
  /**
   * Evaluates every window of `model` that ends at or before `untilMs` (default: the model's watermark) and was
   * not evaluated yet. Runs for one model never overlap, across processes sharing the store too: while another
   * holds the model, the run waits (`leaseWaitMs`, then `engine.busy`), or with `wait: false` returns at once with
   * `heldBy`. Throws `registry.model_not_found`.
   */
  runModel(
    project: string,
    model: string,
    options?: { untilMs?: number | undefined; wait?: boolean | undefined },
  ): Promise<PipelineRun>;
  /** `runModel` for every model of the project (watermark each). */
  runProject(project: string, options?: { untilMs?: number | undefined }): Promise<PipelineRun[]>;
  acknowledge(project: string, id: string, action: PersonAction): Promise<Incident>;
  resolve(project: string, id: string, action: PersonAction): Promise<Incident>;
}

interface DueWindow {
  startMs: number;
  endMs: number;
  lengthMs: number;
}

/** The windows due for each length: from the cursor (or the first stored bucket) to `untilMs`, ordered by end,
 * then shortest first. */
export function dueWindows(
  lengths: readonly number[],
  cursors: ReadonlyMap<number, number>,
  firstEventMs: number | null,
  untilMs: number,
  max: number,
): { windows: DueWindow[]; more: boolean } {
  const out: DueWindow[] = [];
  let more = false;
  for (const len of lengths) {
    const from = cursors.get(len) ?? (firstEventMs === null ? null : Math.floor(firstEventMs / len) * len);
    if (from === null) continue;
    let n = 0;
    for (let start = from; start + len <= untilMs; start += len) {
      if (n++ >= max) {
        more = true;
        break;
      }
      out.push({ startMs: start, endMs: start + len, lengthMs: len });
    }
  }
  out.sort((a, b) => a.endMs - b.endMs || a.lengthMs - b.lengthMs);
  if (out.length > max) {
    more = true;
    out.length = max;
  }
  return { windows: out, more };
}

/** How long a model lease lasts unless renewed; a run renews it as it goes. */
export const MODEL_LEASE_TTL_MS = 60_000;

/** The lease a process holds on one model while it evaluates it or changes one of its incidents. */
export function modelLeaseName(project: string, model: string): string {
  return `faultline:model:${JSON.stringify([project, model])}`;
}

/** `engine.busy`: another process kept the model longer than the caller would wait. */
function busy(project: string, model: string, holder: string): FaultlineError {
  return new FaultlineError(
    'engine.busy',
    `model "${model}" of project "${project}" is being evaluated by ${holder}; try again shortly`,
    {
      hint: 'a long evaluation (many windows) holds the model; retry, or read the results with GET /v1/incidents',
    },
  );
}

/** A run that evaluated nothing. */
function emptyRun(
  project: string,
  model: string,
  untilMs: number | null,
  heldBy: string | null = null,
): PipelineRun {
  return { project, model, untilMs, windows: [], evaluations: [], changes: [], more: false, heldBy };
}

/** `engine.incident_not_found` for an id. */
export function incidentNotFound(id: string): FaultlineError {
  return new FaultlineError('engine.incident_not_found', `there is no incident "${id}"`, {
    hint: 'list incidents with GET /v1/incidents',
  });
}

export function createPipeline(deps: PipelineDeps): Pipeline {
  const { store, analyzer } = deps;
  const maxWindows = deps.maxWindowsPerRun ?? 2000;
  const holder = deps.holder ?? `pipeline-${randomBytes(6).toString('hex')}`;
  const leaseWaitMs = deps.leaseWaitMs ?? 30_000;
  const hooks = deps.hooks ?? [];
  const onError =
    deps.onError ??
    ((e: unknown, context: string) => {
      process.stderr.write(`faultline: ${context}: ${e instanceof Error ? e.message : String(e)}\n`);
    });
  /** One chain of work per project and model: runs and person actions never interleave. */
  const chains = new Map<string, Promise<unknown>>();

  function serial<T>(key: string, work: () => Promise<T>): Promise<T> {
    const prev = chains.get(key) ?? Promise.resolve();
    const next = prev.then(work, work);
    const settled = next.then(
      () => undefined,
      () => undefined,
    );
    chains.set(key, settled);
    void settled.then(() => {
      if (chains.get(key) === settled) chains.delete(key);
    });
    return next;
  }

  /** A model lease taken for one piece of work: `renew` keeps it (false once it was lost). */
  interface ModelLease {
    renew(): Promise<boolean>;
  }

  /**
   * Runs `work` holding the model's lease, waiting up to `waitMs` for it (0: one try). Resolves with the holder in
   * the way when the lease could not be had.
   */
  async function withModelLease<T>(
    project: string,
    model: string,
    waitMs: number,
    work: (lease: ModelLease) => Promise<T>,
  ): Promise<{ done: true; value: T } | { done: false; heldBy: string }> {
    const name = modelLeaseName(project, model);
    const end = Date.now() + waitMs;
    let pause = 25;
    for (;;) {
      const got = await store.tryAcquireLease(name, holder, MODEL_LEASE_TTL_MS);
      if (got.acquired) break;
      if (Date.now() + pause > end) return { done: false, heldBy: got.holder };
      await new Promise((r) => setTimeout(r, pause));
      pause = Math.min(pause * 2, 500);
    }
    let renewedAt = Date.now();
    const lease: ModelLease = {
      async renew() {
        if (Date.now() - renewedAt < MODEL_LEASE_TTL_MS / 3) return true;
        const r = await store.tryAcquireLease(name, holder, MODEL_LEASE_TTL_MS);
        renewedAt = Date.now();
        return r.acquired;
      },
    };
    try {
      return { done: true, value: await work(lease) };
    } finally {
      await store.releaseLease(name, holder).catch((e) => onError(e, `releasing the lease on ${model}`));
    }
  }

  async function emit(project: string, changes: readonly IncidentChange[]): Promise<void> {
    for (const change of changes)
      for (const hook of hooks) {
        try {
          await hook(project, change);
        } catch (e) {
          onError(e, `incident hook for ${change.incident.id}`);
        }
      }
  }

  /** What a run of `model` would evaluate now: reads only. */
  async function plan(project: string, model: string, untilOption: number | undefined) {
    const record = await store.getModel(project, model);
    if (!record)
      throw new FaultlineError('registry.model_not_found', `model "${model}" does not exist`, {
        hint: 'list models with GET /v1/models',
      });
    const untilMs = untilOption ?? watermarkOf(record);
    if (untilMs === null) return { untilMs, expectations: [], cursors: new Map<number, number>(), due: null };
    const { expectations } = await deps.expectations.forModel(project, model);
    const lengths = requiredWindowsMs(expectations);
    const cursors = new Map(
      (await store.listEngineCursors(project, { model })).map((c) => [c.windowMs, c.lastWindowEndMs]),
    );
    const first = (await store.listWindows(project, model, { limit: 1 }))[0]?.startMs ?? null;
    return { untilMs, expectations, cursors, due: dueWindows(lengths, cursors, first, untilMs, maxWindows) };
  }

  async function run(
    project: string,
    model: string,
    untilOption: number | undefined,
    wait: boolean,
  ): Promise<PipelineRun> {
    // Nothing due: no lease to take. Collectors sharing a store each look at every model, and only the one
    // that finds a window due writes anything (the lease), so looking often costs reads alone.
    const ahead = await plan(project, model, untilOption);
    if (ahead.due === null || ahead.due.windows.length === 0) return emptyRun(project, model, ahead.untilMs);
    const outcome = await withModelLease(project, model, wait ? leaseWaitMs : 0, (lease) =>
      runHolding(project, model, untilOption, lease),
    );
    if (outcome.done) return outcome.value;
    if (wait) throw busy(project, model, outcome.heldBy);
    return emptyRun(project, model, null, outcome.heldBy);
  }

  async function runHolding(
    project: string,
    model: string,
    untilOption: number | undefined,
    lease: ModelLease,
  ): Promise<PipelineRun> {
    // Planned again under the lease: another process may have evaluated since the look ahead.
    const { untilMs, expectations, cursors, due } = await plan(project, model, untilOption);
    const result: PipelineRun = { ...emptyRun(project, model, untilMs), more: due?.more ?? false };
    if (due === null || due.windows.length === 0) return result;

    let active = await store.listIncidents(project, {
      model,
      status: ['open', 'acknowledged'],
      limit: 10_000,
    });
    for (const w of due.windows) {
      // A run paused past its lease (a long GC, a stalled database) stops: another process has the model.
      if (!(await lease.renew())) break;
      const previous = cursors.get(w.lengthMs) ?? null;
      const step = await evaluateWindow(project, model, w, expectations, active, previous);
      // Another process stored this window first (its alerts went out): what follows is its to evaluate.
      if (step === null) break;
      cursors.set(w.lengthMs, w.endMs);
      active = step.active;
      result.windows.push({
        startMs: w.startMs,
        endMs: w.endMs,
        findings: step.findings,
        evaluations: step.evaluations.length,
      });
      result.evaluations.push(...step.evaluations);
      result.changes.push(...step.changes);
      await emit(project, step.changes);
    }
    return result;
  }

  async function evaluateWindow(
    project: string,
    model: string,
    w: DueWindow,
    expectations: readonly Expectation[],
    active: Incident[],
    previousWindowEndMs: number | null,
  ): Promise<{
    active: Incident[];
    findings: number;
    evaluations: Evaluation[];
    changes: IncidentChange[];
  } | null> {
    const analysis = await analyzer.analyze(project, model, { startMs: w.startMs, endMs: w.endMs });
    const findings: Finding[] = [];
    for (const o of analysis.outcomes) if (o.kind === 'finding') findings.push(o.finding);
    const figures = { ...analysis.figures, window: { startMs: w.startMs, endMs: w.endMs } };
    // Evaluated "at" the window's end: the result depends on event time only.
    const evaluations = evaluate(expectations, [figures], w.endMs);

    let known: Finding[] = [];
    if (evaluations.some((e) => e.status === 'violated')) {
      // Findings of this window and the recent ones, known by the window's end.
      const onset = Math.min(w.startMs, ...active.map((i) => i.onsetMs));
      const fromMs = onset - Math.max(24 * HOUR, 2 * w.lengthMs);
      const stored = await store.listFindings(project, { model, fromMs, toMs: w.endMs + 1, limit: 20_000 });
      const byKey = new Map(stored.map((s) => [s.key, s.finding]));
      for (const f of findings) if (f.window.endMs <= w.endMs) byKey.set(findingKey(f), f);
      // A fixed order (oldest first, then key) so the ranking never depends on storage order.
      known = [...byKey.entries()]
        .sort((a, b) => a[1].window.endMs - b[1].window.endMs || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
        .map(([, f]) => f);
    }
    const applied = applyEvaluations(
      active,
      evaluations,
      (ev, onsetMs) => diagnose(ev, known, { onsetMs }),
      w.endMs,
      deps.policy,
    );
    const changed = applied.incidents.filter((inc, i) => inc !== active[i]);
    const now = deps.clock.now();
    const stored = await store.saveEngineStep(project, {
      findings,
      evaluations,
      incidents: changed,
      cursor: { model, windowMs: w.lengthMs, lastWindowEndMs: w.endMs, figures, updatedAtMs: now },
      previousWindowEndMs,
      recordedAtMs: now,
    });
    if (!stored) return null;
    return {
      active: applied.incidents.filter((i) => i.status !== 'resolved'),
      findings: findings.length,
      evaluations,
      changes: applied.changes,
    };
  }

  async function personAction(
    project: string,
    id: string,
    action: PersonAction,
    kind: 'acknowledge' | 'resolve',
  ): Promise<Incident> {
    const found = await store.getIncident(project, id);
    if (!found) throw incidentNotFound(id);
    return serial(`${project}\u0000${found.model}`, async () => {
      const outcome = await withModelLease(project, found.model, leaseWaitMs, () =>
        applyPersonAction(project, id, found, action, kind),
      );
      if (!outcome.done) throw busy(project, found.model, outcome.heldBy);
      return outcome.value;
    });
  }

  async function applyPersonAction(
    project: string,
    id: string,
    found: Incident,
    action: PersonAction,
    kind: 'acknowledge' | 'resolve',
  ): Promise<Incident> {
    const current = (await store.getIncident(project, id)) ?? found;
    if (current.status === 'resolved')
      throw new FaultlineError('engine.incident_resolved', `incident "${id}" is already resolved`, {
        hint: 'a new violation opens a new incident',
      });
    if (kind === 'acknowledge' && current.status === 'acknowledged') return current;
    const at = deps.clock.now();
    const act = { by: action.by, atMs: at, ...(action.note === undefined ? {} : { note: action.note }) };
    const r = kind === 'acknowledge' ? acknowledgeIncident(current, act) : resolveIncident(current, act);
    await store.putIncident(project, r.incident);
    if (r.change) await emit(project, [r.change]);
    return r.incident;
  }

  return {
    runModel: (project, model, options = {}) =>
      serial(`${project}\u0000${model}`, () => run(project, model, options.untilMs, options.wait ?? true)),
    async runProject(project, options = {}) {
      const out: PipelineRun[] = [];
      for (const m of await store.listModels(project))
        out.push(
          await serial(`${project}\u0000${m.name}`, () => run(project, m.name, options.untilMs, true)).catch(
            (e) => {
              onError(e, `evaluating ${project}/${m.name}`);
              return emptyRun(project, m.name, null);
            },
          ),
        );
      return out;
    },
    acknowledge: (project, id, action) => personAction(project, id, action, 'acknowledge'),
    resolve: (project, id, action) => personAction(project, id, action, 'resolve'),
  };
}
