/**
 * The software detectors on realistic streams: a seeded day of clean traffic for three instances raises nothing,
 * and each injected fault is found with the right cause and subject within one window of its onset.
 */
import { describe, expect, it } from 'vitest';
import type { Cause, DetectorOutcome, Finding } from '../../findings/finding.js';
import { runSoftwareDetectors } from '../index.js';
import { isAbnormal } from '../operational/symptom.js';
import { windowInputs } from './testing/assemble.js';
import { findingsOf } from './testing/fixtures.js';
import { type Fault, generateScenario, ROGUE_HASH } from './testing/scenario.js';

const H = 3_600_000;
const DAY0 = Date.UTC(2025, 0, 6);

describe('a clean day', () => {
  it.each([1, 2, 3, 4])('seed %i: 288 windows, every detector clear, no abnormal symptom', (seed) => {
    const scenario = generateScenario({ seed });
    const windows = windowInputs(scenario);
    expect(windows.count).toBe(288);
    expect(scenario.predictions.length).toBeGreaterThan(200_000);
    const notClear: DetectorOutcome[] = [];
    const abnormal: string[] = [];
    for (let i = 0; i < windows.count; i++) {
      const run = runSoftwareDetectors(windows.input(i));
      notClear.push(...run.outcomes.filter((o) => o.kind !== 'clear'));
      abnormal.push(...run.symptoms.filter(isAbnormal).map((s) => `window ${i}: ${s.summary}`));
    }
    expect(notClear).toEqual([]);
    expect(abnormal).toEqual([]);
  });
});

/** 07:00–11:00 of the day, the fault at 10:02:30 (mid-window), so three hours of history precede it. */
const START = DAY0 + 7 * H;
const ONSET = 3 * H + 150_000;

function runAround(fault: Fault, seed = 11) {
  const scenario = generateScenario({ seed, startMs: START, durationMs: 4 * H, faults: [fault] });
  const windows = windowInputs(scenario);
  const onset = windows.indexOf(START + ONSET);
  const at = (k: number) => runSoftwareDetectors(windows.input(onset + k));
  return { scenario, at, before: runSoftwareDetectors(windows.input(onset - 1)) };
}

interface Case {
  name: string;
  fault: Fault;
  cause: Cause;
  detector: string;
  subject: Partial<Finding['subject']>;
  /** The window, counted from the one holding the onset, by which it must be found. */
  within: 0 | 1;
  text?: string[];
  severity?: Finding['severity'];
}

