/**
 * @module
 * The shapes of a diagnosis: a finding with its component scores, and a ranked cause with its components,
 * evidence, explanation and confirming check.
 */
import type { Cause, Finding } from '../findings/finding.js';
import type { ScopeScore, TimingScore } from './components.js';

export interface SupportingFinding {
  finding: Finding;
  timing: TimingScore;
  scope: ScopeScore;
  strength: number;
  /** timing × scope × strength. */
  support: number;
}

export interface CauseComponents {
  /** How plausibly the cause produces this symptom at all. */
  prior: number;
  /** Components of the strongest finding. */
  timing: number;
  scope: number;
  strength: number;
  /** Noisy-OR of the supports of distinct detectors/subjects. */
  evidence: number;
  /** Distinct detectors/subjects that contributed. */
  corroboration: number;
  /** 1, or the gate factor when the cause is held down. */
  gate: number;
}

export interface HeldDown {
  by: Cause;
  detector: string;
  support: number;
  reason: string;
  /** The evidence summary of the finding that holds it down. */
  evidence: string;
}

export interface RankedCause {
  cause: Cause;
  rank: number;
  /** prior × evidence × gate, in [0, 1]. */
  score: number;
  components: CauseComponents;
  /** The strongest findings, best first (at most `maxEvidence`). */
  findings: SupportingFinding[];
  heldDown: HeldDown | null;
  /** Why it ranks where it does, against its neighbour, with the numbers. */
  explanation: string;
  /** A concrete check that would confirm it. */
  confirm: string;
}
