/**
 * @module
 * Diagnosis: given a violated expectation and the findings of every detector for the same model, rank the causes
 * of the architecture by how well they explain the violation.
 *
 * Scoring model (docs/expectations.md, "Diagnosis"):
 * 1. Gather the model's findings whose window ends after `onset − lookback`.
 * 2. Per finding, `support = timing × scope × strength` (components.ts), each in [0, 1].
 * 3. Per cause, keep the best support of each distinct detector and subject, and combine them by noisy-OR:
 *    `evidence = 1 − Π (1 − support)` — independent detectors that agree add up; one detector repeating does not.
 * 4. `score = prior(cause | symptom) × evidence × gate`, where the prior (priors.ts) says which causes can produce
 *    the symptom at all and the gate (rules.ts) holds concept drift, label shift and poor hyperparameters down
 *    when the causes that pre-empt them are present (moved inputs hold concept drift and a generalisation gap
 *    down; a generalisation gap of the same version holds concept drift and, with the labels still, label shift
 *    down).
 * 5. Rank by score (ties: higher prior, then the architecture's cause order). Causes with prior 0 are set aside
 *    with the reason; plausible causes without findings are listed as unexplored with the check that would
 *    confirm them.
 * Each ranked cause carries its components, its strongest findings, a sentence saying why it ranks where it does
 * against its neighbour, and a concrete check that would confirm it.
 */
import type { Evaluation } from '../expectations/evaluate.js';
import type { Symptom } from '../expectations/metrics.js';
import { CAUSES, type Cause, type Finding } from '../findings/finding.js';
import {
  DIAGNOSIS_DEFAULTS,
  type DiagnosisConfig,
  scopeScore,
  strengthScore,
  timingScore,
  type ViolationContext,
  violationContext,
} from './components.js';
import { howToConfirm } from './confirm.js';
import { describeFindingPlace, explainPair } from './explain.js';
import { CAUSE_PRIORS, type PriorTable, priorOf } from './priors.js';
import { gateRulesFor, holdsDown, movesLabels } from './rules.js';
import type { CauseComponents, HeldDown, RankedCause, SupportingFinding } from './types.js';

export type { CauseComponents, HeldDown, RankedCause, SupportingFinding } from './types.js';

export interface SetAsideCause {
  cause: Cause;
  findings: number;
  reason: string;
}

export interface UnexploredCause {
  cause: Cause;
  prior: number;
  confirm: string;
}

export interface Diagnosis {
  model: string;
  expectationId: string;
  dedupeKey: string;
  symptom: Symptom;
  onsetMs: number;
  windowEndMs: number;
  causes: RankedCause[];
  setAside: SetAsideCause[];
  unexplored: UnexploredCause[];
  summary: string;
}

export interface DiagnoseOptions {
  /** When the violation began (the incident's first violating window start); default: this window's start. */
  onsetMs?: number;
  config?: Partial<DiagnosisConfig>;
  priors?: PriorTable;
}

const HOUR = 3_600_000;

/**
 * The findings that may explain a violation: same model, with a window that ends after the violation's onset
 * minus the lookback. Findings of other versions, instances and times stay in: the scope and timing components
 * weigh them down rather than hiding them.
 */
export function gatherFindings(
  evaluation: Evaluation,
  findings: readonly Finding[],
  options: { onsetMs?: number; lookbackMs?: number | null } = {},
): Finding[] {
  const lengthMs = evaluation.window.endMs - evaluation.window.startMs;
  const lookback = options.lookbackMs ?? Math.max(24 * HOUR, 2 * lengthMs);
  const onset = Math.min(options.onsetMs ?? evaluation.window.startMs, evaluation.window.startMs);
  return findings.filter((f) => f.subject.model === evaluation.model && f.window.endMs > onset - lookback);
}

function groupKey(f: Finding): string {
  const s = f.subject;
  return [f.detector, s.version, s.instance, s.feature, s.dependency, s.slice].map((x) => x ?? '').join('|');
}

function supportOf(f: Finding, v: ViolationContext, config: DiagnosisConfig): SupportingFinding {
  const timing = timingScore(f, v, config);
  const scope = scopeScore(f, v, config);
  const strength = strengthScore(f, config);
  return { finding: f, timing, scope, strength, support: timing.value * scope.value * strength };
}

interface Draft {
  cause: Cause;
  score: number;
  components: CauseComponents;
  findings: SupportingFinding[];
  heldDown: HeldDown | null;
}

const SYMPTOM_WORDS: Record<Symptom, string> = {
  latency: 'latency',
  errors: 'error-rate',
  throughput: 'throughput',
  availability: 'heartbeat',
  ml_performance: 'model-performance',
  label_coverage: 'label-coverage',
  input_drift: 'input-drift',
  concentration: 'exposure-concentration',
  integrity_artifact: 'artifact',
  integrity_checks: 'self-check',
  integrity_schema: 'schema',
};

/**
 * Ranks the causes of a violation by how well the findings explain it (see the module comment for the model).
 * Pure and deterministic: the same evaluation, findings and options give the same diagnosis.
 */
