/**
 * @module
 * Failed SDK self-checks (cause `deployment_permissions`): at start-up (and with every heartbeat) the SDK checks
 * that the process can read its model and write its paths; a failing check means the deployment did not give the
 * process the access it needs.
 *
 * Per instance, the latest heartbeat that carries `checks` (up to the window end) decides. Each failed check is
 * listed with its `detail`; `sinceMs` is the first heartbeat of the unbroken run in which the check has failed.
 * Instances whose latest heartbeat is before the window are judged too (a start-up check is sent once by some
 * clients). `checkNames` narrows the checks considered (null: all). No heartbeat → insufficient_data; heartbeats
 * without checks → not_applicable.
 */
import type { DetectorOutcome } from '../../findings/finding.js';
import type { SoftwareDetector } from './detector.js';
import { formatTime } from './format.js';
import { heartbeatsByInstance } from './heartbeats.js';
import type { SoftwareWindowInput } from './inputs.js';

export interface SelfChecksConfig {
  /** Only these check names are considered; null → every check. */
  checkNames: readonly string[] | null;
}

export const SELF_CHECKS_DEFAULTS: Readonly<SelfChecksConfig> = { checkNames: null };

const ID = 'self_checks';

function run(input: SoftwareWindowInput, config: SelfChecksConfig): DetectorOutcome[] {
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
  const considered = (name: string) => config.checkNames === null || config.checkNames.includes(name);
  const out: DetectorOutcome[] = [];
  let instancesWithChecks = 0;
  let checksSeen = 0;
  for (const [instance, list] of hbs) {
    const withChecks = list.filter((h) => h.checks?.some((c) => considered(c.name)));
    const latest = withChecks.at(-1);
    if (!latest) continue;
    instancesWithChecks++;
    const failed = latest.checks!.filter((c) => considered(c.name) && !c.ok);
    checksSeen += latest.checks!.filter((c) => considered(c.name)).length;
    if (failed.length === 0) continue;
    // The run of heartbeats, back from the latest, in which every one of these checks failed.
    let since = latest.timestampMs;
    for (let i = withChecks.length - 1; i >= 0; i--) {
      const h = withChecks[i]!;
      const stillFailing = failed.every((f) => h.checks!.some((c) => c.name === f.name && !c.ok));
      if (!stillFailing) break;
      since = h.timestampMs;
    }
    const listText = failed.map((c) => `${c.name}${c.detail ? ` (${c.detail})` : ''}`).join('; ');
    out.push({
      kind: 'finding',
      finding: {
        detector: ID,
        cause: 'deployment_permissions',
        subject: { model, instance, ...(latest.version ? { version: latest.version } : {}) },
        window: w,
        severity: 'critical',
        score: Math.min(1, 0.7 + 0.1 * failed.length),
        evidence: {
          summary: `Instance ${instance} fails ${failed.length} self-check(s) since ${formatTime(since)}: ${listText}.`,
          figures: failed.map((c) => ({ name: `check ${c.name}`, value: 'failed', baseline: 'ok' })),
          detail: { failed: failed.map((c) => ({ name: c.name, detail: c.detail ?? null })) },
        },
        sinceMs: since,
      },
    });
  }
  if (instancesWithChecks === 0)
    return [
      {
        kind: 'not_applicable',
        detector: ID,
        subject: { model },
        reason: 'heartbeats carry no self-check results',
      },
    ];
  if (out.length === 0)
    out.push({
      kind: 'clear',
      detector: ID,
      subject: { model },
      evidence: {
        summary: `All ${checksSeen} self-checks pass on ${instancesWithChecks} instance(s).`,
        figures: [{ name: 'checks passing', value: checksSeen, unit: 'count' }],
      },
    });
  return out;
}

export const selfChecks: SoftwareDetector<typeof ID, SelfChecksConfig> = {
  id: ID,
  family: 'software',
  causes: ['deployment_permissions'],
  defaults: SELF_CHECKS_DEFAULTS,
  run,
};
