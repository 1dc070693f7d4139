/**
 * @module
 * All symptoms of one window at once, and the question the cause detectors ask of them: did this instance's
 * latency or errors move?
 */
import type { SoftwareWindowInput } from '../software/inputs.js';
import { ERROR_RATE_DEFAULTS, type ErrorRateConfig, measureErrorRates } from './error-rate.js';
import { LATENCY_DEFAULTS, type LatencyConfig, measureLatency } from './latency.js';
import { isAbnormal, type Symptom } from './symptom.js';
import { measureThroughput, THROUGHPUT_DEFAULTS, type ThroughputConfig } from './throughput.js';

export interface SymptomsConfig {
  latency: LatencyConfig;
  throughput: ThroughputConfig;
  errorRate: ErrorRateConfig;
}

export const SYMPTOMS_DEFAULTS: Readonly<SymptomsConfig> = {
  latency: LATENCY_DEFAULTS,
  throughput: THROUGHPUT_DEFAULTS,
  errorRate: ERROR_RATE_DEFAULTS,
};

/** Latency, throughput and error-rate symptoms of one window, model-wide then per instance. */
export function measureSymptoms(
  input: SoftwareWindowInput,
  config: SymptomsConfig = SYMPTOMS_DEFAULTS,
): Symptom[] {
  return [
    ...measureLatency(input, config.latency),
    ...measureThroughput(input, config.throughput),
    ...measureErrorRates(input, config.errorRate),
  ];
}

/**
 * The abnormal latency or error symptoms (rising) of one instance: what ties a host or environment problem to a
 * violation on that instance. Empty when nothing moved or the instance has no operational series.
 */
export function movedSymptoms(symptoms: readonly Symptom[], instance: string): Symptom[] {
  return symptoms.filter(
    (s) =>
      s.subject.instance === instance &&
      s.direction === 'up' &&
      isAbnormal(s) &&
      (s.measure === 'latency' || s.measure === 'error_rate'),
  );
}
