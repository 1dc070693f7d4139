/**
 * @module
 * The configured upstream dependencies the collector probes. The probe RUNNER (timers, sockets, HTTP) belongs to
 * the server; core only describes the targets and evaluates the results (`upstream-probe.ts`).
 */

export const PROBE_KINDS = ['http', 'tcp'] as const;
export type ProbeKind = (typeof PROBE_KINDS)[number];

/** One upstream target probed at a fixed interval. */
export interface ProbeSpec {
  /** Stable name of the dependency, used as `subject.dependency` (e.g. 'feature-store', 'postgres'). */
  name: string;
  kind: ProbeKind;
  /** `https://host/path` for http, `host:port` for tcp. */
  target: string;
  /** Time between two probes. */
  intervalMs: number;
  /** A probe that takes longer than this counts as failed. */
  timeoutMs: number;
  /** A probe slower than this is "slow" even if it succeeded; unset → judged against the probe's own baseline. */
  slowMs?: number;
  /** HTTP statuses that count as healthy; unset → any 2xx or 3xx. Ignored for tcp. */
  expectStatus?: number[];
}

/** Checks a probe spec and returns the first problem as `field: reason`, or null when it is valid. */
export function probeSpecProblem(spec: ProbeSpec, path = 'probe'): string | null {
  if (typeof spec.name !== 'string' || spec.name.length === 0)
    return `${path}.name: must be a non-empty string`;
  if (!PROBE_KINDS.includes(spec.kind))
    return `${path}.kind: must be one of ${PROBE_KINDS.join(', ')}, got ${JSON.stringify(spec.kind)}`;
  if (typeof spec.target !== 'string' || spec.target.length === 0)
    return `${path}.target: must be a non-empty string`;
  if (spec.kind === 'tcp' && !/^[^\s:/]+:\d{1,5}$/.test(spec.target))
    return `${path}.target: a tcp target is host:port, got ${JSON.stringify(spec.target)}`;
  if (spec.kind === 'http' && !/^https?:\/\/\S+$/.test(spec.target))
    return `${path}.target: an http target is an http(s):// URL, got ${JSON.stringify(spec.target)}`;
  if (!(Number.isFinite(spec.intervalMs) && spec.intervalMs > 0))
    return `${path}.intervalMs: must be a positive number of milliseconds, got ${spec.intervalMs}`;
  if (!(Number.isFinite(spec.timeoutMs) && spec.timeoutMs > 0))
    return `${path}.timeoutMs: must be a positive number of milliseconds, got ${spec.timeoutMs}`;
  if (spec.slowMs !== undefined && !(Number.isFinite(spec.slowMs) && spec.slowMs > 0))
    return `${path}.slowMs: must be a positive number of milliseconds, got ${spec.slowMs}`;
  return null;
}
