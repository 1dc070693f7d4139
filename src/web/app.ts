/**
 * @module
 * The dashboard shell: sign-in gate, header (navigation, time range, auto-refresh, who is signed in), and the
 * render loop driven by the URL hash. Pages render into the main area; a refresh re-renders the current page
 * with fresh data and swaps it in only when ready, so the screen never blanks.
 */
import type { WhoAmI } from '../core/contract/index.js';
import { ApiClient, ApiError } from './api-client.js';
import type { PageContext, PageRenderer } from './context.js';
import { disposeDetached, h, replaceChildren } from './dom.js';
import { fmtTime } from './format.js';
import { incidentPage } from './pages/incident.js';
import { modelPage } from './pages/model.js';
import { overviewPage } from './pages/overview.js';
import { signInPage } from './pages/sign-in.js';
import { errorPanel } from './pages/widgets.js';
import { formatHash, linkTo, type Page, parseHash, type Route } from './router.js';
import {
  type RangeState,
  REFRESH_CHOICES,
  RELATIVE_RANGES,
  rangeFromQuery,
  rangeToQuery,
  refreshFromQuery,
  resolveRange,
} from './time-range.js';
import { browserTokenStore } from './token-store.js';

const RENDERERS: Record<Exclude<Page['name'], 'sign-in'>, PageRenderer> = {
  overview: overviewPage,
  incident: incidentPage,
  model: modelPage,
  // Loaded on first use: they carry the outlier test and the trend test (and their special functions).
  feature: async (ctx) => (await import('./pages/feature.js')).featurePage(ctx),
  feedback: async (ctx) => (await import('./pages/feedback.js')).feedbackPage(ctx),
  'not-found': async (ctx) =>
    h(
      'section',
      { class: 'page' },
      h('h1', null, 'Page not found'),
      h('p', null, 'Nothing lives at this address. '),
      h('a', { href: ctx.link({ name: 'overview' }) }, 'Back to the overview'),
    ),
};

/** Puts a local `datetime-local` value into epoch ms (null when empty or invalid). */
function localInputToMs(v: string): number | null {
  const ms = Date.parse(v);
  return v && Number.isFinite(ms) ? ms : null;
}

function toLocalInput(ms: number): string {
  return fmtTime(ms).replace(' ', 'T');
}

