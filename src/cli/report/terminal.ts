/**
 * @module
 * The terminal summary of a drift report: a few aligned tables a person reads top to bottom (dataset
 * verdict, feature drift, target and prediction drift, model performance, data quality, notes). ANSI
 * colours only when asked (the command asks on a TTY unless NO_COLOR is set).
 */
import type { ClassificationMetrics } from '../../core/metrics/classification.js';
import type { RegressionMetrics } from '../../core/metrics/regression.js';
import type { ColumnReport, PerformanceReport, Report } from '../../core/report/index.js';
import { bytes, count, num, pct, ruleText, scanOrder } from './format.js';

export interface TerminalOptions {
  color: boolean;
  /** Most feature rows shown (drifted first); the rest are counted. */
  maxRows?: number;
}

type Paint = (s: string) => string;

function palette(color: boolean) {
  const wrap =
    (open: number, close: number): Paint =>
    (s) =>
      color ? `\x1b[${open}m${s}\x1b[${close}m` : s;
  return {
    bold: wrap(1, 22),
    dim: wrap(2, 22),
    red: wrap(31, 39),
    green: wrap(32, 39),
    yellow: wrap(33, 39),
  };
}

/** Visible width of a string (ANSI escapes do not count). */
function width(s: string): number {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: strips ANSI colour codes
  return [...s.replace(/\x1b\[[0-9;]*m/g, '')].length;
}

function table(rows: string[][], indent = '  '): string[] {
  const widths: number[] = [];
  for (const r of rows) {
    r.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, width(cell));
    });
  }
  return rows.map(
    (r) =>
      indent +
      r
        .map((cell, i) => (i === r.length - 1 ? cell : cell + ' '.repeat((widths[i] ?? 0) - width(cell))))
        .join('  ')
        .trimEnd(),
  );
}

/** Renders the report as plain text (with ANSI colours when `color`). */
export function renderTerminal(report: Report, options: TerminalOptions): string {
  const p = palette(options.color);
  const maxRows = options.maxRows ?? 40;
  const out: string[] = [];
  const file = (label: string, f: Report['reference']) =>
    `  ${label.padEnd(9)} ${f.path}  ${count(f.rows)} rows × ${f.columns} columns (${f.format.toUpperCase()}, ${bytes(f.bytes)})`;
  out.push(
    p.bold('Faultline drift report'),
    file('reference', report.reference),
    file('current', report.current),
    '',
  );

  const d = report.dataset;
  const verdict = d.drifted ? p.red(p.bold('DRIFTED')) : p.green(p.bold('no drift'));
  out.push(
    `${p.bold('Dataset:')} ${verdict} — ${d.driftedColumns} of ${d.testedColumns} tested feature columns drifted (${pct(d.driftShare)}; the dataset drifts at ${pct(d.driftShareThreshold)})`,
    '',
  );

  const driftRow = (c: ColumnReport, label = c.name): string[] => [
    label,
    c.kind,
    c.method ?? '–',
    c.statisticKind === 'p_value' ? `p=${num(c.score)}` : num(c.score),
    ruleText(c),
    c.drifted ? p.red(p.bold('DRIFT')) : p.green('ok'),
  ];
  const header = ['column', 'kind', 'method', 'score', 'drift if', ''].map((h) => p.dim(h));

  const features = report.columns.filter((c) => c.role === 'feature' && c.tested);
  if (features.length > 0) {
    out.push(p.bold('Feature drift'));
    const shown = scanOrder(features).slice(0, maxRows);
    out.push(...table([header, ...shown.map((c) => driftRow(c))]));
    if (features.length > shown.length) {
      out.push(p.dim(`  … ${features.length - shown.length} more feature columns (see --json or --html)`));
    }
    out.push('');
  }
  const apart = [report.targetDrift, ...report.predictionDrift].filter((c): c is ColumnReport => c !== null);
  if (apart.length > 0) {
    out.push(p.bold('Target and prediction drift') + p.dim(' (not counted in the dataset share)'));
    out.push(
      ...table([
        header,
        ...apart.map((c) =>
          c.tested
            ? driftRow(c, `${c.name} (${c.role})`)
            : [`${c.name} (${c.role})`, c.kind, '–', '–', '', p.dim(c.skipped ?? '')],
        ),
      ]),
    );
    out.push('');
  }
  const untested = report.columns.filter(
    (c) => !c.tested && (c.role === 'feature' || c.role === 'id' || c.role === 'timestamp'),
  );
  if (untested.length > 0) {
    out.push(p.bold('Not tested'));
    out.push(...table(untested.slice(0, maxRows).map((c) => [c.name, c.kind, p.dim(c.skipped ?? '')])));
    if (untested.length > maxRows) out.push(p.dim(`  … ${untested.length - maxRows} more`));
    out.push('');
  }
  if (report.performance) out.push(...performance(report.performance, p), '');
  out.push(...detectors(report, p));

  const issues = report.quality.issues;
  out.push(p.bold('Data quality'));
  if (issues.length === 0) out.push(p.green('  no issues found'));
  const warnings = issues.filter((i) => i.severity === 'warning');
  const infos = issues.filter((i) => i.severity === 'info');
  for (const i of [...warnings, ...infos].slice(0, maxRows)) {
    const mark = i.severity === 'warning' ? p.yellow('!') : p.dim('·');
    const text = `${i.column ? `${i.column}: ` : ''}${i.message}`;
    out.push(`  ${mark} ${i.severity === 'warning' ? text : p.dim(text)}`);
  }
  if (issues.length > maxRows) out.push(p.dim(`  … ${issues.length - maxRows} more (see --json or --html)`));
  if (report.notes.length > 0) {
    out.push('', p.bold('Notes'));
    for (const n of report.notes) out.push(`  - ${n}`);
  }
  return `${out.join('\n')}\n`;
}

