/**
 * @module
 * What every page is given: the API client, the route and its view state, the resolved time range, and ways
 * to move (links keep the shared state: range and refresh).
 */
import type { WhoAmI } from '../core/contract/index.js';
import { type ApiClient, ApiError } from './api-client.js';
import type { Page, Route } from './router.js';
import type { RangeState } from './time-range.js';

export interface PageContext {
  api: ApiClient;
  route: Route;
  whoami: WhoAmI;
  /** The time the page was rendered (ms); relative ranges end here. */
  nowMs: number;
  rangeState: RangeState;
  range: { fromMs: number; toMs: number };
  /** A `#…` link to a page, carrying the shared view state. */
  link(page: Page, extra?: Record<string, string>): string;
  /** Changes keys of the current route's query (empty string removes a key). */
  setQuery(patch: Record<string, string>): void;
  /** Reloads the current page's data. */
  refresh(): void;
}

export type PageRenderer = (ctx: PageContext) => Promise<Node>;

/** Whether an error says the route does not exist on this collector (an optional feature not installed). */
export function isMissingRoute(e: unknown): boolean {
  return e instanceof ApiError && e.status === 404 && e.code === 'request.route_not_found';
}

/** Awaits an optional API call: its value, or `unavailable` when the collector has no such route. */
export async function optional<T>(
  p: Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  try {
    return { ok: true, value: await p };
  } catch (error) {
    return { ok: false, error };
  }
}
