/**
 * @module
 * The hash router: every page and its state (time range, refresh, version filter) live in the URL hash, so a
 * link copied at 3 a.m. opens the same view for a colleague. Pure: parses and formats strings only.
 *
 * Paths: `#/`, `#/incidents/<id>`, `#/models/<model>`, `#/models/<model>/features/<feature>`,
 * `#/models/<model>/feedback`, `#/sign-in`; state is a query string after `?`.
 */

export type Page =
  | { name: 'overview' }
  | { name: 'incident'; id: string }
  | { name: 'model'; model: string }
  | { name: 'feature'; model: string; feature: string }
  | { name: 'feedback'; model: string }
  | { name: 'sign-in' }
  | { name: 'not-found'; path: string };

export interface Route {
  page: Page;
  /** The view state: `range`, `from`, `to`, `refresh`, `version`, `next`… (unknown keys are kept). */
  query: Record<string, string>;
}

function decode(part: string): string | null {
  try {
    return decodeURIComponent(part);
  } catch {
    return null;
  }
}

/** Reads a location hash (`#/models/churn?range=24h`) into a route; anything unknown is `not-found`. */
export function parseHash(hash: string): Route {
  const raw = hash.startsWith('#') ? hash.slice(1) : hash;
  const q = raw.indexOf('?');
  const path = q < 0 ? raw : raw.slice(0, q);
  const query: Record<string, string> = {};
  if (q >= 0) for (const [k, v] of new URLSearchParams(raw.slice(q + 1))) query[k] = v;
  const parts = path.split('/').filter((p) => p.length > 0);
  const segs = parts.map(decode);
  const notFound: Route = { page: { name: 'not-found', path }, query };
  if (segs.some((s) => s === null)) return notFound;
  const s = segs as string[];
  if (s.length === 0) return { page: { name: 'overview' }, query };
  if (s.length === 1 && s[0] === 'sign-in') return { page: { name: 'sign-in' }, query };
  if (s.length === 2 && s[0] === 'incidents') return { page: { name: 'incident', id: s[1]! }, query };
  if (s[0] === 'models' && s.length >= 2) {
    const model = s[1]!;
    if (s.length === 2) return { page: { name: 'model', model }, query };
    if (s.length === 3 && s[2] === 'feedback') return { page: { name: 'feedback', model }, query };
    if (s.length === 4 && s[2] === 'features')
      return { page: { name: 'feature', model, feature: s[3]! }, query };
  }
  return notFound;
}

/** The path part of a page, each segment percent-encoded. */
export function pagePath(page: Page): string {
  const e = encodeURIComponent;
  switch (page.name) {
    case 'overview':
      return '/';
    case 'incident':
      return `/incidents/${e(page.id)}`;
    case 'model':
      return `/models/${e(page.model)}`;
    case 'feature':
      return `/models/${e(page.model)}/features/${e(page.feature)}`;
    case 'feedback':
      return `/models/${e(page.model)}/feedback`;
    case 'sign-in':
      return '/sign-in';
    case 'not-found':
      return page.path.startsWith('/') ? page.path : `/${page.path}`;
  }
}

/** Writes a route as a hash; query keys are sorted so equal states give equal links. */
export function formatHash(route: Route): string {
  const params = new URLSearchParams();
  for (const k of Object.keys(route.query).sort()) {
    const v = route.query[k];
    if (v !== undefined && v !== '') params.set(k, v);
  }
  const qs = params.toString();
  return `#${pagePath(route.page)}${qs ? `?${qs}` : ''}`;
}

/** The query keys that are view state shared by every page (carried along by links between pages). */
export const SHARED_STATE_KEYS = ['range', 'from', 'to', 'refresh'] as const;

/** A link to `page` carrying the shared view state of `current` (plus `extra`). */
export function linkTo(page: Page, current: Route, extra: Record<string, string> = {}): string {
  const query: Record<string, string> = {};
  for (const k of SHARED_STATE_KEYS) {
    const v = current.query[k];
    if (v !== undefined) query[k] = v;
  }
  return formatHash({ page, query: { ...query, ...extra } });
}
