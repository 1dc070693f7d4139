/**
 * @module
 * The HTML report: one self-contained file (inline CSS and SVG, no script, no font or network request)
 * that a person can scan — the dataset verdict first, then a drift overview of every feature (drifted
 * first, each score placed against its threshold), target and prediction drift, model performance side
 * by side, data quality, and a card per column with its reference-vs-current distribution. Every piece of
 * text from the data is HTML-escaped.
 */
import type { ClassificationMetrics } from '../../core/metrics/classification.js';
import type { RegressionMetrics } from '../../core/metrics/regression.js';
import type { ColumnReport, ColumnSideSummary, PerformanceReport, Report } from '../../core/report/index.js';
import { detectorsHtml } from './detectors-html.js';
import { bytes, count, num, pct, ruleText, scanOrder } from './format.js';
import { barsSvg, CUR_COLOR, esc, histogramSvg, REF_COLOR, strengthSvg } from './svg.js';

const CSS = `
:root{--fg:#1d2330;--muted:#5d6678;--line:#dde1e8;--bg:#f6f7f9;--card:#fff;--red:#c62828;--green:#2e7d32;--amber:#b26a00}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:var(--fg);background:var(--bg)}
main{max-width:1180px;margin:0 auto;padding:24px}
h1{font-size:22px;margin:0 0 4px}
h2{font-size:17px;margin:28px 0 10px;padding-bottom:4px;border-bottom:1px solid var(--line)}
h3{font-size:15px;margin:0}
.muted{color:var(--muted)}
.files{margin:6px 0 0;color:var(--muted)}
.files code{color:var(--fg)}
.verdict{margin:18px 0 0;padding:14px 18px;border-radius:8px;background:var(--card);border-left:6px solid var(--green);display:flex;gap:24px;align-items:center;flex-wrap:wrap}
.verdict.drifted{border-left-color:var(--red)}
.verdict .big{font-size:20px;font-weight:700}
.verdict.drifted .big{color:var(--red)}
.verdict:not(.drifted) .big{color:var(--green)}
.sharebar{width:260px;height:12px;background:#e8ebf0;border-radius:6px;position:relative;overflow:hidden}
.sharebar span{position:absolute;left:0;top:0;bottom:0;background:var(--red)}
.sharebar i{position:absolute;top:-2px;bottom:-2px;width:2px;background:var(--fg)}
table{border-collapse:collapse;background:var(--card);width:100%}
th,td{padding:5px 10px;border-bottom:1px solid var(--line);text-align:left;vertical-align:middle}
th{font-weight:600;color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.03em}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;font-weight:600}
.badge.drift{background:#fde7e7;color:var(--red)}
.badge.ok{background:#e6f4e7;color:var(--green)}
.badge.skip{background:#eceff3;color:var(--muted)}
.strength .track{fill:#e8ebf0}.strength .bar-drift{fill:var(--red)}.strength .bar-ok{fill:#7cb342}.strength .threshold{stroke:var(--fg);stroke-width:1.5}
.issues{list-style:none;padding:0;margin:0;background:var(--card)}
.issues li{padding:6px 12px;border-bottom:1px solid var(--line)}
.issues li.warning::before{content:"!";display:inline-block;width:18px;height:18px;margin-right:8px;border-radius:9px;background:var(--amber);color:#fff;text-align:center;font-weight:700;font-size:12px;line-height:18px}
.issues li.info{color:var(--muted)}
.issues li.info::before{content:"·";display:inline-block;width:18px;margin-right:8px;text-align:center}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(480px,1fr));gap:14px}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:12px 14px}
.card.drifted{border-color:#f1b0b0}
.card header{display:flex;justify-content:space-between;align-items:baseline;gap:8px;margin-bottom:6px}
.card .meta{font-size:12px;color:var(--muted)}
.card table{font-size:12px}
.card td,.card th{padding:2px 6px}
svg.chart{width:100%;height:auto;display:block;margin:6px 0}
svg .grid{stroke:#eceff3}svg .axis{stroke:#9aa3b2}svg .tick{font-size:11px;fill:#5d6678}
.legend-ref{color:${REF_COLOR}}.legend-cur{color:${CUR_COLOR}}
.two{display:grid;grid-template-columns:1fr 1fr;gap:14px}
.cm td{text-align:right}
.notes li{margin:2px 0}
`;

function badge(c: ColumnReport): string {
  if (!c.tested) return '<span class="badge skip">not tested</span>';
  return c.drifted ? '<span class="badge drift">drift</span>' : '<span class="badge ok">ok</span>';
}

