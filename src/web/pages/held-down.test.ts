import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CauseView, IncidentView } from '../views.js';
import { incidentOf } from '../views.js';
import { heldDownLine } from './held-down.js';

/**
 * Just enough of a document for `h` (elements, text nodes, attributes) and no HTML parser: text can reach the
 * tree only as text nodes, so anything written as markup would go missing from it.
 */
class TextNode {
  constructor(readonly data: string) {}
  get textContent(): string {
    return this.data;
  }
}
class Element {
  readonly childNodes: (Element | TextNode)[] = [];
  readonly attributes = new Map<string, string>();
  constructor(readonly tagName: string) {}
  setAttribute(name: string, value: string): void {
    this.attributes.set(name, value);
  }
  addEventListener(): void {}
  appendChild<T extends Element | TextNode>(child: T): T {
    this.childNodes.push(child);
    return child;
  }
  get textContent(): string {
    return this.childNodes.map((c) => c.textContent).join('');
  }
  all(): Element[] {
    return [this, ...this.childNodes.flatMap((c) => (c instanceof Element ? c.all() : []))];
  }
}

const saved = (globalThis as { document?: unknown }).document;
beforeAll(() => {
  (globalThis as { document?: unknown }).document = {
    createElement: (tag: string) => new Element(tag.toUpperCase()),
    createTextNode: (data: string) => new TextNode(data),
  };
});
afterAll(() => {
  (globalThis as { document?: unknown }).document = saved;
});

const SUMMARY = 'feature <script>alert(1)</script> moved: PSI 0.41 & rising';

function incidentWith(summary: string): IncidentView {
  return incidentOf({
    id: 'inc_1',
    model: 'churn',
    causes: [
      {
        cause: 'covariate_shift',
        rank: 1,
        evidence: {
          detector: 'feature_drift',
          summary,
          figures: [
            { name: 'psi', value: 0.41, baseline: 0.02 },
            { name: 'drifted share', value: 0.4, unit: 'share' },
            { name: 'features', value: 5, unit: 'count' },
            { name: 'fourth', value: 1 },
          ],
        },
      },
      {
        cause: 'concept_drift',
        rank: 2,
        heldDown: {
          by: 'covariate_shift',
          detector: 'feature_drift',
          support: 0.8,
          reason: 'concept drift ranks only when the inputs did not move',
          evidence: summary,
        },
      },
    ],
  });
}

const held = (i: IncidentView): CauseView => i.causes.find((c) => c.cause === 'concept_drift')!;

describe('held-down line', () => {
  it('shows the reason, the pre-empting finding and its key figures, all as text', () => {
    const incident = incidentWith(SUMMARY);
    const line = heldDownLine(incident, held(incident)) as unknown as Element;
    expect(line.attributes.get('data-held-down-by')).toBe('covariate_shift');
    const text = line.textContent;
    expect(text).toContain('Held down: concept drift ranks only when the inputs did not move');
    expect(text).toContain('(feature_drift)');
    expect(text).toContain('psi 0.41 (baseline 0.02)');
    expect(text).toContain('drifted share 40.00 %');
    expect(text).toContain('features 5');
    // Only the first figures: the pre-empting cause's card has the rest.
    expect(text).not.toContain('fourth');

    // The summary is one text node, character for character; no element came out of it.
    const evidence = line.all().find((e) => e.attributes.get('class') === 'held-down-evidence')!;
    expect(evidence.childNodes).toEqual([new TextNode(SUMMARY)]);
    expect(line.all().map((e) => e.tagName)).not.toContain('SCRIPT');
  });

  it('shows nothing for a cause not held down, and the reason alone when the evidence is missing', () => {
    const incident = incidentWith(SUMMARY);
    expect(heldDownLine(incident, incident.causes[0]!)).toBeNull();
    const reasonOnly = incidentOf({
      id: 'inc_2',
      causes: [{ cause: 'concept_drift', heldDown: { reason: 'the inputs moved' } }],
    });
    const line = heldDownLine(reasonOnly, reasonOnly.causes[0]!) as unknown as Element;
    expect(line.textContent).toBe('Held down: the inputs moved');
  });
});
