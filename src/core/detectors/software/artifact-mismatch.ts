/**
 * @module
 * Served artifact ≠ registered artifact (cause `deployment_wrong_model`): predictions of a version carry an
 * artifact hash other than the one the registry holds for that version — the right name on the wrong bytes
 * (a stale image, a model file overwritten, a cache serving an old build).
 *
 * One finding per (version, instance) serving a foreign hash, always critical, with the share of the window's
 * traffic affected and `sinceMs` (when the collector first saw that triple). Unregistered versions are left to
 * `unintended_version`. Predictions without `artifactHash` cannot be checked.
 */
import type { DetectorOutcome } from '../../findings/finding.js';
import type { SoftwareDetector } from './detector.js';
import { formatShare, formatTime } from './format.js';
import type { SoftwareWindowInput } from './inputs.js';
import { scoreShare } from './score.js';
import { groupSlices, registryByVersion, shortHash, totalCount } from './traffic.js';

export interface ArtifactMismatchConfig {
  /** Requests with a foreign hash needed for a finding (one is already wrong; raise it to tolerate noise). */
  minCount: number;
}

export const ARTIFACT_MISMATCH_DEFAULTS: Readonly<ArtifactMismatchConfig> = { minCount: 1 };

const ID = 'artifact_mismatch';

function run(input: SoftwareWindowInput, config: ArtifactMismatchConfig): DetectorOutcome[] {
  const subject = { model: input.model };
  const registry = registryByVersion(input.registry);
  if (!input.registry.some((r) => r.artifactHash !== null))
    return [
      { kind: 'not_applicable', detector: ID, subject, reason: 'no registered version has an artifact hash' },
    ];
  const total = totalCount(input.traffic);
  if (total === 0)
    return [{ kind: 'insufficient_data', detector: ID, subject, reason: 'no predictions in the window' }];
  const hashed = input.traffic.filter((s) => s.artifactHash !== null);
  if (hashed.length === 0)
    return [
      {
        kind: 'insufficient_data',
        detector: ID,
        subject,
        reason: 'no prediction in the window carries an artifactHash',
      },
    ];
  const out: DetectorOutcome[] = [];
  let checked = 0;
  const wrong = hashed.filter((s) => {
    const reg = registry.get(s.version);
    if (!reg || reg.artifactHash === null) return false;
    checked += s.count;
    return s.artifactHash !== reg.artifactHash;
  });
  for (const [, slices] of groupSlices(
    wrong,
    (s) => `${s.version}\u0000${s.instance ?? ''}\u0000${s.artifactHash}`,
  )) {
    const first = slices[0]!;
    const count = totalCount(slices);
    if (count < config.minCount) continue;
    const versionTotal = totalCount(input.traffic.filter((s) => s.version === first.version));
    const share = count / total;
    const since = Math.min(...slices.map((s) => s.firstSeenMs));
    const registered = registry.get(first.version)!.artifactHash;
    const where = first.instance ? `instance ${first.instance}` : 'an unnamed instance';
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
        severity: 'critical',
        score: scoreShare(share, 0.6),
        evidence: {
          summary:
            `${where[0]!.toUpperCase()}${where.slice(1)} serves ${first.version} from artifact ${shortHash(first.artifactHash)}, ` +
            `not the registered ${shortHash(registered)}: ${count} predictions, ${formatShare(share)} of the traffic ` +
            `(${formatShare(count / versionTotal)} of ${first.version}), since ${formatTime(since)}.`,
          figures: [
            { name: 'affected predictions', value: count, unit: 'count' },
            { name: 'share of traffic', value: share, unit: 'share' },
            { name: 'served artifact', value: first.artifactHash, baseline: registered },
          ],
          detail: { servedHash: first.artifactHash, registeredHash: registered },
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
        summary: `Every checked prediction (${checked} of ${total}) carries its version's registered artifact hash.`,
        figures: [{ name: 'checked predictions', value: checked, unit: 'count' }],
      },
    });
  return out;
}

export const artifactMismatch: SoftwareDetector<typeof ID, ArtifactMismatchConfig> = {
  id: ID,
  family: 'software',
  causes: ['deployment_wrong_model'],
  defaults: ARTIFACT_MISMATCH_DEFAULTS,
  run,
};
