/**
 * `faultline report` on the real flight files (data/flights) with the detectors beyond single columns:
 * multivariate drift, edge cases and performance estimated without labels (June with its target column
 * removed), in the JSON, the terminal summary and the HTML; and a correlation that flips in a small
 * synthetic pair of files, which only the multivariate section catches.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, describe, expect, it } from 'vitest';
import type { Report } from '../../core/report/index.js';
import { seededRng } from '../../core/rng.js';
import { runCli } from '../testing.js';

const root = join(import.meta.dirname, '..', '..', '..');
const jan = join(root, 'data', 'flights', 'jan.csv');
const jun = join(root, 'data', 'flights', 'jun.csv');
const dir = mkdtempSync(join(tmpdir(), 'faultline-report-detectors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `csv` without the named column. */
function dropColumn(csv: string, name: string): string {
  const rows = csv.trimEnd().split('\n');
  const k = rows[0]!.split(',').indexOf(name);
  if (k < 0) throw new Error(`no column ${name}`);
  return `${rows
    .map((r) =>
      r
        .split(',')
        .filter((_, i) => i !== k)
        .join(','),
    )
    .join('\n')}\n`;
}

const run = (...args: string[]) => runCli(['report', ...args]);

const readJson = (p: string) => JSON.parse(readFileSync(p, 'utf8')) as Report;

describe('faultline report: detectors beyond single columns on flights', () => {
  const junNoTarget = join(dir, 'jun-no-target.csv');
  writeFileSync(junNoTarget, dropColumn(readFileSync(jun, 'utf8'), 'delayed'));

  it('estimates the classifier on June without its labels, beside January realised, in bounded time', async () => {
    const json = join(dir, 'cls.json');
    const html = join(dir, 'cls.html');
    const r = await run(
      '--reference',
      jan,
      '--current',
      junNoTarget,
      '--target',
      'delayed',
      '--prediction',
      'predicted',
      '--proba',
      'delay_proba',
      '--json',
      json,
      '--html',
      html,
    );
    expect(r.code).toBe(0);
    expect(r.ms).toBeLessThan(20_000);
    const rep = readJson(json);
    // existing fields are still there
    expect(rep.performance!.reference).not.toBeNull();
    expect(rep.performance!.current).toBeNull();
    const ep = rep.estimatedPerformance!;
    expect(ep.method).toBe('cbpe');
    expect(ep.currentLabelled).toBe(false);
    expect(ep.metrics.map((m) => m.metric)).toEqual(['accuracy', 'precision', 'recall', 'f1', 'rocAuc']);
    for (const m of ep.metrics) {
      expect(m.estimate).not.toBeNull();
      expect(m.lower!).toBeLessThanOrEqual(m.estimate!);
      expect(m.upper!).toBeGreaterThanOrEqual(m.estimate!);
      expect(m.currentRealised).toBeNull();
    }
    // June's realised accuracy (from the labels we removed) is 0.4950; the estimate is near it
    const acc = ep.metrics.find((m) => m.metric === 'accuracy')!;
    expect(Math.abs(acc.estimate! - 0.495)).toBeLessThan(0.03);
    expect(acc.reference).toBe((rep.performance!.reference as { accuracy: number }).accuracy);

    const mv = rep.multivariate!;
    expect(mv.pca!.features).toEqual(['distance', 'delay', 'predicted_delay']);
    expect(mv.mmd!.nReference).toBe(1000);
    expect(typeof mv.drifted).toBe('boolean');
    const e = rep.edgeCases!;
    expect(e.top).toHaveLength(10);
    expect(e.currentRows).toBe(12556);
    expect(rep.text).toEqual([]);

    expect(r.stdout).toContain('Multivariate drift:');
    expect(r.stdout).toContain('Edge cases:');
    expect(r.stdout).toContain('Estimated performance');
    expect(r.stdout).toContain('ROC AUC');
    const page = readFileSync(html, 'utf8');
    for (const h of ['Multivariate drift', 'Edge cases', 'Estimated performance'])
      expect(page).toContain(`<h2>${h}</h2>`);
    expect(page).not.toContain('<script');
  });

  it('shows estimated and realised side by side for the regressor with --estimate-performance', async () => {
    const json = join(dir, 'reg.json');
    const r = await run(
      '--reference',
      jan,
      '--current',
      jun,
      '--target',
      'delay',
      '--prediction',
      'predicted_delay',
      '--estimate-performance',
      '--json',
      json,
    );
    expect(r.code).toBe(0);
    const ep = readJson(json).estimatedPerformance!;
    expect(ep.method).toBe('dle');
    expect(ep.currentLabelled).toBe(true);
    const mae = ep.metrics.find((m) => m.metric === 'mae')!;
    expect(mae.currentRealised).toBeCloseTo(20.4875, 3);
    expect(mae.estimate!).toBeGreaterThan(10);
    expect(mae.estimate!).toBeLessThan(30);
    expect(r.stdout).toMatch(/MAE\s+18\.4\s/);
  });

  it('leaves the estimate out when the current file is labelled and --estimate-performance is not given', async () => {
    const json = join(dir, 'none.json');
    await run(
      '--reference',
      jan,
      '--current',
      jun,
      '--target',
      'delay',
      '--prediction',
      'predicted_delay',
      '--json',
      json,
    );
    const rep = readJson(json);
    expect(rep.estimatedPerformance).toBeNull();
    expect(rep.performance!.current).not.toBeNull();
  });
});