export function startApp(root: HTMLElement): void {
  const tokens = browserTokenStore();
  let whoami: WhoAmI | null = null;
  let generation = 0;
  let refreshTimer: ReturnType<typeof setTimeout> | null = null;
  let lastPath = '';

  const goSignIn = () => {
    whoami = null;
    const current = parseHash(location.hash);
    if (current.page.name === 'sign-in') return;
    const next = location.hash && location.hash !== '#' ? location.hash : '';
    location.hash = formatHash({ page: { name: 'sign-in' }, query: next ? { next } : {} });
  };
  const api = new ApiClient({ tokens, onUnauthorized: goSignIn });

  const navigateTo = (route: Route) => {
    const hash = formatHash(route);
    if (hash === location.hash) void render(true);
    else location.hash = hash;
  };

  const header = (route: Route, rangeState: RangeState, me: WhoAmI): HTMLElement => {
    const setQuery = (patch: Record<string, string>) =>
      navigateTo({ page: route.page, query: { ...route.query, ...patch } });
    const rangeButtons = (Object.keys(RELATIVE_RANGES) as (keyof typeof RELATIVE_RANGES)[]).map((key) =>
      h(
        'button',
        {
          type: 'button',
          class: rangeState.kind === 'relative' && rangeState.key === key ? 'seg on' : 'seg',
          'aria-pressed': rangeState.kind === 'relative' && rangeState.key === key ? 'true' : 'false',
          'data-range': key,
          onClick: () => setQuery(rangeToQuery({ kind: 'relative', key })),
        },
        key,
      ),
    );
    const abs = rangeState.kind === 'absolute' ? rangeState : null;
    const nowMs = Date.now();
    const resolved = resolveRange(rangeState, nowMs);
    const fromInput = h('input', {
      type: 'datetime-local',
      'aria-label': 'from',
      value: toLocalInput(resolved.fromMs),
    });
    const toInput = h('input', {
      type: 'datetime-local',
      'aria-label': 'to',
      value: toLocalInput(resolved.toMs),
    });
    const custom = h(
      'details',
      { class: abs ? 'custom-range on' : 'custom-range' },
      h(
        'summary',
        { class: 'seg', title: 'a fixed time range' },
        abs ? `${fmtTime(abs.fromMs)} → ${fmtTime(abs.toMs)}` : 'Custom',
      ),
      h(
        'form',
        {
          class: 'custom-form',
          onSubmit: (e: Event) => {
            e.preventDefault();
            const from = localInputToMs(fromInput.value);
            const to = localInputToMs(toInput.value);
            if (from !== null && to !== null && from < to)
              setQuery(rangeToQuery({ kind: 'absolute', fromMs: from, toMs: to }));
          },
        },
        h('label', null, 'from', fromInput),
        h('label', null, 'to', toInput),
        h('button', { type: 'submit', class: 'primary' }, 'Apply'),
      ),
    );
    const refreshS = refreshFromQuery(route.query);
    const refreshSelect = h(
      'select',
      {
        'aria-label': 'auto-refresh',
        onChange: (e: Event) => setQuery({ refresh: (e.target as HTMLSelectElement).value }),
      },
      REFRESH_CHOICES.map((s) =>
        h(
          'option',
          { value: String(s), selected: s === refreshS },
          s === 0 ? 'refresh off' : s < 60 ? `every ${s} s` : `every ${s / 60} min`,
        ),
      ),
    );
    const nav = h(
      'nav',
      { class: 'nav' },
      h(
        'a',
        { href: linkTo({ name: 'overview' }, route), class: route.page.name === 'overview' ? 'on' : '' },
        'Overview',
      ),
      'model' in route.page
        ? h(
            'a',
            {
              href: linkTo({ name: 'model', model: route.page.model }, route),
              class: route.page.name === 'model' ? 'on' : '',
            },
            route.page.model,
          )
        : null,
    );
    return h(
      'header',
      { class: 'top' },
      h(
        'a',
        { class: 'brand', href: linkTo({ name: 'overview' }, route) },
        h('span', { class: 'brand-mark' }),
        'Faultline',
      ),
      nav,
      h(
        'div',
        { class: 'range' },
        h('div', { class: 'segs', role: 'group', 'aria-label': 'time range' }, rangeButtons),
        custom,
        refreshSelect,
      ),
      h(
        'div',
        { class: 'who' },
        h('span', { class: 'muted', title: `token ${me.tokenId}` }, `${me.project} · ${me.role}`),
        h(
          'button',
          {
            type: 'button',
            class: 'link',
            onClick: () => {
              tokens.clear();
              goSignIn();
            },
          },
          'Sign out',
        ),
      ),
    );
  };

  const scheduleRefresh = (route: Route) => {
    if (refreshTimer !== null) clearTimeout(refreshTimer);
    refreshTimer = null;
    const s = refreshFromQuery(route.query);
    if (s > 0 && route.page.name !== 'sign-in')
      refreshTimer = setTimeout(() => {
        if (document.visibilityState === 'visible') void render(true);
        else scheduleRefresh(route);
      }, s * 1000);
  };

  async function render(isRefresh = false): Promise<void> {
    const my = ++generation;
    const route = parseHash(location.hash);
    document.body.dataset.page = route.page.name;
    if (route.page.name === 'sign-in') {
      if (refreshTimer !== null) clearTimeout(refreshTimer);
      replaceChildren(
        root,
        signInPage({
          api,
          tokens,
          next: route.query.next,
          onSignedIn: (me, next) => {
            whoami = me;
            location.hash = next && next !== '#/sign-in' ? next : '#/';
          },
        }),
      );
      disposeDetached();
      return;
    }
    if (!tokens.get()) {
      goSignIn();
      return;
    }
    if (!whoami) {
      try {
        whoami = await api.whoami();
      } catch (e) {
        if (my !== generation) return;
        if (e instanceof ApiError && e.status === 401) return;
        replaceChildren(root, h('main', { class: 'main' }, errorPanel(e)));
        return;
      }
    }
    if (my !== generation) return;
    const rangeState = rangeFromQuery(route.query);
    const nowMs = Date.now();
    const ctx: PageContext = {
      api,
      route,
      whoami,
      nowMs,
      rangeState,
      range: resolveRange(rangeState, nowMs),
      link: (page, extra) => linkTo(page, route, extra),
      setQuery: (patch) => navigateTo({ page: route.page, query: { ...route.query, ...patch } }),
      refresh: () => void render(true),
    };
    const path = formatHash({ page: route.page, query: {} });
    let main = root.querySelector<HTMLElement>('main.main');
    const top = header(route, rangeState, whoami);
    if (!main) {
      main = h('main', { class: 'main' });
      replaceChildren(root, top, main);
    } else root.querySelector('header.top')?.replaceWith(top);
    if (!isRefresh || path !== lastPath) {
      replaceChildren(main, h('div', { class: 'loading' }, 'Loading…'));
      window.scrollTo(0, 0);
    }
    lastPath = path;
    main.setAttribute('aria-busy', 'true');
    let node: Node;
    try {
      node = await RENDERERS[route.page.name](ctx);
    } catch (e) {
      node = errorPanel(e);
    }
    if (my !== generation) return;
    replaceChildren(main, node);
    disposeDetached();
    main.setAttribute('aria-busy', 'false');
    main.dataset.renderedAt = String(nowMs);
    scheduleRefresh(route);
  }

  window.addEventListener('hashchange', () => void render(false));
  void render(false);
}