/** Strength for the overview bar: > 1 means drifted by that factor. */
function strength(c: ColumnReport): number | null {
  if (!c.tested || c.score === null || c.threshold === null) return null;
  if (c.statisticKind === 'p_value') {
    if (c.threshold <= 0 || c.threshold >= 1) return c.drifted ? 3 : 0;
    return Math.log(Math.max(c.score, 1e-300)) / Math.log(c.threshold);
  }
  return c.threshold > 0 ? c.score / c.threshold : c.drifted ? 3 : 0;
}

function scoreText(c: ColumnReport): string {
  if (c.score === null) return '–';
  return c.statisticKind === 'p_value' ? `p = ${num(c.score)}` : num(c.score);
}

function overviewRows(columns: ColumnReport[], label: (c: ColumnReport) => string): string {
  return columns
    .map(
      (c) =>
        `<tr><td><a href="#col-${esc(encodeURIComponent(c.name))}">${esc(label(c))}</a></td><td>${esc(c.kind)}</td><td>${esc(
          c.method ?? '–',
        )}</td><td class="num">${esc(scoreText(c))}</td><td class="num">${esc(ruleText(c))}</td><td>${strengthSvg(
          strength(c),
          c.drifted,
        )}</td><td>${badge(c)}</td></tr>`,
    )
    .join('');
}

const OVERVIEW_HEAD =
  '<tr><th>column</th><th>kind</th><th>method</th><th class="num">score</th><th class="num">drift if</th><th>score vs threshold (tick)</th><th></th></tr>';

function sideRows(c: ColumnReport): string {
  const r = c.reference;
  const k = c.current;
  const row = (label: string, a: string, b: string) =>
    `<tr><td>${esc(label)}</td><td class="num">${esc(a)}</td><td class="num">${esc(b)}</td></tr>`;
  const both = (get: (s: ColumnSideSummary) => string) => [r ? get(r) : '–', k ? get(k) : '–'] as const;
  const out = [
    row('rows', ...both((s) => count(s.rows))),
    row('missing', ...both((s) => pct(s.missingShare))),
  ];
  if (r?.numeric || k?.numeric) {
    for (const [label, key] of [
      ['mean', 'mean'],
      ['std', 'std'],
      ['min', 'min'],
      ['median', 'median'],
      ['max', 'max'],
    ] as const) {
      out.push(row(label, ...both((s) => num(s.numeric?.[key] ?? null))));
    }
  }
  if (r?.categorical || k?.categorical) {
    out.push(row('distinct', ...both((s) => (s.categorical ? count(s.categorical.distinct) : '–'))));
    out.push(
      row(
        'most frequent',
        ...both((s) =>
          s.categorical?.top != null ? `${s.categorical.top} (${pct(s.categorical.topShare)})` : '–',
        ),
      ),
    );
  }
  if (r?.timeRange || k?.timeRange) {
    out.push(
      row('first', ...both((s) => s.timeRange?.min ?? '–')),
      row('last', ...both((s) => s.timeRange?.max ?? '–')),
    );
  }
  return `<table><tr><th></th><th class="num legend-ref">reference</th><th class="num legend-cur">current</th></tr>${out.join('')}</table>`;
}

function card(c: ColumnReport): string {
  const title = `${c.name}: reference vs current`;
  let chart = '';
  if (c.chart?.type === 'histogram') chart = histogramSvg(c.chart, title);
  else if (c.chart?.type === 'bars') chart = barsSvg(c.chart, title);
  const test = c.tested
    ? `${esc(c.method ?? '')} ${esc(scoreText(c))} (drift if ${esc(ruleText(c))})`
    : esc(c.skipped ?? 'not tested');
  const role = c.role === 'feature' ? '' : ` · ${esc(c.role)}`;
  return `<section class="card${c.drifted ? ' drifted' : ''}" id="col-${esc(encodeURIComponent(c.name))}"><header><h3>${esc(
    c.name,
  )}</h3>${badge(c)}</header><div class="meta">${esc(c.kind)}${role} · ${test}<br>${esc(`kind: ${c.kindReason}`)}</div>${chart}${sideRows(c)}</section>`;
}

