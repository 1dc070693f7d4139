import { describe, expect, it } from 'vitest';
import { seededRng } from '../rng.js';
import { numericValues } from '../schema/column-values.js';
import { type CellValue, tableFromColumns } from '../schema/from-values.js';
import { columnByName } from '../schema/table.js';
import { DRIFT_METHODS, type DriftMethod, numericalDrift } from '../stats/index.js';
import { runColumnJob } from './column-job.js';
import { planReport } from './plan.js';

// Two numerical columns in both files, with missing cells: `wide` is continuous (a shifted, wider normal in
// the current file), `few` holds four integers with different shares (ties everywhere).
const rng = seededRng(20240601);
const normal = () => {
  const u = 1 - rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
};
const gen = (n: number, f: () => CellValue) =>
  Array.from({ length: n }, () => (rng.next() < 0.05 ? null : f()));
const pick = (weights: number[]) => () => {
  let u = rng.next() * weights.reduce((s, w) => s + w, 0);
  for (let k = 0; k < weights.length; k++) if ((u -= weights[k]!) < 0) return k;
  return weights.length - 1;
};
const reference = tableFromColumns({ wide: gen(3000, normal), few: gen(3000, pick([4, 3, 2, 1])) });
const current = tableFromColumns({
  wide: gen(3000, () => 1.2 * normal() + 0.3),
  few: gen(3000, pick([3, 3, 2, 2])),
});

const COLUMNS = ['wide', 'few'] as const;

/** A method's detail as the report keeps it: JSON numbers, lists cut to their first 100 entries. */
function asJson(detail: unknown): unknown {
  return JSON.parse(JSON.stringify(detail, (_, v) => (Array.isArray(v) ? v.slice(0, 100) : v)));
}

function columnReports(method: DriftMethod | 'auto') {
  const plan = planReport(reference, current, { method });
  return COLUMNS.map((name) => {
    const job = plan.jobs.find((j) => j.name === name)!;
    return runColumnJob(job, columnByName(reference, name), columnByName(current, name));
  });
}

/**
 * Score and raw statistic of every method on both columns, recorded from the report before its columns
 * were sorted once and shared between the summaries and the drift test. They must not move: that change
 * was about speed only.
 */
const RECORDED: Record<string, [score: number, statistic: number | null]> = {
  'ks wide': [3.003814979870082e-28, 0.14932441127268048],
  'ks few': [7.831840388752608e-12, 0.09557017406240725],
  'wasserstein wide': [0.3174633369975261, 0.3229181751625961],
  'wasserstein few': [0.2863363303927574, 0.2843598024731271],
  'psi wide': [0.14709370599773747, null],
  'psi few': [0.09195616213246646, null],
  'jensenshannon wide': [0.15866238263152405, null],
  'jensenshannon few': [0.12782468863585536, null],
  'kl wide': [0.06426562597492075, null],
  'kl few': [0.042819600866330326, null],
  'hellinger wide': [0.13368877414101138, null],
  'hellinger few': [0.08020415875402408, null],
  'chisquare wide': [0, null],
  'chisquare few': [3.8017131135090183e-73, 338.88647826046304],
  'ztest wide': [0.3161669354096168, 1.0023658374575546],
  'ztest few': [3.834604557396861e-14, -7.566484316686459],
  'linf wide': [0.0003508771929824707, null],
  'linf few': [0.09557017406240725, null],
  'anderson wide': [0.001, 87.07574592703867],
  'anderson few': [0.001, 99.31628582462636],
  'cvm wide': [2.247002139910137e-9, 12.501175384094267],
  'cvm few': [8.558475039777136e-10, 9.579886894853303],
  'auto wide': [0.3174633369975261, 0.3229181751625961],
  'auto few': [0.12782468863585536, null],
};

describe('runColumnJob', () => {
  it('gives the recorded drift numbers for every method (fixed seed)', () => {
    const got: Record<string, [number, number | null]> = {};
    for (const method of [...DRIFT_METHODS, 'auto'] as const) {
      columnReports(method).forEach((r, i) => {
        expect(r.tested, `${method} on ${COLUMNS[i]}`).toBe(true);
        const statistic = (r.detail?.statistic ?? r.detail?.w1 ?? null) as number | null;
        got[`${method} ${COLUMNS[i]}`] = [r.score!, statistic];
      });
    }
    expect(got).toEqual(RECORDED);
  });

  it('reports what numericalDrift gives on the unsorted values of each file, for every method', () => {
    for (const method of DRIFT_METHODS) {
      columnReports(method).forEach((r, i) => {
        const name = COLUMNS[i]!;
        const want = numericalDrift(
          numericValues(columnByName(reference, name)!),
          numericValues(columnByName(current, name)!),
          method,
        );
        expect(r, `${method} on ${name}`).toMatchObject({
          method,
          score: want.score,
          pValue: want.pValue,
          drifted: want.drifted,
          n: want.n,
          m: want.m,
          detail: asJson(want.detail),
        });
      });
    }
  });
});
