/**
 * @module
 * Upstream dependencies down or slow (cause `dependency_failure`, `subject.dependency` = the probe's name).
 *
 * Cause choice: the architecture lists "upstream probe failures" under dependency failure and "an upstream down"
 * under downtime. Faultline reports every upstream problem as `dependency_failure` with the dependency named, and
 * keeps `downtime` for its own serving instances (silent or crashing), so one cause never means two things.
 *
 * The collector's probe runner (server) probes each configured `ProbeSpec`; this evaluates the results. A result
 * fails when it is not ok, has no latency, or took longer than the spec's timeout. Per dependency, in the window:
 * - down (critical): the last `minConsecutiveFailures` results all failed, or at least `downShare` of them did;
 * - flapping (warning): at least `flappingShare` failed (and at least `minFailures`);
 * - slow (warning): the median latency of the successful results — or of a run of at least
 *   `minConsecutiveFailures` successful results at the end of the window, so a slowdown that began mid-window is seen in
 *   that window — is above the spec's `slowMs`, or,
 *   without one, above `slowFactor` × the median of the results before the window (needs `minBaselineResults`)
 *   and at least `minSlowDeltaMs` above it.
 * No spec → not_applicable; a spec with no result in the window → insufficient_data (is the runner running?).
 */
import type { DetectorOutcome, Finding } from '../../findings/finding.js';
import { median } from '../operational/robust-baseline.js';
import type { SoftwareDetector } from './detector.js';
import { formatMs, formatShare, formatTime } from './format.js';
import { inWindow } from './heartbeats.js';
import type { ProbeResult, SoftwareWindowInput } from './inputs.js';
import type { ProbeSpec } from './probe-spec.js';
import { scoreAbove } from './score.js';
import { longestCrossingSuffix } from './trailing-run.js';

export interface UpstreamProbeConfig {
  minConsecutiveFailures: number;
  downShare: number;
  flappingShare: number;
  minFailures: number;
  slowFactor: number;
  minSlowDeltaMs: number;
  minBaselineResults: number;
}

export const UPSTREAM_PROBE_DEFAULTS: Readonly<UpstreamProbeConfig> = {
  minConsecutiveFailures: 3,
  downShare: 0.5,
  flappingShare: 0.2,
  minFailures: 3,
  slowFactor: 3,
  minSlowDeltaMs: 20,
  minBaselineResults: 10,
};

const ID = 'upstream_probe';

/** A probe result counts as failed when not ok, without a latency, over the spec's timeout or a wrong status. */
export function probeFailed(r: ProbeResult, spec: ProbeSpec): boolean {
  if (!r.ok || r.latencyMs === null || r.latencyMs > spec.timeoutMs) return true;
  if (spec.kind === 'http' && spec.expectStatus && r.status !== undefined)
    return !spec.expectStatus.includes(r.status);
  return false;
}