function performanceHtml(p: PerformanceReport): string {
  const parts: string[] = [];
  const metricRow = (label: string, a: number | null | undefined, b: number | null | undefined) => {
    const delta = a != null && b != null ? b - a : null;
    return `<tr><td>${esc(label)}</td><td class="num">${esc(num(a ?? null))}</td><td class="num">${esc(num(b ?? null))}</td><td class="num">${
      delta === null ? '' : esc(`${delta >= 0 ? '+' : ''}${num(delta)}`)
    }</td></tr>`;
  };
  const countRow = (a: number | undefined, b: number | undefined) =>
    `<tr><td>rows</td><td class="num">${a === undefined ? '–' : esc(count(a))}</td><td class="num">${b === undefined ? '–' : esc(count(b))}</td><td></td></tr>`;
  const head =
    '<tr><th>metric</th><th class="num">reference</th><th class="num">current</th><th class="num">change</th></tr>';
  if (p.task === 'classification') {
    const r = p.reference as ClassificationMetrics | null;
    const c = p.current as ClassificationMetrics | null;
    const m = r ?? c;
    parts.push(
      `<p class="muted">Classification of <b>${esc(p.target)}</b> by <b>${esc(p.prediction)}</b>${
        m?.positiveLabel != null
          ? `, positive label “${esc(m.positiveLabel)}”`
          : ', macro average over labels'
      }${p.proba.length ? `; probabilities from ${esc(p.proba.join(', '))}` : ''}.</p>`,
    );
    parts.push(
      `<table>${head}${countRow(r?.rows, c?.rows)}${metricRow('accuracy', r?.accuracy, c?.accuracy)}${metricRow(
        'precision',
        r?.precision,
        c?.precision,
      )}${metricRow('recall', r?.recall, c?.recall)}${metricRow('F1', r?.f1, c?.f1)}${metricRow('ROC AUC', r?.rocAuc, c?.rocAuc)}${metricRow(
        'log loss',
        r?.logLoss,
        c?.logLoss,
      )}</table>`,
    );
    const cm = (x: ClassificationMetrics | null, which: string) => {
      if (!x || x.labels.length > 20) return '';
      const header = `<tr><th>actual \\ predicted</th>${x.labels.map((l) => `<th class="num">${esc(l)}</th>`).join('')}</tr>`;
      const rows = x.confusionMatrix.counts
        .map(
          (row, i) =>
            `<tr><th>${esc(x.labels[i]!)}</th>${row.map((v) => `<td>${esc(count(v))}</td>`).join('')}</tr>`,
        )
        .join('');
      return `<div><p class="muted">Confusion matrix, ${which}</p><table class="cm">${header}${rows}</table></div>`;
    };
    parts.push(`<div class="two">${cm(r, 'reference')}${cm(c, 'current')}</div>`);
  } else {
    const r = p.reference as RegressionMetrics | null;
    const c = p.current as RegressionMetrics | null;
    parts.push(`<p class="muted">Regression of <b>${esc(p.target)}</b> by <b>${esc(p.prediction)}</b>.</p>`);
    parts.push(
      `<table>${head}${countRow(r?.rows, c?.rows)}${metricRow('MAE', r?.mae, c?.mae)}${metricRow('RMSE', r?.rmse, c?.rmse)}${metricRow(
        'MAPE',
        r?.mape,
        c?.mape,
      )}${metricRow('R²', r?.r2, c?.r2)}</table>`,
    );
  }
  if (p.droppedRows.reference > 0 || p.droppedRows.current > 0) {
    parts.push(
      `<p class="muted">Rows without target or prediction left out: ${count(p.droppedRows.reference)} reference, ${count(p.droppedRows.current)} current.</p>`,
    );
  }
  return parts.join('');
}

function qualityTable(report: Report): string {
  const rows = report.quality.columns
    .map((q) => {
      const mm = (q.reference?.typeMismatches.count ?? 0) + (q.current?.typeMismatches.count ?? 0);
      return `<tr><td>${esc(q.name)}</td><td>${esc(q.kind)}</td><td class="num">${esc(pct(q.reference?.missing.share))}</td><td class="num">${esc(
        pct(q.current?.missing.share),
      )}</td><td class="num">${esc(count(mm))}</td><td class="num">${esc(q.outOfRange ? pct(q.outOfRange.share) : '–')}</td><td class="num">${esc(
        q.unseenCategories ? pct(q.unseenCategories.share) : '–',
      )}</td><td>${q.reference?.constant || q.current?.constant ? 'yes' : ''}</td></tr>`;
    })
    .join('');
  return `<table><tr><th>column</th><th>kind</th><th class="num">missing ref</th><th class="num">missing cur</th><th class="num">type mismatches</th><th class="num">outside ref range</th><th class="num">unseen categories</th><th>constant</th></tr>${rows}</table>`;
}