const cases: Case[] = [
  {
    name: 'an instance goes silent',
    fault: { kind: 'silence', instance: 'web-2', from: ONSET },
    cause: 'downtime',
    detector: 'heartbeat_gap',
    subject: { instance: 'web-2' },
    within: 0,
    severity: 'critical',
  },
  {
    name: 'an instance crash-loops',
    fault: { kind: 'crash_loop', instance: 'web-3', from: ONSET, everyMs: 240_000 },
    cause: 'downtime',
    detector: 'error_kind_causes',
    subject: { instance: 'web-3' },
    within: 0,
  },
  {
    name: 'an instance crash-loops (restarts)',
    fault: { kind: 'crash_loop', instance: 'web-3', from: ONSET, everyMs: 240_000 },
    cause: 'downtime',
    detector: 'crash_loop',
    subject: { instance: 'web-3' },
    within: 1,
    text: ['SIGSEGV'],
  },
  {
    name: 'an upstream goes down',
    fault: { kind: 'upstream_down', dependency: 'feature-store', from: ONSET },
    cause: 'dependency_failure',
    detector: 'upstream_probe',
    subject: { dependency: 'feature-store' },
    within: 0,
    severity: 'critical',
  },
  {
    name: 'an upstream slows down',
    fault: { kind: 'upstream_slow', dependency: 'postgres', from: ONSET, factor: 10 },
    cause: 'dependency_failure',
    detector: 'upstream_probe',
    subject: { dependency: 'postgres' },
    within: 0,
    text: ['slow'],
  },
  {
    name: 'an instance serves a foreign artifact',
    fault: { kind: 'wrong_artifact', instance: 'web-1', from: ONSET, artifactHash: ROGUE_HASH },
    cause: 'deployment_wrong_model',
    detector: 'artifact_mismatch',
    subject: { instance: 'web-1', version: 'v3' },
    within: 0,
    severity: 'critical',
  },
  {
    name: 'an older version comes back',
    fault: { kind: 'old_version', instance: 'web-3', from: ONSET },
    cause: 'deployment_wrong_model',
    detector: 'unintended_version',
    subject: { instance: 'web-3', version: 'v2' },
    within: 0,
    text: ['older version v2'],
  },
  {
    name: 'an instance cannot write its output',
    fault: {
      kind: 'self_check_failure',
      instance: 'web-2',
      from: ONSET,
      check: 'write_output_dir',
      detail: "EACCES: permission denied, open '/var/lib/churn/out/scores.parquet'",
    },
    cause: 'deployment_permissions',
    detector: 'self_checks',
    subject: { instance: 'web-2' },
    within: 0,
    text: ['write_output_dir', 'EACCES'],
  },
  {
    name: 'an instance comes back with new packages and runtime',
    fault: {
      kind: 'dependency_change',
      instance: 'web-1',
      from: ONSET,
      packages: { numpy: '2.0.0' },
      runtime: 'python 3.12.1',
    },
    cause: 'dependency_failure',
    detector: 'environment_fingerprint',
    subject: { instance: 'web-1' },
    within: 0,
    text: ['numpy 1.26.4 → 2.0.0', 'python 3.11.7 → 3.12.1'],
  },
  {
    name: 'a host saturates its CPU (latency rises with it)',
    fault: { kind: 'hardware', instance: 'web-2', from: ONSET, resource: 'cpu' },
    cause: 'hardware_failure',
    detector: 'host_metrics',
    subject: { instance: 'web-2' },
    within: 0,
    text: ['CPU'],
    severity: 'critical',
  },
  {
    name: 'a host runs out of memory',
    fault: { kind: 'hardware', instance: 'web-2', from: ONSET, resource: 'memory' },
    cause: 'hardware_failure',
    detector: 'host_metrics',
    subject: { instance: 'web-2' },
    within: 0,
    text: ['OOM kills'],
  },
  {
    name: 'a host overheats and throttles',
    fault: { kind: 'hardware', instance: 'web-2', from: ONSET, resource: 'thermal' },
    cause: 'hardware_failure',
    detector: 'host_metrics',
    subject: { instance: 'web-2' },
    within: 0,
    text: ['throttled'],
  },
  {
    name: 'a GPU reports errors while the service holds',
    fault: { kind: 'hardware', instance: 'web-2', from: ONSET, resource: 'gpu' },
    cause: 'hardware_failure',
    detector: 'host_metrics',
    subject: { instance: 'web-2' },
    within: 0,
    text: ['GPU errors', 'did not move'],
    severity: 'warning',
  },
];

