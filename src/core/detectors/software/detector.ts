/**
 * @module
 * The descriptor every software detector exports: `{ id, family, causes, defaults, run }`. `run` is pure: the same
 * window data and config always give the same outcomes. Detectors are listed explicitly in
 * `src/core/detectors/index.ts`; nothing registers itself on import.
 */
import type { Cause, DetectorOutcome } from '../../findings/finding.js';
import type { SoftwareWindowInput } from './inputs.js';

export interface SoftwareDetector<Id extends string = string, Config = unknown> {
  /** Stable snake_case id, written on every finding as `detector`. */
  readonly id: Id;
  readonly family: 'software' | 'operational';
  /** The causes its findings can carry. */
  readonly causes: readonly Cause[];
  /** Default parameters, documented in docs/detectors.md. */
  readonly defaults: Readonly<Config>;
  run(input: SoftwareWindowInput, config: Config): DetectorOutcome[];
}