function evaluate(
  input: SoftwareWindowInput,
  spec: ProbeSpec,
  all: ProbeResult[],
  config: UpstreamProbeConfig,
): DetectorOutcome {
  const w = input.window;
  const subject = { model: input.model, dependency: spec.name };
  const results = all.filter((r) => inWindow(r.timestampMs, w));
  const expected = Math.floor((w.endMs - w.startMs) / spec.intervalMs);
  if (results.length === 0)
    return {
      kind: 'insufficient_data',
      detector: ID,
      subject,
      reason: `no probe results for ${spec.name} in the window (about ${expected} expected): is the probe runner running?`,
    };
  const failed = results.map((r) => probeFailed(r, spec));
  const failures = failed.filter(Boolean).length;
  const share = failures / results.length;
  let trailing = 0;
  while (trailing < failed.length && failed[failed.length - 1 - trailing]) trailing++;
  const firstFailure = results[failed.indexOf(true)];
  const lastError = [...results].reverse().find((r, i) => failed[failed.length - 1 - i] && r.error)?.error;
  const okLatencies = results.filter((_, i) => !failed[i]).map((r) => r.latencyMs as number);
  const med = median(okLatencies);
  const before = all
    .filter((r) => r.timestampMs < w.startMs && !probeFailed(r, spec))
    .map((r) => r.latencyMs as number);
  const baseline = before.length >= config.minBaselineResults ? median(before) : null;
  const slowLimit =
    spec.slowMs ??
    (baseline !== null ? Math.max(config.slowFactor * baseline, baseline + config.minSlowDeltaMs) : null);
  const figures = [
    { name: 'failed probes', value: failures, unit: 'count' },
    { name: 'failure share', value: share, unit: 'share', threshold: config.downShare },
    { name: 'median probe latency', value: med, unit: 'ms', baseline, threshold: slowLimit },
  ];
  const target = `${spec.name} (${spec.kind} ${spec.target})`;
  const finding = (
    severity: Finding['severity'],
    score: number,
    summary: string,
    sinceMs?: number,
  ): DetectorOutcome => ({
    kind: 'finding',
    finding: {
      detector: ID,
      cause: 'dependency_failure',
      subject,
      window: w,
      severity,
      score,
      evidence: {
        summary,
        figures,
        detail: { results: results.length, trailingFailures: trailing, lastError: lastError ?? null },
      },
      ...(sinceMs !== undefined ? { sinceMs } : {}),
    },
  });
  const down =
    trailing >= config.minConsecutiveFailures ||
    (share >= config.downShare && failures >= config.minFailures);
  if (down) {
    const since =
      trailing >= config.minConsecutiveFailures ? results[results.length - trailing]! : firstFailure!;
    return finding(
      'critical',
      Math.max(scoreAbove(share, config.downShare), scoreAbove(trailing, config.minConsecutiveFailures)),
      `Upstream ${target} is down: ${failures} of ${results.length} probes failed (${formatShare(share)}), ` +
        `the last ${trailing} in a row since ${formatTime(since.timestampMs)}${lastError ? `; last error: ${lastError}` : ''}.`,
      since.timestampMs,
    );
  }
  if (share >= config.flappingShare && failures >= config.minFailures)
    return finding(
      'warning',
      scoreAbove(share, config.flappingShare),
      `Upstream ${target} is flapping: ${failures} of ${results.length} probes failed (${formatShare(share)}).`,
      firstFailure?.timestampMs,
    );
  // The longest run at the end of the window (at least `minConsecutiveFailures` results) whose median is over
  // the limit: a slowdown that began mid-window.
  // Slowness is judged on the successful probes only; failures are the business of "down" and "flapping".
  const succeeded = results.filter((_, i) => !failed[i]);
  const suffix =
    slowLimit === null
      ? 0
      : longestCrossingSuffix(
          succeeded.map((r) => r.latencyMs as number),
          config.minConsecutiveFailures,
          (m) => m > slowLimit,
        );
  if (med !== null && slowLimit !== null && (med > slowLimit || suffix > 0)) {
    const run = med > slowLimit ? succeeded : succeeded.slice(-suffix);
    const firstSlow = run.find((r) => (r.latencyMs as number) > slowLimit) ?? run[0]!;
    const shown = med > slowLimit ? med : median(run.map((r) => r.latencyMs as number))!;
    return finding(
      'warning',
      scoreAbove(shown, slowLimit),
      `Upstream ${target} is slow: ${med > slowLimit ? 'the median' : `since ${formatTime(firstSlow.timestampMs)} the median`} probe latency is ${formatMs(shown)}` +
        (spec.slowMs !== undefined
          ? `, over its ${formatMs(spec.slowMs)} limit.`
          : `, ${(shown / baseline!).toFixed(1)}× its ${formatMs(baseline!)} median before the window.`),
      firstSlow.timestampMs,
    );
  }
  return {
    kind: 'clear',
    detector: ID,
    subject,
    evidence: {
      summary: `Upstream ${target} healthy: ${failures} of ${results.length} probes failed, median ${
        med === null ? 'n/a' : formatMs(med)
      }.`,
      figures,
    },
  };
}

function run(input: SoftwareWindowInput, config: UpstreamProbeConfig): DetectorOutcome[] {
  const { specs, results } = input.probes;
  if (specs.length === 0)
    return [
      {
        kind: 'not_applicable',
        detector: ID,
        subject: { model: input.model },
        reason: 'no upstream probes configured',
      },
    ];
  const sorted = [...results]
    .filter((r) => r.timestampMs < input.window.endMs)
    .sort((a, b) => a.timestampMs - b.timestampMs);
  return [...specs]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((spec) =>
      evaluate(
        input,
        spec,
        sorted.filter((r) => r.dependency === spec.name),
        config,
      ),
    );
}

export const upstreamProbe: SoftwareDetector<typeof ID, UpstreamProbeConfig> = {
  id: ID,
  family: 'software',
  causes: ['dependency_failure'],
  defaults: UPSTREAM_PROBE_DEFAULTS,
  run,
};
