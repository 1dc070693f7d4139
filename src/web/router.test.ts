import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatHash, linkTo, type Page, parseHash } from './router.js';

describe('hash router', () => {
  it('reads every page and its state', () => {
    expect(parseHash('')).toEqual({ page: { name: 'overview' }, query: {} });
    expect(parseHash('#/')).toEqual({ page: { name: 'overview' }, query: {} });
    expect(parseHash('#/models/churn?range=6h&refresh=0')).toEqual({
      page: { name: 'model', model: 'churn' },
      query: { range: '6h', refresh: '0' },
    });
    expect(parseHash('#/models/churn/features/monthly%20charges').page).toEqual({
      name: 'feature',
      model: 'churn',
      feature: 'monthly charges',
    });
    expect(parseHash('#/models/recs/feedback').page).toEqual({ name: 'feedback', model: 'recs' });
    expect(parseHash('#/incidents/inc_0123').page).toEqual({ name: 'incident', id: 'inc_0123' });
    expect(parseHash('#/sign-in?next=%23%2Fmodels%2Fchurn').query.next).toBe('#/models/churn');
  });

  it('sends unknown or malformed paths to not-found', () => {
    expect(parseHash('#/nowhere').page.name).toBe('not-found');
    expect(parseHash('#/models/a/b/c/d').page.name).toBe('not-found');
    expect(parseHash('#/models/%E0%A4%A').page.name).toBe('not-found');
  });

  it('formats what it parses, for any names (property)', () => {
    const name = fc.string({ minLength: 1, maxLength: 40 });
    const page: fc.Arbitrary<Page> = fc.oneof(
      fc.constant({ name: 'overview' } as const),
      name.map((id) => ({ name: 'incident', id }) as const),
      name.map((model) => ({ name: 'model', model }) as const),
      fc.tuple(name, name).map(([model, feature]) => ({ name: 'feature', model, feature }) as const),
      name.map((model) => ({ name: 'feedback', model }) as const),
    );
    const query = fc.dictionary(
      fc.constantFrom('range', 'from', 'to', 'refresh', 'version'),
      fc.string({ minLength: 1 }),
    );
    fc.assert(
      fc.property(page, query, (p, q) => {
        const route = parseHash(formatHash({ page: p, query: q }));
        expect(route).toEqual({ page: p, query: q });
      }),
    );
  });

  it('sorts query keys so equal states give equal links, and drops empty values', () => {
    expect(formatHash({ page: { name: 'overview' }, query: { to: '2', from: '1', range: '' } })).toBe(
      '#/?from=1&to=2',
    );
  });

  it('carries only the shared view state between pages', () => {
    const current = parseHash('#/models/churn?range=7d&refresh=30&version=v2');
    expect(linkTo({ name: 'feature', model: 'churn', feature: 'x' }, current)).toBe(
      '#/models/churn/features/x?range=7d&refresh=30',
    );
  });
});