describe('injected faults', () => {
  it.each(cases)('$name → $cause by window +$within', (c) => {
    const { at, before } = runAround(c.fault);
    // 1. Nothing before the onset.
    expect(findingsOf(before.outcomes)).toEqual([]);
    // 2. Found by the allowed window, by the right detector, with the right cause and subject.
    let found: Finding | undefined;
    for (let k = 0; k <= c.within && !found; k++)
      found = findingsOf(at(k).outcomes).find((f) => f.detector === c.detector);
    expect(found, `${c.detector} found nothing`).toBeDefined();
    expect(found!.cause).toBe(c.cause);
    expect(found!.subject).toMatchObject({ model: 'churn', ...c.subject });
    if (c.severity) expect(found!.severity).toBe(c.severity);
    for (const t of c.text ?? []) expect(found!.evidence.summary).toContain(t);
    expect(found!.score).toBeGreaterThanOrEqual(0.5);
    expect(found!.score).toBeLessThanOrEqual(1);
    // 3. It dates the problem no earlier than a minute before the onset.
    if (found!.sinceMs !== undefined) expect(found!.sinceMs).toBeGreaterThanOrEqual(START + ONSET - 60_000);
    // 4. No other cause is blamed in the onset window and the next.
    const others = [0, 1].flatMap((k) => findingsOf(at(k).outcomes)).filter((f) => f.cause !== c.cause);
    expect(others).toEqual([]);
  });

  it('a crash loop turns critical once the third restart is seen', () => {
    const { at } = runAround({ kind: 'crash_loop', instance: 'web-3', from: ONSET, everyMs: 240_000 });
    const loop = findingsOf(at(2).outcomes).find((f) => f.detector === 'crash_loop');
    expect(loop?.severity).toBe('critical');
    expect(loop?.evidence.summary).toMatch(/restarted [3-9] times.*crash loop/);
  });

  it("an environment change turns critical once its instance's errors rise with it", () => {
    const { at } = runAround({
      kind: 'dependency_change',
      instance: 'web-1',
      from: ONSET,
      packages: { numpy: '2.0.0' },
    });
    const env = findingsOf(at(1).outcomes).find((f) => f.detector === 'environment_fingerprint');
    expect(env?.severity).toBe('critical');
    expect(env?.evidence.summary).toMatch(/numpy 1\.26\.4 → 2\.0\.0.*error rate/);
    expect(env?.evidence.detail?.changedAtMs).toBeGreaterThanOrEqual(START + ONSET);
  });

  it('an older version left serving also shows as mixed versions after the rollout grace', () => {
    const { at } = runAround({ kind: 'old_version', instance: 'web-3', from: ONSET - 2 * H });
    const mixed = findingsOf(at(0).outcomes).find((f) => f.detector === 'mixed_versions');
    expect(mixed?.cause).toBe('deployment_wrong_model');
    expect(mixed?.evidence.summary).toContain('web-3 → v2');
  });

  it.each([
    ['latency', { kind: 'latency', instance: 'web-3', from: ONSET, factor: 4 }, 'latency_p99_ms', 'web-3', 0],
    [
      'timeouts',
      { kind: 'errors', instance: 'web-3', from: ONSET, errorKind: 'timeout', rate: 0.05 },
      'error_rate_timeout',
      'web-3',
      0,
    ],
    [
      'a traffic drop',
      { kind: 'traffic_drop', instance: 'web-1', from: ONSET, keep: 0.2 },
      'traffic_share',
      'web-1',
      1,
    ],
  ] as const)(
    '%s is a symptom, not a cause: measured on the instance, no finding',
    (_, fault, metric, instance, k) => {
      const { at } = runAround(fault as Fault);
      const run = at(k);
      const moved = run.symptoms.filter(isAbnormal).filter((s) => s.metric === metric);
      expect(moved.map((s) => s.subject.instance)).toContain(instance);
      expect(findingsOf([...at(0).outcomes, ...at(1).outcomes])).toEqual([]);
    },
  );
});

describe('missing signals', () => {
  it('without heartbeats or probes the detectors say so instead of reporting health', () => {
    const scenario = generateScenario({ seed: 3, startMs: START, durationMs: 2 * H });
    const windows = windowInputs({ ...scenario, heartbeats: [], probeSpecs: [], probeResults: [] });
    const run = runSoftwareDetectors(windows.input(20));
    const byDetector = new Map(
      run.outcomes.map((o) => [o.kind === 'finding' ? o.finding.detector : o.detector, o.kind]),
    );
    expect(byDetector.get('heartbeat_gap')).toBe('insufficient_data');
    expect(byDetector.get('self_checks')).toBe('insufficient_data');
    expect(byDetector.get('environment_fingerprint')).toBe('insufficient_data');
    expect(byDetector.get('host_metrics')).toBe('insufficient_data');
    expect(byDetector.get('upstream_probe')).toBe('not_applicable');
    // Traffic is still there: the deployment detectors still judge.
    expect(byDetector.get('artifact_mismatch')).toBe('clear');
    expect(byDetector.get('unintended_version')).toBe('clear');
  });

  it('the same seed gives the same stream and the same outcomes', () => {
    const a = generateScenario({ seed: 5, startMs: START, durationMs: H });
    const b = generateScenario({ seed: 5, startMs: START, durationMs: H });
    expect(b).toEqual(a);
    const c = generateScenario({ seed: 6, startMs: START, durationMs: H });
    expect(c.predictions.length).not.toBe(a.predictions.length);
    expect(runSoftwareDetectors(windowInputs(a).input(11))).toEqual(
      runSoftwareDetectors(windowInputs(b).input(11)),
    );
  });
});