export function diagnose(
  evaluation: Evaluation,
  findings: readonly Finding[],
  options: DiagnoseOptions = {},
): Diagnosis {
  const config: DiagnosisConfig = { ...DIAGNOSIS_DEFAULTS, ...options.config };
  const priors = options.priors ?? CAUSE_PRIORS;
  const v = violationContext(evaluation, options.onsetMs, config);
  const gathered = gatherFindings(evaluation, findings, {
    onsetMs: v.onsetMs,
    lookbackMs: config.lookbackMs,
  });
  const supports = gathered.map((f) => supportOf(f, v, config));
  const byCause = new Map<Cause, SupportingFinding[]>();
  for (const s of supports) {
    const list = byCause.get(s.finding.cause) ?? [];
    list.push(s);
    byCause.set(s.finding.cause, list);
  }

  const setAside: SetAsideCause[] = [];
  const drafts: Draft[] = [];
  for (const cause of CAUSES) {
    const list = byCause.get(cause);
    if (list === undefined || list.length === 0) continue;
    const prior = priorOf(evaluation.symptom, cause, priors);
    if (prior === 0) {
      setAside.push({
        cause,
        findings: list.length,
        reason: `${cause} does not produce a ${SYMPTOM_WORDS[evaluation.symptom]} violation (prior 0)`,
      });
      continue;
    }
    // One vote per distinct detector and subject: the best support of each.
    const best = new Map<string, SupportingFinding>();
    for (const s of list) {
      const k = groupKey(s.finding);
      const cur = best.get(k);
      if (cur === undefined || s.support > cur.support) best.set(k, s);
    }
    const votes = [...best.values()].sort(bySupport);
    const evidence = 1 - votes.reduce((p, s) => p * (1 - s.support), 1);
    const top = votes[0]!;
    drafts.push({
      cause,
      score: prior * evidence,
      components: {
        prior,
        timing: top.timing.value,
        scope: top.scope.value,
        strength: top.strength,
        evidence,
        corroboration: votes.length,
        gate: 1,
      },
      findings: votes.slice(0, config.maxEvidence),
      heldDown: null,
    });
  }

  // Gates: hold a cause down when a cause that pre-empts it supports the same violation.
  const strong = supports.filter((s) => s.support >= config.gateSupport);
  const labelsMoved = strong.some((s) => movesLabels(s.finding));
  for (const d of drafts) {
    for (const rule of gateRulesFor(d.cause)) {
      if (rule.labelsStill && labelsMoved) continue;
      let strongest: SupportingFinding | null = null;
      for (const s of strong)
        if (holdsDown(rule, s.finding) && !(rule.sameVersion && s.scope.version === 'other'))
          if (strongest === null || s.support > strongest.support) strongest = s;
      if (strongest === null) continue;
      d.components.gate = config.gateFactor;
      d.score *= config.gateFactor;
      d.heldDown = {
        by: strongest.finding.cause,
        detector: strongest.finding.detector,
        support: strongest.support,
        reason: rule.reason,
        evidence: strongest.finding.evidence.summary,
      };
      break;
    }
  }

  drafts.sort(
    (a, b) =>
      b.score - a.score ||
      b.components.prior - a.components.prior ||
      CAUSES.indexOf(a.cause) - CAUSES.indexOf(b.cause),
  );

  const causes: RankedCause[] = drafts.map((d, i) => {
    const neighbour = i === 0 ? drafts[1] : drafts[i - 1];
    const explanation =
      neighbour === undefined
        ? onlyCause(d, evaluation)
        : i === 0
          ? `ranked above ${neighbour.cause} because ${explainPair(d, neighbour, evaluation, 'above')}`
          : `ranked below ${neighbour.cause} because ${explainPair(d, neighbour, evaluation, 'below')}`;
    return {
      cause: d.cause,
      rank: i + 1,
      score: d.score,
      components: d.components,
      findings: d.findings,
      heldDown: d.heldDown,
      explanation,
      confirm: howToConfirm(d.cause, d.findings[0]?.finding ?? null, evaluation),
    };
  });

  const ranked = new Set(causes.map((c) => c.cause));
  const asideSet = new Set(setAside.map((c) => c.cause));
  const unexplored: UnexploredCause[] = CAUSES.filter((c) => !ranked.has(c) && !asideSet.has(c))
    .map((c) => ({ cause: c, prior: priorOf(evaluation.symptom, c, priors) }))
    .filter((c) => c.prior >= config.unexploredPrior)
    .sort((a, b) => b.prior - a.prior || CAUSES.indexOf(a.cause) - CAUSES.indexOf(b.cause))
    .map((c) => ({ ...c, confirm: howToConfirm(c.cause, null, evaluation) }));

  return {
    model: evaluation.model,
    expectationId: evaluation.expectationId,
    dedupeKey: evaluation.dedupeKey,
    symptom: evaluation.symptom,
    onsetMs: v.onsetMs,
    windowEndMs: evaluation.window.endMs,
    causes,
    setAside,
    unexplored,
    summary: summarise(causes, unexplored),
  };
}

function bySupport(a: SupportingFinding, b: SupportingFinding): number {
  return b.support - a.support || a.finding.detector.localeCompare(b.finding.detector);
}

function onlyCause(d: Draft, ev: Evaluation): string {
  const top = d.findings[0]!;
  return `it is the only plausible cause with findings: ${top.finding.detector} ${describeFindingPlace(top, ev)}`;
}

function summarise(causes: readonly RankedCause[], unexplored: readonly UnexploredCause[]): string {
  const first = causes[0];
  if (first === undefined) {
    const check = unexplored
      .slice(0, 3)
      .map((u) => u.cause)
      .join(', ');
    return `No finding explains this violation yet.${check === '' ? '' : ` Most plausible causes to check: ${check}.`}`;
  }
  const rest = causes
    .slice(1, 4)
    .map((c) => `${c.cause} (${c.score.toFixed(2)})`)
    .join(', ');
  return `Most likely ${first.cause} (score ${first.score.toFixed(2)}): ${first.findings[0]!.finding.evidence.summary}${rest === '' ? '' : ` Then ${rest}.`}`;
}
