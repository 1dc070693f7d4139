/**
 * @module
 * Mixed versions across instances (cause `deployment_wrong_model`): the instances of one model serve different
 * versions — or one version from different artifact hashes — for longer than a rollout takes.
 *
 * Each instance is represented by what it served most in the window. When those differ, the mix began when the
 * last of them first appeared (`sinceMs`); it is reported once it has lasted `rolloutGraceMs` (a rolling deploy
 * mixes versions for a few minutes on purpose). The finding is a warning (which side is wrong is for
 * `unintended_version` and `artifact_mismatch` to say), scored by the share of traffic on the minority side.
 */
import type { DetectorOutcome } from '../../findings/finding.js';
import type { SoftwareDetector } from './detector.js';
import { formatDuration, formatShare, formatTime } from './format.js';
import type { SoftwareWindowInput, TrafficSlice } from './inputs.js';
import { scoreShare } from './score.js';
import { groupSlices, shortHash, totalCount } from './traffic.js';

export interface MixedVersionsConfig {
  /** How long a mix may last (a rollout) before it is reported. */
  rolloutGraceMs: number;
}

export const MIXED_VERSIONS_DEFAULTS: Readonly<MixedVersionsConfig> = { rolloutGraceMs: 1_800_000 };

const ID = 'mixed_versions';

interface Served {
  instance: string;
  version: string;
  artifactHash: string | null;
  count: number;
  firstSeenMs: number;
}

function majority(instance: string, slices: TrafficSlice[]): Served {
  const best = [...slices].sort((a, b) => b.count - a.count || a.version.localeCompare(b.version))[0]!;
  return {
    instance,
    version: best.version,
    artifactHash: best.artifactHash,
    count: totalCount(slices),
    firstSeenMs: best.firstSeenMs,
  };
}

function run(input: SoftwareWindowInput, config: MixedVersionsConfig): DetectorOutcome[] {
  const subject = { model: input.model };
  const named = input.traffic.filter((s) => s.instance !== null && s.count > 0);
  const byInstance = groupSlices(named, (s) => s.instance!);
  if (byInstance.length < 2)
    return [
      {
        kind: 'insufficient_data',
        detector: ID,
        subject,
        reason: `${byInstance.length} named instance(s) served in the window; a mix needs at least 2`,
      },
    ];
  const served = byInstance.map(([instance, slices]) => majority(instance, slices));
  const key = (s: Served) => `${s.version} (${shortHash(s.artifactHash)})`;
  const groups = new Map<string, Served[]>();
  for (const s of served) groups.set(key(s), [...(groups.get(key(s)) ?? []), s]);
  const hashesOf = (v: string) =>
    new Set(served.filter((s) => s.version === v).map((s) => s.artifactHash ?? ''));
  const versions = new Set(served.map((s) => s.version));
  const mixedHashes = [...versions].some((v) => hashesOf(v).size > 1);
  if (groups.size < 2 || (versions.size < 2 && !mixedHashes))
    return [
      {
        kind: 'clear',
        detector: ID,
        subject,
        evidence: { summary: `All ${served.length} instances serve ${[...groups.keys()][0]}.`, figures: [] },
      },
    ];
  const since = Math.max(...[...groups.values()].map((g) => Math.min(...g.map((s) => s.firstSeenMs))));
  const lasted = input.window.endMs - since;
  const total = served.reduce((a, s) => a + s.count, 0);
  const sideCounts = [...groups.values()].map((g) => g.reduce((a, s) => a + s.count, 0));
  const minority = Math.min(...sideCounts) / total;
  const layout = [...groups.entries()]
    .sort((a, b) => a[0].localeCompare(b[0]))
    .map(([k, g]) => `${g.map((s) => s.instance).join(', ')} → ${k}`)
    .join('; ');
  if (lasted < config.rolloutGraceMs)
    return [
      {
        kind: 'clear',
        detector: ID,
        subject,
        evidence: {
          summary: `Instances serve different versions (${layout}) for ${formatDuration(lasted)}, within the ${formatDuration(
            config.rolloutGraceMs,
          )} allowed for a rollout.`,
          figures: [{ name: 'mixed for', value: lasted, unit: 'ms', threshold: config.rolloutGraceMs }],
        },
      },
    ];
  return [
    {
      kind: 'finding',
      finding: {
        detector: ID,
        cause: 'deployment_wrong_model',
        subject,
        window: input.window,
        severity: 'warning',
        score: scoreShare(minority, 0.4),
        evidence: {
          summary:
            `Instances serve ${versions.size > 1 ? 'different versions' : 'one version from different artifacts'}: ` +
            `${layout}; the minority side takes ${formatShare(minority)} of the traffic, mixed since ${formatTime(since)} ` +
            `(${formatDuration(lasted)}).`,
          figures: [
            { name: 'minority share', value: minority, unit: 'share' },
            { name: 'mixed for', value: lasted, unit: 'ms', threshold: config.rolloutGraceMs },
          ],
          detail: {
            instances: served.map((s) => ({
              instance: s.instance,
              version: s.version,
              artifactHash: s.artifactHash,
            })),
          },
        },
        sinceMs: since,
      },
    },
  ];
}

export const mixedVersions: SoftwareDetector<typeof ID, MixedVersionsConfig> = {
  id: ID,
  family: 'software',
  causes: ['deployment_wrong_model'],
  defaults: MIXED_VERSIONS_DEFAULTS,
  run,
};