const METRIC_LABELS: Record<string, string> = { f1: 'F1', rocAuc: 'ROC AUC', mae: 'MAE', rmse: 'RMSE' };

const verdict = (drifted: boolean, p: ReturnType<typeof palette>) =>
  drifted ? p.red(p.bold('DRIFT')) : p.green('ok');

/** Compact sections of the detectors beyond single columns (each followed by a blank line). */
function detectors(report: Report, p: ReturnType<typeof palette>): string[] {
  const out: string[] = [];
  const text = report.text ?? [];
  if (text.length > 0) {
    out.push(p.bold('Text columns') + p.dim(' (descriptors of each text, not counted in the dataset share)'));
    out.push(
      ...table([
        ['descriptor', 'method', 'score', 'ref mean', 'cur mean', ''].map((h) => p.dim(h)),
        ...text.map((t) => [
          t.name,
          t.method,
          t.statisticKind === 'p_value' ? `p=${num(t.score)}` : num(t.score),
          num(t.referenceMean),
          num(t.currentMean),
          verdict(t.drifted, p),
        ]),
      ]),
      '',
    );
  }
  const m = report.multivariate;
  if (m?.pca) {
    const pca = m.pca;
    out.push(
      `${p.bold('Multivariate drift:')} ${verdict(m.drifted, p)}` +
        p.dim(` (${pca.features.length} numerical features, seed ${m.seed})`),
      `  PCA reconstruction error ${num(pca.currentError)} vs reference ${num(pca.referenceError)} (band ${num(pca.lower)}–${num(pca.upper)}, ${pca.components} components, z ${num(pca.z, 3)}; ${pca.alertChunks} of ${pca.chunks} chunks of ${count(pca.chunkSize)} outside) ${verdict(pca.drifted, p)}`,
    );
    if (m.mmd)
      out.push(
        `  MMD² ${num(m.mmd.mmd2)}, permutation p=${num(m.mmd.pValue)} (drift if < ${m.mmd.alpha}; ${count(m.mmd.nReference)} + ${count(m.mmd.nCurrent)} rows) ${verdict(m.mmd.drifted, p)}`,
      );
    out.push('');
  } else if (m && m.notes.length > 0)
    out.push(`${p.bold('Multivariate drift:')} ${p.dim(m.notes.join('; '))}`, '');
  const e = report.edgeCases;
  if (e) {
    out.push(
      `${p.bold('Edge cases:')} ${verdict(e.drifted, p)} — ${pct(e.currentShare)} of ${count(e.currentRows)} current rows are isolation-forest outliers, ${pct(e.referenceShare)} expected (binomial p=${num(e.pValue)})`,
    );
    const tails = e.range.filter((r) => r.alert);
    if (tails.length > 0)
      out.push(
        `  outside the reference's [Q0.5 %, Q99.5 %]: ${tails.map((r) => `${r.feature} ${pct(r.share)}`).join(', ')}`,
      );
    const top = e.top.slice(0, 3);
    for (const t of top)
      out.push(
        p.dim(
          `  row ${t.row}${t.id !== null ? ` (${t.id})` : ''} score ${num(t.score, 3)}: ${Object.entries(
            t.values,
          )
            .map(([k, v]) => `${k}=${num(v)}`)
            .join(' ')}`,
        ),
      );
    if (e.top.length > top.length)
      out.push(p.dim(`  … ${e.top.length - top.length} more rows in --json / --html`));
    out.push('');
  }
  const ep = report.estimatedPerformance;
  if (ep) {
    out.push(
      p.bold('Estimated performance') +
        p.dim(
          ` (${ep.method.toUpperCase()}, without labels; ± 3 SE band${ep.currentLabelled ? '; the current file has labels too' : ''})`,
        ),
    );
    if (ep.metrics.length > 0)
      out.push(
        ...table([
          ['metric', 'reference', 'estimated', 'band', ep.currentLabelled ? 'realised' : '', ''].map((h) =>
            p.dim(h),
          ),
          ...ep.metrics.map((x) => [
            METRIC_LABELS[x.metric] ?? x.metric,
            num(x.reference),
            num(x.estimate),
            `${num(x.lower)}–${num(x.upper)}`,
            ep.currentLabelled ? num(x.currentRealised) : '',
            x.alert ? p.red(p.bold('ALERT')) : p.green('ok'),
          ]),
        ]),
      );
    for (const n of ep.notes) out.push(p.dim(`  ${n}`));
    out.push('');
  }
  return out;
}

