/**
 * @module
 * The descriptor of a symptom measure, and the walk over the series (model-wide, then per instance) every
 * measure shares.
 */
import type { Subject } from '../../findings/finding.js';
import type { OperationalSeries, SoftwareWindowInput } from '../software/inputs.js';
import type { Symptom } from './symptom.js';

export interface SymptomMeasure<Id extends string = string, Config = unknown> {
  readonly id: Id;
  readonly defaults: Readonly<Config>;
  measure(input: SoftwareWindowInput, config: Config): Symptom[];
}

export interface SubjectSeries {
  subject: Subject;
  /** 'the model' or 'instance web-3', for sentences. */
  label: string;
  series: OperationalSeries;
}

/** The model-wide series (when the collector keeps one) followed by each instance's series, sorted by name. */
export function subjectSeries(input: SoftwareWindowInput): SubjectSeries[] {
  const out: SubjectSeries[] = [];
  if (input.operational.overall)
    out.push({
      subject: { model: input.model },
      label: `model ${input.model}`,
      series: input.operational.overall,
    });
  const instances = [...input.operational.instances].sort((a, b) => a.instance.localeCompare(b.instance));
  for (const s of instances)
    out.push({
      subject: { model: input.model, instance: s.instance },
      label: `instance ${s.instance}`,
      series: s,
    });
  return out;
}

/** The last `n` windows of a history (the most recent ones). */
export function lastWindows<T>(previous: readonly T[], n: number): T[] {
  return previous.slice(Math.max(0, previous.length - n));
}