/** Renders the report as one self-contained HTML document. */
export function renderHtml(report: Report): string {
  const d = report.dataset;
  const features = report.columns.filter((c) => c.role === 'feature');
  const tested = features.filter((c) => c.tested);
  const untested = features.filter((c) => !c.tested);
  const apart = [report.targetDrift, ...report.predictionDrift].filter((c): c is ColumnReport => c !== null);
  const fileLine = (label: string, f: Report['reference']) =>
    `<div>${label} <code>${esc(f.path)}</code> — ${esc(count(f.rows))} rows × ${f.columns} columns (${esc(f.format.toUpperCase())}, ${esc(bytes(f.bytes))})</div>`;
  const issues = [...report.quality.issues].sort((a, b) =>
    a.severity === b.severity ? 0 : a.severity === 'warning' ? -1 : 1,
  );
  const dup = report.quality.duplicatedRows;
  const body = [
    '<h1>Faultline drift report</h1>',
    `<div class="files">${fileLine('reference', report.reference)}${fileLine('current', report.current)}</div>`,
    `<div class="verdict${d.drifted ? ' drifted' : ''}"><div class="big">${d.drifted ? 'Dataset drifted' : 'No dataset drift'}</div><div>${d.driftedColumns} of ${d.testedColumns} tested feature columns drifted (${esc(
      pct(d.driftShare),
    )}); the dataset drifts at ${esc(pct(d.driftShareThreshold))}.</div><div class="sharebar" title="${esc(
      `drifted share ${pct(d.driftShare)}, threshold ${pct(d.driftShareThreshold)}`,
    )}"><span style="width:${(100 * d.driftShare).toFixed(1)}%"></span><i style="left:${(100 * d.driftShareThreshold).toFixed(1)}%"></i></div></div>`,
    '<h2>Drift overview</h2>',
    tested.length
      ? `<table>${OVERVIEW_HEAD}${overviewRows(scanOrder(tested), (c) => c.name)}</table>`
      : '<p class="muted">No feature column could be tested.</p>',
    untested.length
      ? `<p class="muted">Not tested: ${untested.map((c) => `<a href="#col-${esc(encodeURIComponent(c.name))}">${esc(c.name)}</a> (${esc(c.skipped ?? '')})`).join('; ')}</p>`
      : '',
    apart.length
      ? `<h2>Target and prediction drift</h2><p class="muted">Reported apart: not counted in the dataset drift share.</p><table>${OVERVIEW_HEAD}${overviewRows(
          apart,
          (c) => `${c.name} (${c.role})`,
        )}</table>`
      : '',
    report.performance ? `<h2>Model performance</h2>${performanceHtml(report.performance)}` : '',
    detectorsHtml(report),
    '<h2>Data quality</h2>',
    issues.length
      ? `<ul class="issues">${issues.map((i) => `<li class="${i.severity}">${i.column ? `<b>${esc(i.column)}</b>: ` : ''}${esc(i.message)}</li>`).join('')}</ul>`
      : '<p>No issues found.</p>',
    `<p class="muted">${
      dup.reference && dup.current
        ? `Duplicated rows: ${esc(count(dup.reference.count))} in the reference (${esc(pct(dup.reference.share))}), ${esc(
            count(dup.current.count),
          )} in the current file (${esc(pct(dup.current.share))}).`
        : 'Duplicated rows: unknown (profiles keep no rows).'
    }${
      report.quality.schema.missingInCurrent.length || report.quality.schema.extraInCurrent.length
        ? ''
        : ' Both files have the same columns.'
    }</p>`,
    qualityTable(report),
    '<h2>Columns</h2>',
    `<p class="muted">Distributions, <span class="legend-ref">■ reference</span> vs <span class="legend-cur">■ current</span>, as shares of each file's present values. Drifted columns first.</p>`,
    `<div class="cards">${[
      ...scanOrder(tested),
      ...apart,
      ...untested,
      ...report.columns.filter((c) => c.role === 'id' || c.role === 'timestamp'),
    ]
      .map(card)
      .join('')}</div>`,
    report.notes.length
      ? `<h2>Notes</h2><ul class="notes">${report.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>`
      : '',
    `<p class="muted">Settings: method ${esc(report.settings.method)}${
      report.settings.threshold !== null
        ? `, threshold ${esc(num(report.settings.threshold))}`
        : ", each method's default threshold"
    }, dataset drift share ${esc(pct(report.settings.driftShare))}.</p>`,
  ];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(`Faultline drift report: ${report.current.path} vs ${report.reference.path}`)}</title>
<style>${CSS}</style></head>
<body><main>
${body.join('\n')}
</main></body></html>
`;
}
