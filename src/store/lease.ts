/** Checks shared by every engine's `tryAcquireLease`. */
import { FaultlineError } from '../core/contract/index.js';

/** Longest lease name or holder: names are built from project, model and window start. */
export const LEASE_TEXT_MAX = 512;

/** Throws `request.invalid` naming each bad argument of a lease request. */
export function checkLeaseRequest(name: string, holder: string, ttlMs: number): void {
  const issues: { field: string; reason: string }[] = [];
  for (const [field, v] of [
    ['name', name],
    ['holder', holder],
  ] as const)
    if (v.length === 0 || v.length > LEASE_TEXT_MAX)
      issues.push({ field, reason: `must be 1 to ${LEASE_TEXT_MAX} characters` });
  if (!Number.isInteger(ttlMs) || ttlMs < 1)
    issues.push({ field: 'ttlMs', reason: 'must be a whole number of milliseconds, at least 1' });
  if (issues.length > 0)
    throw new FaultlineError(
      'request.invalid',
      `invalid lease request: ${issues.map((i) => `${i.field} ${i.reason}`).join('; ')}`,
      { issues },
    );
}
