/**
 * @module
 * Environment drift (cause `dependency_failure`): an instance runs in an environment other than the one its model
 * version was validated in, or its environment changed while the window was open.
 *
 * Per instance, the latest fingerprint (heartbeats) is compared with the validated fingerprint of the version it
 * serves (the registry). Only the packages the validated fingerprint lists are compared (it names what matters),
 * plus runtime, OS, architecture and lock-file hash where both sides state them. A change between two consecutive
 * heartbeats of the instance is found too and dated (`sinceMs`), with every package compared. The evidence lists
 * exactly what changed, from what to what. The finding is critical when the instance's latency or error rate
 * also moved in the window (`measureSymptoms`): the change is tied to a violation there; otherwise a warning.
 */
import type { Fingerprint } from '../../contract/events.js';
import type { DetectorOutcome } from '../../findings/finding.js';
import {
  measureSymptoms,
  movedSymptoms,
  SYMPTOMS_DEFAULTS,
  type SymptomsConfig,
} from '../operational/symptoms.js';
import type { SoftwareDetector } from './detector.js';
import {
  changesText,
  diffFingerprints,
  FINGERPRINT_FIELDS,
  type FingerprintField,
} from './fingerprint-diff.js';
import { formatTime } from './format.js';
import { heartbeatsByInstance } from './heartbeats.js';
import type { HeartbeatRecord, SoftwareWindowInput } from './inputs.js';

export interface EnvironmentFingerprintConfig {
  /** Packages never compared (e.g. ones that change on every build and do not matter). */
  ignorePackages: readonly string[];
  /** Fingerprint fields compared besides packages. */
  fields: readonly FingerprintField[];
  /** How the instance's symptoms are measured to decide severity. */
  symptoms: SymptomsConfig;
}

export const ENVIRONMENT_FINGERPRINT_DEFAULTS: Readonly<EnvironmentFingerprintConfig> = {
  ignorePackages: [],
  fields: FINGERPRINT_FIELDS,
  symptoms: SYMPTOMS_DEFAULTS,
};

const ID = 'environment_fingerprint';

function lastChange(
  list: HeartbeatRecord[],
  config: EnvironmentFingerprintConfig,
): { atMs: number; before: Fingerprint; after: Fingerprint } | null {
  const withFp = list.filter((h) => h.fingerprint);
  for (let i = withFp.length - 1; i >= 1; i--) {
    const before = withFp[i - 1]!.fingerprint!;
    const after = withFp[i]!.fingerprint!;
    const opts = { packagesOfFromOnly: false, ignorePackages: config.ignorePackages, fields: config.fields };
    if (diffFingerprints(before, after, opts).length > 0)
      return { atMs: withFp[i]!.timestampMs, before, after };
  }
  return null;
}

function run(input: SoftwareWindowInput, config: EnvironmentFingerprintConfig): DetectorOutcome[] {
  const { model, window: w } = input;
  const hbs = heartbeatsByInstance(input.heartbeats.filter((h) => h.timestampMs < w.endMs));
  if (hbs.size === 0)
    return [
      {
        kind: 'insufficient_data',
        detector: ID,
        subject: { model },
        reason: 'no heartbeats in the window or its lookback',
      },
    ];
  const intended = input.registry.find((r) => r.intended)?.version;
  const byVersion = new Map(input.registry.map((r) => [r.version, r]));
  let symptoms: ReturnType<typeof measureSymptoms> | null = null;
  const out: DetectorOutcome[] = [];
  let withFingerprint = 0;
  const uncompared: string[] = [];
  for (const [instance, list] of hbs) {
    const latestHb = [...list].reverse().find((h) => h.fingerprint);
    if (!latestHb) continue;
    withFingerprint++;
    const current = latestHb.fingerprint!;
    const version = latestHb.version ?? intended;
    const validated = version ? (byVersion.get(version)?.fingerprint ?? null) : null;
    const vsValidated = validated
      ? diffFingerprints(validated, current, {
          packagesOfFromOnly: true,
          ignorePackages: config.ignorePackages,
          fields: config.fields,
        })
      : [];
    const change = lastChange(list, config);
    const changedInWindow = change !== null && change.atMs >= w.startMs;
    if (!validated && !changedInWindow) {
      uncompared.push(instance);
      continue;
    }
    if (vsValidated.length === 0 && !(changedInWindow && !validated)) continue;
    symptoms ??= measureSymptoms(input, config.symptoms);
    const moved = movedSymptoms(symptoms, instance);
    const changes =
      vsValidated.length > 0
        ? vsValidated
        : diffFingerprints(change!.before, change!.after, {
            packagesOfFromOnly: false,
            ignorePackages: config.ignorePackages,
            fields: config.fields,
          });
    const firstWithCurrent = list.find(
      (h) =>
        h.fingerprint &&
        diffFingerprints(h.fingerprint, current, {
          packagesOfFromOnly: false,
          ignorePackages: [],
          fields: FINGERPRINT_FIELDS,
        }).length === 0,
    );
    const since = change ? change.atMs : firstWithCurrent!.timestampMs;
    const against =
      vsValidated.length > 0 ? `the environment ${version} was validated in` : 'its previous heartbeat';
    let summary = `Instance ${instance} runs ${changesText(changes)} compared with ${against}`;
    summary += change ? `; changed at ${formatTime(change.atMs)}` : `; seen since ${formatTime(since)}`;
    if (moved.length > 0) summary += `; ${moved[0]!.summary.replace(/\.$/, '')}`;
    out.push({
      kind: 'finding',
      finding: {
        detector: ID,
        cause: 'dependency_failure',
        subject: { model, instance, ...(version ? { version } : {}) },
        window: w,
        severity: moved.length > 0 ? 'critical' : 'warning',
        score: Math.min(1, 0.5 + 0.1 * Math.min(changes.length, 3) + (moved.length > 0 ? 0.2 : 0)),
        evidence: {
          summary: `${summary}.`,
          figures: changes.map((c) => ({ name: c.field, value: c.to, baseline: c.from })),
          detail: {
            changes,
            changedAtMs: change?.atMs ?? null,
            changedInWindow,
            comparedWith: vsValidated.length > 0 ? 'validated' : 'previous',
            symptomsMoved: moved.map((s) => s.metric),
          },
        },
        sinceMs: since,
      },
    });
  }
  if (withFingerprint === 0)
    return [
      {
        kind: 'not_applicable',
        detector: ID,
        subject: { model },
        reason: 'heartbeats carry no environment fingerprint',
      },
    ];
  if (out.length === 0 && uncompared.length === withFingerprint)
    return [
      {
        kind: 'insufficient_data',
        detector: ID,
        subject: { model },
        reason:
          'the registry holds no validated fingerprint for the versions served, and no instance changed',
      },
    ];
  if (out.length === 0)
    out.push({
      kind: 'clear',
      detector: ID,
      subject: { model },
      evidence: {
        summary: `${withFingerprint - uncompared.length} instance(s) run the environment their version was validated in.`,
        figures: [],
      },
    });
  return out;
}

export const environmentFingerprint: SoftwareDetector<typeof ID, EnvironmentFingerprintConfig> = {
  id: ID,
  family: 'software',
  causes: ['dependency_failure'],
  defaults: ENVIRONMENT_FINGERPRINT_DEFAULTS,
  run,
};
