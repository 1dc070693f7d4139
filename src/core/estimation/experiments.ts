/**
 * Real-data experiments for the performance estimators, shared by the tests and the benchmark: each turns the
 * parsed rows of a data set under `data/` into a trained model, a labelled reference and a series of chunks
 * with their true labels, so an estimate can be compared with what really happened. Pure: the caller reads and
 * parses the file.
 */
import type { LabelledOutputs } from './cbpe.js';
import type { LabelledRegression } from './dle.js';
import { fitLogistic, fitRidge, predictLinear, predictLogistic } from './test-models.js';

export type CsvRecord = Readonly<Record<string, string>>;

export interface ClassificationChunk extends LabelledOutputs {
  name: string;
}

export interface RegressionChunk extends LabelledRegression {
  name: string;
}

function num(r: CsvRecord, key: string): number {
  const v = r[key];
  if (v === undefined || v === '' || v === 'NA') return Number.NaN;
  return Number(v);
}

/**
 * Weather, Seattle and New York 2012–2015 (`data/weather-seattle-nyc/weather.csv`): a logistic regression
 * predicts a wet day (rain, drizzle or snow) from the temperatures, their range, the wind and the season —
 * not from precipitation. Trained on Seattle 2012; reference Seattle 2013–2014; chunks of `chunkSize` days in
 * date order: Seattle 2015 (season and year-on-year shift), then New York 2012–2015 (another climate: covariate
 * and label shift).
 */
export function weatherExperiment(records: readonly CsvRecord[], chunkSize = 61) {
  const rows = records.map((r) => {
    const date = r.date ?? '';
    const year = Number(date.slice(0, 4));
    const start = Date.UTC(year, 0, 1);
    const doy = (Date.parse(`${date}T00:00:00Z`) - start) / 86_400_000;
    const tmax = num(r, 'temp_max');
    const tmin = num(r, 'temp_min');
    const angle = (2 * Math.PI * doy) / 365.25;
    return {
      location: r.location ?? '',
      year,
      date,
      x: [tmax, tmin, tmax - tmin, num(r, 'wind'), Math.sin(angle), Math.cos(angle)],
      y: ['rain', 'drizzle', 'snow'].includes(r.weather ?? '') ? 1 : 0,
    };
  });
  const ok = rows
    .filter((r) => r.x.every(Number.isFinite))
    .sort((a, b) =>
      a.location === b.location ? a.date.localeCompare(b.date) : a.location === 'Seattle' ? -1 : 1,
    );
  const train = ok.filter((r) => r.location === 'Seattle' && r.year === 2012);
  const model = fitLogistic(
    train.map((r) => r.x),
    train.map((r) => r.y),
    1,
  );
  const outputs = (rs: typeof ok): LabelledOutputs => {
    const scores = rs.map((r) => predictLogistic(model, r.x));
    return { scores, predictions: scores.map((s) => (s >= 0.5 ? 1 : 0)), labels: rs.map((r) => r.y) };
  };
  const reference = outputs(
    ok.filter((r) => r.location === 'Seattle' && (r.year === 2013 || r.year === 2014)),
  );
  const analysis = ok.filter(
    (r) => (r.location === 'Seattle' && r.year === 2015) || r.location === 'New York',
  );
  const chunks: ClassificationChunk[] = [];
  for (let i = 0; i + chunkSize <= analysis.length; i += chunkSize) {
    const part = analysis.slice(i, i + chunkSize);
    chunks.push({ name: `${part[0]!.location} ${part[0]!.date}`, ...outputs(part) });
  }
  return { reference, chunks };
}

/**
 * Texas housing 2000–2015 (`data/txhousing/txhousing-half.csv`): a ridge regression predicts a city's monthly
 * median sale price from the city (one-hot), log sales, log listings, months of inventory and the season.
 * Trained on 2000–2003. The DLE reference is every other row of 2004–2006; two kinds of chunks follow:
 * - `byCity`: the other rows of 2004–2006 grouped into blocks of cities — covariate shift (cities differ in
 *   how wrong the model is) without concept drift;
 * - `byYear`: one chunk per year 2007–2015 — prices move after the crisis, which is concept drift for a model
 *   of 2000–2003, the case DLE is documented not to see.
 */
export function txhousingExperiment(records: readonly CsvRecord[], citiesPerChunk = 4) {
  const cities = [...new Set(records.map((r) => r.city ?? ''))].sort();
  const rows = records
    .map((r) => {
      const month = num(r, 'month');
      const angle = (2 * Math.PI * (month - 1)) / 12;
      const x = [
        ...cities.map((c) => (c === r.city ? 1 : 0)),
        Math.log1p(num(r, 'sales')),
        Math.log1p(num(r, 'listings')),
        num(r, 'inventory'),
        Math.sin(angle),
        Math.cos(angle),
      ];
      return { city: r.city ?? '', year: num(r, 'year'), x, y: num(r, 'median') };
    })
    .filter((r) => r.x.every(Number.isFinite) && Number.isFinite(r.y) && r.y > 0);
  const train = rows.filter((r) => r.year <= 2003);
  const model = fitRidge(
    train.map((r) => r.x),
    train.map((r) => Math.log(r.y)),
    1,
  );
  const labelled = (rs: typeof rows): LabelledRegression => ({
    features: rs.map((r) => r.x),
    predictions: rs.map((r) => Math.exp(predictLinear(model, r.x))),
    targets: rs.map((r) => r.y),
  });
  const mid = rows.filter((r) => r.year >= 2004 && r.year <= 2006);
  const reference = labelled(mid.filter((_, i) => i % 2 === 0));
  const heldOut = mid.filter((_, i) => i % 2 === 1);
  const byCity: RegressionChunk[] = [];
  for (let c = 0; c < cities.length; c += citiesPerChunk) {
    const group = new Set(cities.slice(c, c + citiesPerChunk));
    const part = heldOut.filter((r) => group.has(r.city));
    if (part.length > 0) byCity.push({ name: [...group].join(', '), ...labelled(part) });
  }
  const byYear: RegressionChunk[] = [];
  for (let year = 2007; year <= 2015; year++) {
    const part = rows.filter((r) => r.year === year);
    if (part.length > 0) byYear.push({ name: String(year), ...labelled(part) });
  }
  return { reference, byCity, byYear };
}
