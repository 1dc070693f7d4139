/**
 * Makes data/demo/flights.csv for `faultline demo` from the BTS flight sample (vega-datasets flights-3m, every
 * 10th row; see data/demo/README.md).
 *
 * Run: npx tsx tools/make-demo-data.ts <path to flights_2001h1_sample10.csv>
 *
 * 1. Keep January–February 2001 flights from the 25 busiest origin airports of those months.
 * 2. Per flight, the congestion of its origin and of its destination: the share of flights that left that
 *    airport in the 3 hours before its departure and arrived more than 15 minutes late (all flights of the
 *    sample, any airport; smoothed towards the overall share with a prior weight of 2 flights) — and the same
 *    over 24 hours, the definition the demo's skewed release reads.
 * 3. Leave out storm days (at least 33 % of the day's flights delayed): the demo wants a steady stream.
 * 4. Write every 2nd remaining flight: date, distance, origin, destination, delay, origin_congestion,
 *    dest_congestion, origin_congestion_24h, dest_congestion_24h.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';

const source = process.argv[2];
if (!source) throw new Error('usage: tsx tools/make-demo-data.ts <flights_2001h1_sample10.csv>');
const out = join(import.meta.dirname, '..', 'data', 'demo');
const all = parse(readFileSync(source), { columns: true }) as Record<string, string>[];
const rows = all.filter((r) => (r.date ?? '') < '2001-03');

const perOrigin = new Map<string, number>();
for (const r of rows) perOrigin.set(r.origin!, (perOrigin.get(r.origin!) ?? 0) + 1);
const top = new Set(
  [...perOrigin]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, 25)
    .map(([o]) => o),
);
const kept = rows.filter((r) => top.has(r.origin!));
const delayed = (r: Record<string, string>) => Number(r.delay) > 15;
const overall = kept.filter(delayed).length / kept.length;

const dayOf = (r: Record<string, string>) => r.date!.slice(0, 10);
const days = [...new Set(kept.map(dayOf))].sort();
const dayCount = new Map<string, [number, number]>();
for (const r of kept) {
  const d = dayCount.get(dayOf(r)) ?? [0, 0];
  if (delayed(r)) d[0] += 1;
  d[1] += 1;
  dayCount.set(dayOf(r), d);
}

// Departures of every airport in time order, for the congestion features.
const timeOf = (r: Record<string, string>) => Date.parse(`${r.date!.replace(' ', 'T')}:00Z`);
const departures = new Map<string, { t: number[]; late: number[] }>();
for (const r of [...rows].sort((a, b) => timeOf(a) - timeOf(b))) {
  const d = departures.get(r.origin!) ?? { t: [], late: [] };
  d.t.push(timeOf(r));
  d.late.push(delayed(r) ? 1 : 0);
  departures.set(r.origin!, d);
}
const HOUR = 3_600_000;
function congestion(airport: string, t: number, windowMs = 3 * HOUR): number {
  const d = departures.get(airport);
  let late = 0;
  let n = 0;
  if (d) {
    // Binary search for the first departure at or after t − 3 h, then walk to t.
    let lo = 0;
    let hi = d.t.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (d.t[mid]! < t - windowMs) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < d.t.length && d.t[i]! < t; i++) {
      late += d.late[i]!;
      n += 1;
    }
  }
  return (late + 2 * overall) / (n + 2);
}

const storm = new Set(days.filter((d) => dayCount.get(d)![0] / dayCount.get(d)![1] >= 0.33));
const flightLines = [
  'date,distance,origin,destination,delay,origin_congestion,dest_congestion,origin_congestion_24h,dest_congestion_24h',
];
kept.forEach((r, i) => {
  if (i % 2 !== 0 || storm.has(dayOf(r))) return;
  const t = timeOf(r);
  flightLines.push(
    [
      r.date,
      r.distance,
      r.origin,
      r.destination,
      r.delay,
      congestion(r.origin!, t).toFixed(4),
      congestion(r.destination!, t).toFixed(4),
      congestion(r.origin!, t, 24 * HOUR).toFixed(4),
      congestion(r.destination!, t, 24 * HOUR).toFixed(4),
    ].join(','),
  );
});
writeFileSync(join(out, 'flights.csv'), `${flightLines.join('\n')}\n`);
console.log(
  `${flightLines.length - 1} flights, storm days left out: ${[...storm].join(' ')}, overall ${overall.toFixed(3)}`,
);
