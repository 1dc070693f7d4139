/**
 * @module
 * Sentences that say why a cause ranks above or below its neighbour, with the numbers: "ranked above
 * covariate_shift because it began 2 min before the violation on the same instance (i-3), while covariate_shift
 * began 3 h after the violation". The deciding components are those where one cause beats the other by at least
 * a fifth (ratio ≥ 1.2); at most two are named, the most decisive first.
 */
import type { Evaluation } from '../expectations/evaluate.js';
import type { Cause } from '../findings/finding.js';
import type { CauseComponents, HeldDown, SupportingFinding } from './types.js';
import { durationInWords } from './words.js';

/** What the sentences need of a ranked (or about to be ranked) cause. */
export interface Explainable {
  cause: Cause;
  score: number;
  components: CauseComponents;
  findings: SupportingFinding[];
  heldDown: HeldDown | null;
}

type Component = 'gate' | 'prior' | 'timing' | 'scope' | 'strength' | 'corroboration';

const DECISIVE_RATIO = 1.2;

function ratio(a: number, b: number): number {
  return (a + 0.01) / (b + 0.01);
}

/** Components where `better` beats `worse`, most decisive first. */
function deciding(better: Explainable, worse: Explainable): Component[] {
  const a = better.components;
  const b = worse.components;
  const pairs: [Component, number][] = [
    ['gate', ratio(a.gate, b.gate)],
    ['prior', ratio(a.prior, b.prior)],
    ['timing', ratio(a.timing, b.timing)],
    ['scope', ratio(a.scope, b.scope)],
    ['strength', ratio(a.strength, b.strength)],
    ['corroboration', ratio(a.corroboration, b.corroboration)],
  ];
  return pairs
    .filter(([, r]) => r >= DECISIVE_RATIO)
    .sort((x, y) => y[1] - x[1])
    .map(([c]) => c)
    .slice(0, 2);
}

/** "began 2 min before the violation" / "began during the violation" / "began 3 h after the violation began". */
export function describeTiming(s: SupportingFinding): string {
  const t = s.timing;
  if (t.relation === 'during') return 'began during the violation';
  return t.relation === 'before'
    ? `began ${durationInWords(t.distanceMs)} before the violation`
    : `began ${durationInWords(t.distanceMs)} after the violation began`;
}

/** Where a finding sits relative to the violation's scope; empty when it covers the whole model. */
export function describeScope(s: SupportingFinding, ev: Evaluation): string {
  const subject = s.finding.subject;
  const parts: string[] = [];
  switch (s.scope.instance) {
    case 'same':
      if (subject.instance !== undefined) parts.push(`on the same instance (${subject.instance})`);
      break;
    case 'other':
      parts.push(`on another instance (${subject.instance}) than the breaching ones`);
      break;
    case 'model_wide_for_local':
      parts.push(
        `model-wide, while only ${ev.scope.instances.length} of ${ev.scope.instancesSeen.length} instances breach`,
      );
      break;
    case 'instance_of_whole':
      parts.push(`on instance ${subject.instance} alone`);
      break;
    case 'whole':
      break;
  }
  if (s.scope.version === 'other')
    parts.push(`on version ${subject.version} rather than ${ev.scope.version}`);
  if (s.scope.slice === 'same') parts.push(`in the same slice (${subject.slice})`);
  else if (s.scope.slice === 'other') parts.push(`in slice ${subject.slice}, which does not breach`);
  else if (s.scope.slice === 'slice_of_whole') parts.push(`in slice ${subject.slice}`);
  else if (s.scope.slice === 'whole_for_sliced')
    parts.push(`across all slices, while only ${ev.scope.slices.join(', ')} breach`);
  return parts.join(', ');
}

/** Timing and scope of a finding in one phrase: "began 2 min before the violation on the same instance (i-3)". */
export function describeFindingPlace(s: SupportingFinding, ev?: Evaluation): string {
  const scope = ev === undefined ? '' : describeScope(s, ev);
  return scope === '' ? describeTiming(s) : `${describeTiming(s)} ${scope}`;
}

function score(x: number): string {
  return x.toFixed(2);
}

function best(x: Explainable): SupportingFinding {
  return x.findings[0]!;
}

function strength(x: Explainable): string {
  const f = best(x).finding;
  return `${score(f.score)} ${f.severity}`;
}

/** What makes `x` strong where it beats `other`. */
function strongSide(x: Explainable, comps: readonly Component[], ev: Evaluation): string {
  let s = describeFindingPlace(best(x), ev);
  if (comps.includes('strength')) s += `, with score ${strength(x)}`;
  if (comps.includes('corroboration')) s += `, seen by ${x.components.corroboration} detectors`;
  if (comps.includes('prior'))
    s += `, and it is a more typical cause of this kind of violation (prior ${score(x.components.prior)})`;
  return s;
}

/** "<reason> (a <cause> finding from <detector> supports the violation: <its evidence>)". */
export function heldDownWords(h: HeldDown | null): string {
  if (h === null) return 'a pre-empting cause is present';
  const evidence = h.evidence.trim().replace(/\.$/, '');
  return `${h.reason} (a ${h.by} finding from ${h.detector} supports the violation${evidence === '' ? '' : `: ${evidence}`})`;
}

/** What makes `x` weak where `other` beats it. */
function weakSide(x: Explainable, other: Explainable, comps: readonly Component[], ev: Evaluation): string {
  const out: string[] = [];
  for (const c of comps) {
    switch (c) {
      case 'gate':
        out.push(`is held down because ${heldDownWords(x.heldDown)}`);
        break;
      case 'prior':
        out.push(
          `is a less typical cause of this kind of violation (prior ${score(x.components.prior)} against ${score(other.components.prior)})`,
        );
        break;
      case 'timing':
        out.push(describeTiming(best(x)));
        break;
      case 'scope': {
        const s = describeScope(best(x), ev);
        out.push(s === '' ? 'covers the model as a whole' : `is ${s}`);
        break;
      }
      case 'strength':
        out.push(`has weaker evidence (score ${strength(x)}, against ${strength(other)})`);
        break;
      case 'corroboration':
        out.push(
          `is seen by ${x.components.corroboration} detector${x.components.corroboration === 1 ? '' : 's'} against ${other.components.corroboration}`,
        );
        break;
    }
  }
  return out.join(' and ');
}

/**
 * The reason clause of "ranked above/below <neighbour> because …". `self` is the cause being explained and
 * `neighbour` the cause next to it; `position` says whether `self` is above (better) or below (worse).
 */
export function explainPair(
  self: Explainable,
  neighbour: Explainable,
  ev: Evaluation,
  position: 'above' | 'below',
): string {
  const [better, worse] = position === 'above' ? [self, neighbour] : [neighbour, self];
  const comps = deciding(better, worse);
  if (comps.length === 0)
    return `no single component decides (combined score ${score(self.score)} against ${score(neighbour.score)}): it ${describeFindingPlace(best(self), ev)}, while ${neighbour.cause} ${describeFindingPlace(best(neighbour), ev)}`;
  return position === 'above'
    ? `it ${strongSide(self, comps, ev)}, while ${neighbour.cause} ${weakSide(neighbour, self, comps, ev)}`
    : `it ${weakSide(self, neighbour, comps, ev)}, while ${neighbour.cause} ${strongSide(neighbour, comps, ev)}`;
}
