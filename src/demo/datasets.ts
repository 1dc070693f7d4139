/**
 * @module
 * The real data the demo's models are trained on and served with, read from the `data/` folder shipped with
 * the package: US flights of January–February 2001 (`data/demo/flights.csv`) for the delay classifier, and
 * daily weather in Seattle and New York 2012–2015 (`data/weather-seattle-nyc/weather.csv`) for the daily-high
 * regressor. Each folder's README names the source, version and licence.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';

/** One flight as the delay model is asked about it. */
export interface Flight {
  /** Actual departure, local time of the origin airport, `YYYY-MM-DD HH:MM`. */
  date: string;
  distance: number;
  origin: string;
  destination: string;
  /** Arrival delay in minutes (the label is `delay > 15`). */
  delay: number;
  /** Share of flights that left the origin in the 3 hours before and arrived late (the feature store's value). */
  originCongestion: number;
  /** The same for the destination airport's departures. */
  destCongestion: number;
  /** The same two shares over the previous 24 hours (another definition of the feature). */
  originCongestion24h: number;
  destCongestion24h: number;
}

/** One day of weather in one city. */
export interface WeatherDay {
  location: string;
  date: string;
  precipitation: number;
  tempMax: number;
  tempMin: number;
  wind: number;
  weather: string;
}

/** The `data/` folder of the package, whether this file runs from `src/demo` or `dist/demo`. */
export function defaultDataDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, '..', '..', 'data'), join(here, '..', '..', '..', 'data')];
  return candidates.find((d) => existsSync(join(d, 'demo', 'flights.csv'))) ?? candidates[0]!;
}

function readRecords(path: string): Record<string, string>[] {
  if (!existsSync(path))
    throw new Error(
      `demo data file ${path} is missing: the demo reads the data/ folder shipped with Faultline`,
    );
  return parse(readFileSync(path), { columns: true, skip_empty_lines: true }) as Record<string, string>[];
}

function num(record: Record<string, string>, field: string, path: string, line: number): number {
  const v = Number(record[field]);
  if (record[field] === undefined || record[field] === '' || !Number.isFinite(v))
    throw new Error(
      `${path} row ${line}: field "${field}" must be a number, got ${JSON.stringify(record[field])}`,
    );
  return v;
}

/** Reads `data/demo/flights.csv`. Throws naming the row and field of a bad value. */
export function loadFlights(dataDir = defaultDataDir()): Flight[] {
  const path = join(dataDir, 'demo', 'flights.csv');
  return readRecords(path).map((r, i) => ({
    date: r.date ?? '',
    distance: num(r, 'distance', path, i + 2),
    origin: r.origin ?? '',
    destination: r.destination ?? '',
    delay: num(r, 'delay', path, i + 2),
    originCongestion: num(r, 'origin_congestion', path, i + 2),
    destCongestion: num(r, 'dest_congestion', path, i + 2),
    originCongestion24h: num(r, 'origin_congestion_24h', path, i + 2),
    destCongestion24h: num(r, 'dest_congestion_24h', path, i + 2),
  }));
}

/** Reads `data/weather-seattle-nyc/weather.csv`. Throws naming the row and field of a bad value. */
export function loadWeather(dataDir = defaultDataDir()): WeatherDay[] {
  const path = join(dataDir, 'weather-seattle-nyc', 'weather.csv');
  return readRecords(path).map((r, i) => ({
    location: r.location ?? '',
    date: r.date ?? '',
    precipitation: num(r, 'precipitation', path, i + 2),
    tempMax: num(r, 'temp_max', path, i + 2),
    tempMin: num(r, 'temp_min', path, i + 2),
    wind: num(r, 'wind', path, i + 2),
    weather: r.weather ?? '',
  }));
}