describe('faultline report: text columns on SpamAssassin messages', () => {
  it('reports descriptor drift rows of subject and body, ham as reference and spam as current', async () => {
    const rows = parse(readFileSync(join(root, 'data', 'spamassassin', 'spamassassin-sample.csv'), 'utf8'), {
      columns: true,
    }) as Record<string, string>[];
    const quote = (v: string) => `"${v.replaceAll('"', '""')}"`;
    const write = (name: string, keep: (r: Record<string, string>) => boolean) => {
      const p = join(dir, name);
      const lines = rows.filter(keep).map((r) => [r.id!, quote(r.subject!), quote(r.body!)].join(','));
      writeFileSync(p, `id,subject,body\n${lines.join('\n')}\n`);
      return p;
    };
    const ham = write('ham.csv', (r) => r.label === 'ham');
    const spam = write('spam.csv', (r) => r.label !== 'ham');
    const json = join(dir, 'text.json');
    const html = join(dir, 'text.html');
    const r = await run('--reference', ham, '--current', spam, '--id', 'id', '--json', json, '--html', html);
    expect(r.code).toBe(0);
    const rep = readJson(json);
    const byName = new Map(rep.text.map((t) => [t.name, t]));
    for (const col of ['subject', 'body'])
      for (const d of ['chars', 'tokens', 'oovShare', 'nonLetterShare', 'latinShare', 'script'])
        expect(byName.has(`${col}.${d}`)).toBe(true);
    // spam bodies are longer and use words the ham messages do not
    const oov = byName.get('body.oovShare')!;
    expect(oov.drifted).toBe(true);
    expect(oov.currentMean!).toBeGreaterThan(oov.referenceMean!);
    expect(byName.get('body.chars')!.drifted).toBe(true);
    expect(r.stdout).toContain('Text columns');
    expect(r.stdout).toMatch(/body\.oovShare\s+ks/);
    expect(readFileSync(html, 'utf8')).toContain('<td>body.oovShare</td>');
  });

  it('says why --estimate-performance gave nothing without a target', async () => {
    const json = join(dir, 'no-target.json');
    await run('--reference', jan, '--current', jun, '--estimate-performance', '--json', json);
    const rep = readJson(json);
    expect(rep.estimatedPerformance).toBeNull();
    expect(rep.notes.join(' ')).toContain('--estimate-performance needs --target and --prediction');
  });
});

describe('faultline report: a correlation that flips', () => {
  it('is flagged by the multivariate section while every column passes on its own', async () => {
    const rng = seededRng(42);
    const normal = () => {
      const u = 1 - rng.next();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
    };
    const make = (rho: number, n: number) => {
      const rows = ['id,temperature,pressure'];
      for (let i = 0; i < n; i++) {
        const a = normal();
        const b = rho * a + Math.sqrt(1 - rho * rho) * normal();
        rows.push(`s${i},${(20 + 5 * a).toFixed(3)},${(1000 + 10 * b).toFixed(3)}`);
      }
      return `${rows.join('\n')}\n`;
    };
    const ref = join(dir, 'ref.csv');
    const cur = join(dir, 'cur.csv');
    writeFileSync(ref, make(0.85, 3000));
    writeFileSync(cur, make(-0.85, 3000));
    const json = join(dir, 'flip.json');
    const html = join(dir, 'flip.html');
    const r = await run('--reference', ref, '--current', cur, '--id', 'id', '--json', json, '--html', html);
    expect(r.code).toBe(0);
    const rep = readJson(json);
    expect(rep.dataset.drifted).toBe(false);
    expect(rep.columns.filter((c) => c.role === 'feature' && c.drifted)).toEqual([]);
    expect(rep.multivariate!.drifted).toBe(true);
    expect(rep.multivariate!.pca!.drifted).toBe(true);
    expect(rep.multivariate!.mmd!.drifted).toBe(true);
    expect(rep.edgeCases!.top[0]!.id).toMatch(/^s\d+$/);
    expect(r.stdout).toMatch(/Multivariate drift: DRIFT/);
    expect(readFileSync(html, 'utf8')).toContain(
      '<span class="badge drift">drift</span> The joint distribution',
    );
  });
});
