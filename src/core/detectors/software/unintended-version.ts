/**
 * @module
 * A version that is not the intended deployment taking traffic (cause `deployment_wrong_model`): an older version
 * back in traffic (a rollback nobody meant, an instance restarted from an old image), or a version the registry
 * does not know at all.
 *
 * One finding per (version, instance), with the share of the window's traffic and `sinceMs`. Traffic of the
 * previous version is allowed to drain for `drainGraceMs` after the intended version took over
 * (`intendedSinceMs`). At or above `criticalShare` of the traffic the finding is critical, below it a warning.
 * No intended version in the registry → not_applicable.
 */
import type { DetectorOutcome } from '../../findings/finding.js';
import type { SoftwareDetector } from './detector.js';
import { formatShare, formatTime } from './format.js';
import type { SoftwareWindowInput } from './inputs.js';
import { scoreShare } from './score.js';
import { groupSlices, registryByVersion, totalCount } from './traffic.js';

export interface UnintendedVersionConfig {
  /** Traffic of other versions this long after the intended one took over is draining, not wrong. */
  drainGraceMs: number;
  /** Share of traffic at or above which the finding is critical. */
  criticalShare: number;
  /** Requests of an unintended version needed for a finding. */
  minCount: number;
}

export const UNINTENDED_VERSION_DEFAULTS: Readonly<UnintendedVersionConfig> = {
  drainGraceMs: 900_000,
  criticalShare: 0.05,
  minCount: 1,
};

const ID = 'unintended_version';

function run(input: SoftwareWindowInput, config: UnintendedVersionConfig): DetectorOutcome[] {
  const subject = { model: input.model };
  const intended = input.registry.filter((r) => r.intended);
  if (intended.length === 0)
    return [
      { kind: 'not_applicable', detector: ID, subject, reason: 'the registry names no intended version' },
    ];
  const total = totalCount(input.traffic);
  if (total === 0)
    return [{ kind: 'insufficient_data', detector: ID, subject, reason: 'no predictions in the window' }];
  const registry = registryByVersion(input.registry);
  const intendedNames = new Set(intended.map((r) => r.version));
  const takeover = Math.max(...intended.map((r) => r.intendedSinceMs ?? Number.NEGATIVE_INFINITY));
  const newestIntendedCreated = Math.max(...intended.map((r) => r.createdAtMs ?? Number.NEGATIVE_INFINITY));
  const stray = input.traffic.filter(
    (s) => !intendedNames.has(s.version) && s.lastSeenMs >= takeover + config.drainGraceMs,
  );
  const out: DetectorOutcome[] = [];
  const intendedList = [...intendedNames].sort().join(', ');
  for (const [, slices] of groupSlices(stray, (s) => `${s.version}\u0000${s.instance ?? ''}`)) {
    const first = slices[0]!;
    const count = totalCount(slices);
    if (count < config.minCount) continue;
    const share = count / total;
    const since = Math.min(...slices.map((s) => s.firstSeenMs));
    const reg = registry.get(first.version);
    const what = !reg
      ? `unregistered version ${first.version}`
      : reg.createdAtMs !== undefined && reg.createdAtMs < newestIntendedCreated
        ? `older version ${first.version}`
        : `version ${first.version}`;
    const where = first.instance ? ` on instance ${first.instance}` : '';
    out.push({
      kind: 'finding',
      finding: {
        detector: ID,
        cause: 'deployment_wrong_model',
        subject: {
          model: input.model,
          version: first.version,
          ...(first.instance ? { instance: first.instance } : {}),
        },
        window: input.window,
        severity: share >= config.criticalShare ? 'critical' : 'warning',
        score: scoreShare(share),
        evidence: {
          summary:
            `The ${what} is serving${where} although ${intendedList} is intended: ${count} predictions, ` +
            `${formatShare(share)} of the traffic, since ${formatTime(since)}.`,
          figures: [
            { name: 'affected predictions', value: count, unit: 'count' },
            { name: 'share of traffic', value: share, unit: 'share', threshold: config.criticalShare },
            { name: 'served version', value: first.version, baseline: intendedList },
          ],
          detail: { registered: reg !== undefined, older: what.startsWith('older') },
        },
        sinceMs: since,
      },
    });
  }
  if (out.length === 0)
    out.push({
      kind: 'clear',
      detector: ID,
      subject,
      evidence: {
        summary: `All ${total} predictions in the window were served by the intended version (${intendedList}).`,
        figures: [{ name: 'predictions', value: total, unit: 'count' }],
      },
    });
  return out;
}

export const unintendedVersion: SoftwareDetector<typeof ID, UnintendedVersionConfig> = {
  id: ID,
  family: 'software',
  causes: ['deployment_wrong_model'],
  defaults: UNINTENDED_VERSION_DEFAULTS,
  run,
};