function performance(perf: PerformanceReport, p: ReturnType<typeof palette>): string[] {
  const out: string[] = [];
  const r = perf.reference;
  const c = perf.current;
  if (perf.task === 'classification') {
    const cls = (r ?? c) as ClassificationMetrics | null;
    const extra =
      cls?.positiveLabel !== null && cls
        ? `, positive label "${cls.positiveLabel}"`
        : cls
          ? ', macro average'
          : '';
    out.push(
      p.bold(`Model performance`) +
        p.dim(` (classification of ${perf.target} by ${perf.prediction}${extra})`),
    );
    const rows: [string, keyof ClassificationMetrics][] = [
      ['accuracy', 'accuracy'],
      ['precision', 'precision'],
      ['recall', 'recall'],
      ['F1', 'f1'],
      ['ROC AUC', 'rocAuc'],
      ['log loss', 'logLoss'],
    ];
    const rc = r as ClassificationMetrics | null;
    const cc = c as ClassificationMetrics | null;
    out.push(
      ...table([
        ['metric', 'reference', 'current', 'change'].map((h) => p.dim(h)),
        ['rows', rc ? count(rc.rows) : '–', cc ? count(cc.rows) : '–', ''],
        ...rows
          .filter(([, k]) => (rc?.[k] ?? null) !== null || (cc?.[k] ?? null) !== null)
          .map(([label, k]) =>
            metricRow(label, rc?.[k] as number | null, cc?.[k] as number | null, k === 'logLoss'),
          ),
      ]),
    );
    for (const [which, m] of [
      ['reference', rc],
      ['current', cc],
    ] as const) {
      if (!m || m.labels.length > 8) continue;
      out.push(p.dim(`  confusion matrix, ${which} (rows actual, columns predicted)`));
      out.push(
        ...table(
          [
            ['', ...m.labels],
            ...m.confusionMatrix.counts.map((row, i) => [m.labels[i]!, ...row.map((v) => count(v))]),
          ],
          '    ',
        ),
      );
    }
  } else {
    out.push(p.bold('Model performance') + p.dim(` (regression of ${perf.target} by ${perf.prediction})`));
    const rr = r as RegressionMetrics | null;
    const cr = c as RegressionMetrics | null;
    out.push(
      ...table([
        ['metric', 'reference', 'current', 'change'].map((h) => p.dim(h)),
        ['rows', rr ? count(rr.rows) : '–', cr ? count(cr.rows) : '–', ''],
        metricRow('MAE', rr?.mae ?? null, cr?.mae ?? null, true),
        metricRow('RMSE', rr?.rmse ?? null, cr?.rmse ?? null, true),
        metricRow('MAPE', rr?.mape ?? null, cr?.mape ?? null, true),
        metricRow('R²', rr?.r2 ?? null, cr?.r2 ?? null, false),
      ]),
    );
  }
  const dropped = perf.droppedRows;
  if (dropped.reference > 0 || dropped.current > 0) {
    out.push(
      p.dim(
        `  rows without target or prediction left out: ${count(dropped.reference)} reference, ${count(dropped.current)} current`,
      ),
    );
  }
  return out;

  function metricRow(label: string, a: number | null, b: number | null, lowerIsBetter: boolean): string[] {
    let change = '';
    if (a !== null && b !== null) {
      const delta = b - a;
      const text = `${delta >= 0 ? '+' : ''}${num(delta)}`;
      const worse = lowerIsBetter ? delta > 0 : delta < 0;
      change = Math.abs(delta) < 1e-12 ? '0' : worse ? p.red(text) : p.green(text);
    }
    return [label, num(a), num(b), change];
  }
}
