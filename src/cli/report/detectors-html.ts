/**
 * @module
 * HTML sections of the detectors beyond single columns: text descriptors, multivariate drift, edge cases
 * (with the most anomalous current rows) and performance estimated without labels. Every piece of text
 * from the data is HTML-escaped.
 */
import type { Report } from '../../core/report/index.js';
import { count, num, pct } from './format.js';
import { esc } from './svg.js';

const badge = (drifted: boolean, alarm = 'drift') =>
  drifted ? `<span class="badge drift">${alarm}</span>` : '<span class="badge ok">ok</span>';
const td = (x: string) => `<td class="num">${esc(x)}</td>`;
const METRIC_LABELS: Record<string, string> = { f1: 'F1', rocAuc: 'ROC AUC', mae: 'MAE', rmse: 'RMSE' };

function textHtml(report: Report): string {
  const rows = report.text ?? [];
  if (rows.length === 0) return '';
  return `<h2>Text columns</h2><p class="muted">Descriptors of each text (length, out-of-vocabulary share against the reference vocabulary, non-letter share, script mix), tested like numerical columns; not counted in the dataset drift share.</p><table><tr><th>descriptor</th><th>method</th><th class="num">score</th><th class="num">threshold</th><th class="num">reference mean</th><th class="num">current mean</th><th></th></tr>${rows
    .map(
      (t) =>
        `<tr><td>${esc(t.name)}</td><td>${esc(t.method)}</td>${td(
          t.statisticKind === 'p_value' ? `p=${num(t.score)}` : num(t.score),
        )}${td(num(t.threshold))}${td(num(t.referenceMean))}${td(num(t.currentMean))}<td>${badge(t.drifted)}</td></tr>`,
    )
    .join('')}</table>`;
}

function multivariateHtml(report: Report): string {
  const m = report.multivariate;
  if (!m) return '';
  const head = '<h2>Multivariate drift</h2>';
  if (!m.pca) return `${head}<p class="muted">Not computed: ${esc(m.notes.join('; '))}.</p>`;
  const pca = m.pca;
  const mmd = m.mmd;
  return `${head}<p>${badge(m.drifted)} The joint distribution of ${esc(
    pca.features.join(', '),
  )} is compared with PCA data reconstruction (drift when the current error leaves the band of reference chunks), confirmed by an MMD permutation test. Seed ${esc(String(m.seed))}.</p><table><tr><th>test</th><th class="num">current</th><th class="num">reference</th><th class="num">drift if</th><th>detail</th><th></th></tr><tr><td>PCA reconstruction error</td>${td(
    num(pca.currentError),
  )}${td(num(pca.referenceError))}${td(`outside ${num(pca.lower)}–${num(pca.upper)}`)}<td>${esc(
    `${pca.components} components; z ${num(pca.z, 3)}; ${pca.alertChunks} of ${pca.chunks} chunks of ${count(pca.chunkSize)} rows outside; ${count(pca.referenceRows)} + ${count(pca.currentRows)} rows`,
  )}</td><td>${badge(pca.drifted)}</td></tr>${
    mmd
      ? `<tr><td>MMD permutation p-value</td>${td(num(mmd.pValue))}<td></td>${td(`< ${mmd.alpha}`)}<td>${esc(
          `MMD² ${num(mmd.mmd2)}; ${mmd.permutations} permutations; ${count(mmd.nReference)} + ${count(mmd.nCurrent)} rows`,
        )}</td><td>${badge(mmd.drifted)}</td></tr>`
      : ''
  }</table>`;
}

function edgeCasesHtml(report: Report): string {
  const e = report.edgeCases;
  if (!e) return '';
  const features = e.features;
  const top = e.top
    .map(
      (t) =>
        `<tr><td class="num">${esc(String(t.row))}</td><td>${esc(t.id ?? '')}</td>${td(num(t.score, 3))}${features
          .map((f) => td(num(t.values[f] ?? null)))
          .join('')}</tr>`,
    )
    .join('');
  const range = e.range
    .map(
      (r) =>
        `<tr><td>${esc(r.feature)}</td>${td(pct(r.share))}${td(pct(r.expectedShare))}${td(num(r.pValue))}<td>${badge(r.alert, 'tail')}</td></tr>`,
    )
    .join('');
  return `<h2>Edge cases</h2><p>${badge(e.drifted, 'edge cases')} ${esc(
    `${pct(e.currentShare)} of ${count(e.currentRows)} current rows (${count(e.flagged)}) are outliers for an isolation forest fitted on ${count(e.referenceRows)} reference rows, where ${pct(e.referenceShare)} are expected (one-sided binomial p ${num(e.pValue)}; drift if p < ${e.alpha} and the share is at least three times the expected one).`,
  )}</p><div class="two"><div><p class="muted">Most anomalous current rows (row = data row of the current file)</p><table><tr><th class="num">row</th><th>id</th><th class="num">score</th>${features
    .map((f) => `<th class="num">${esc(f)}</th>`)
    .join(
      '',
    )}</tr>${top}</table></div><div><p class="muted">Share outside the reference's [Q0.5 %, Q99.5 %]</p><table><tr><th>feature</th><th class="num">current</th><th class="num">expected</th><th class="num">p</th><th></th></tr>${range}</table></div></div>`;
}

function estimatedHtml(report: Report): string {
  const ep = report.estimatedPerformance;
  if (!ep) return '';
  const rows = ep.metrics
    .map(
      (x) =>
        `<tr><td>${esc(METRIC_LABELS[x.metric] ?? x.metric)}</td>${td(num(x.reference))}${td(num(x.estimate))}${td(
          `${num(x.lower)}–${num(x.upper)}`,
        )}${ep.currentLabelled ? td(num(x.currentRealised)) : ''}<td>${badge(x.alert, 'alert')}</td></tr>`,
    )
    .join('');
  return `<h2>Estimated performance</h2><p class="muted">${esc(
    `${ep.method.toUpperCase()} fitted on ${count(ep.referenceRows)} labelled reference rows, estimated on ${count(ep.currentRows)} current rows without their labels; band ± 3 standard errors; alert when outside the band of reference chunks of ${count(ep.chunkSize)} rows.`,
  )}</p>${
    ep.metrics.length
      ? `<table><tr><th>metric</th><th class="num">reference (realised)</th><th class="num">current (estimated)</th><th class="num">band</th>${
          ep.currentLabelled ? '<th class="num">current (realised)</th>' : ''
        }<th></th></tr>${rows}</table>`
      : ''
  }${ep.notes.map((n) => `<p class="muted">${esc(n)}</p>`).join('')}`;
}

/** The four detector sections, in report order. */
export function detectorsHtml(report: Report): string {
  return [textHtml(report), multivariateHtml(report), edgeCasesHtml(report), estimatedHtml(report)].join('');
}
