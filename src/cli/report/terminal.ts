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
