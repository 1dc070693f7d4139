/**
 * @module
 * Loading what several pages share: a model's windows over the view's time range (at a window size chosen for
 * about 60 points), grouped on a complete time axis, and the optional collector features (incidents,
 * expectations, findings) that may not exist on an older collector.
 */
import type { Model, WindowSummary } from '../../core/contract/index.js';
import { byStart, coverageMs, timeAxis } from '../analysis/series.js';
import { seg } from '../api-client.js';
import type { PageContext } from '../context.js';
import { chooseWindowMs } from '../time-range.js';
import {
  type EvidenceView,
  type ExpectationView,
  evidenceOf,
  expectationsOf,
  type IncidentView,
  incidentsOf,
} from '../views.js';

export interface WindowData {
  windowMs: number;
  axis: number[];
  /** Elapsed part of each window (ms): rates divide counts by it, so the window in progress does not dip. */
  coverage: number[];
  groups: WindowSummary[][];
  windows: WindowSummary[];
}

/** The model's windows in the view's range, optionally with profiles and samples. */
export async function loadWindows(
  ctx: PageContext,
  model: Pick<Model, 'name' | 'bucketMs'>,
  options: { include?: string; version?: string; maxPoints?: number } = {},
): Promise<WindowData> {
  const { fromMs, toMs } = ctx.range;
  const windowMs = chooseWindowMs(toMs - fromMs, model.bucketMs, options.maxPoints ?? 60);
  const list = await ctx.api.windows(model.name, {
    from: Math.floor(fromMs / windowMs) * windowMs,
    to: toMs,
    windowMs,
    ...(options.include ? { include: options.include } : {}),
    ...(options.version ? { version: options.version } : {}),
  });
  const axis = timeAxis(fromMs, toMs, windowMs);
  return {
    windowMs,
    axis,
    coverage: coverageMs(axis, windowMs, Math.max(ctx.nowMs, toMs)),
    groups: byStart(list.windows, axis),
    windows: list.windows,
  };
}

export type Optional<T> = { ok: true; value: T } | { ok: false; error: unknown };

async function attempt<T>(p: () => Promise<T>): Promise<Optional<T>> {
  try {
    return { ok: true, value: await p() };
  } catch (error) {
    return { ok: false, error };
  }
}

/** Open and acknowledged incidents of the project (optionally of one model), most recently opened first. */
export function loadIncidents(ctx: PageContext, model?: string): Promise<Optional<IncidentView[]>> {
  return attempt(async () => {
    const raw = await ctx.api.get('/v1/incidents', { model, status: 'open,acknowledged', limit: 1000 });
    const list = incidentsOf(raw).filter((i) => !model || i.model === model);
    return list.sort((a, b) => (b.openedAtMs ?? 0) - (a.openedAtMs ?? 0));
  });
}

/** Expectations with their latest evaluation (optionally of one model). */
export function loadExpectations(ctx: PageContext, model?: string): Promise<Optional<ExpectationView[]>> {
  return attempt(async () => {
    const list = expectationsOf(await ctx.api.get('/v1/expectations'));
    return model ? list.filter((e) => e.model === model || e.model === '') : list;
  });
}

/** The latest findings of a model in the view's range (newest window first), as evidence views. */
export function loadFindings(ctx: PageContext, model: string, limit = 50): Promise<Optional<EvidenceView[]>> {
  return attempt(async () => {
    const raw = await ctx.api.get<{ findings?: unknown[] }>('/v1/findings', {
      model,
      from: ctx.range.fromMs,
      to: ctx.range.toMs,
      limit,
    });
    return (raw?.findings ?? []).map(evidenceOf).filter((f): f is EvidenceView => f !== null);
  });
}

/** The reference profile summary and sample of a version, or null when it has none. */
export async function loadReference(
  ctx: PageContext,
  model: string,
  version: string,
): Promise<{ profile: { columns: unknown[] }; sample: Record<string, unknown>[] } | null> {
  try {
    return await ctx.api.get(`/v1/models/${seg(model)}/versions/${seg(version)}/reference`);
  } catch {
    return null;
  }
}
