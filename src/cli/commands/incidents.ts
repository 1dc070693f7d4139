/**
 * `faultline incidents [--open] [--model M] [--json] [--url URL --token T]`: the collector's incidents, most
 * recently opened first, one line each with the top cause — or the API's JSON with `--json`.
 */
import type { Command } from 'commander';
import { UsageError } from '../usage-error.js';

export interface CollectorFlags {
  url?: string;
  token?: string;
}

/** Where the collector is and the token to use: flags, then FAULTLINE_URL / FAULTLINE_TOKEN. */
export function collectorTarget(
  flags: CollectorFlags,
  env: Record<string, string | undefined> = process.env,
) {
  const url = (flags.url ?? env.FAULTLINE_URL ?? 'http://127.0.0.1:7070').replace(/\/+$/, '');
  const token = flags.token ?? env.FAULTLINE_TOKEN;
  if (token === undefined || token === '')
    throw new UsageError('a token is needed to read the collector', {
      hint: 'pass --token T or set FAULTLINE_TOKEN (`faultline token create --role read` makes one)',
    });
  try {
    new URL(url);
  } catch {
    throw new UsageError(`--url ${url}: not a URL`, { hint: 'e.g. --url http://127.0.0.1:7070' });
  }
  return { url, token };
}

/** Calls the collector; HTTP and connection errors become usage errors with the collector's own message. */
export async function callCollector(
  target: { url: string; token: string },
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<{ status: number; json: unknown }> {
  let res: Response;
  try {
    res = await fetch(`${target.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${target.token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(60_000),
    });
  } catch (e) {
    const cause = e instanceof Error && e.cause instanceof Error ? e.cause.message : String(e);
    throw new UsageError(`cannot reach the collector at ${target.url}: ${cause}`, {
      hint: 'start it with `faultline serve`, or pass --url',
    });
  }
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text === '' ? null : JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: res.status, json };
}

/** Throws a usage error carrying the collector's error message for a non-2xx answer. */
export function failOnError(r: { status: number; json: unknown }, what: string): void {
  if (r.status >= 200 && r.status < 300) return;
  const err = (r.json as { error?: { message?: string; hint?: string } } | null)?.error;
  throw new UsageError(`${what}: the collector answered ${r.status}: ${err?.message ?? 'no message'}`, {
    ...(err?.hint === undefined ? {} : { hint: err.hint }),
  });
}

interface WireIncidentLine {
  id: string;
  model: string;
  version: string | null;
  status: string;
  severity: string;
  openedAt: string;
  expectation: { label: string };
  figure: { value: number | null };
  causes: { cause: string; score: number }[];
}

/** One line per incident: `inc_… open critical churn latency_p99_ms < 1000 (2400) since … — hardware_failure (0.84)`. */
export function incidentLine(i: WireIncidentLine): string {
  const top = i.causes[0];
  const value = i.figure.value === null ? 'no figure' : String(Number(i.figure.value.toPrecision(3)));
  return [
    i.id,
    i.status.padEnd(12),
    i.severity.padEnd(8),
    `${i.model}${i.version === null ? '' : ` ${i.version}`}`,
    `${i.expectation.label} (${value})`,
    `opened ${i.openedAt}`,
    `— ${top === undefined ? 'no cause yet' : `${top.cause} (${top.score.toFixed(2)})`}`,
  ].join('  ');
}

interface IncidentsFlags extends CollectorFlags {
  open?: boolean;
  model?: string;
  limit?: string;
  json?: boolean;
}

export async function runIncidents(
  flags: IncidentsFlags,
  out: NodeJS.WritableStream = process.stdout,
): Promise<number> {
  const target = collectorTarget(flags);
  const limit = flags.limit === undefined ? 100 : Number(flags.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
    throw new UsageError(`--limit ${flags.limit}: must be a whole number from 1 to 1000`);
  const q = new URLSearchParams({ limit: String(limit) });
  if (flags.open) q.set('status', 'open,acknowledged');
  if (flags.model !== undefined) q.set('model', flags.model);
  const r = await callCollector(target, 'GET', `/v1/incidents?${q}`);
  failOnError(r, 'listing incidents');
  const incidents = (r.json as { incidents: WireIncidentLine[] }).incidents;
  if (flags.json) out.write(`${JSON.stringify(r.json, null, 2)}\n`);
  else if (incidents.length === 0) out.write(flags.open ? 'no open incidents\n' : 'no incidents\n');
  else for (const i of incidents) out.write(`${incidentLine(i)}\n`);
  return 0;
}

export function register(program: Command): void {
  program
    .command('incidents')
    .description("List the collector's incidents, most recently opened first, with their top cause.")
    .option('--open', 'only incidents not yet resolved (open or acknowledged)')
    .option('--model <name>', 'only this model')
    .option('--limit <n>', 'at most this many (1–1000, default 100)')
    .option('--json', 'print the API answer as JSON (every cause, its evidence and the timeline)')
    .option('--url <url>', 'collector URL (env FAULTLINE_URL; default http://127.0.0.1:7070)')
    .option('--token <token>', 'a token with the read role (env FAULTLINE_TOKEN)')
    .action(async (flags: IncidentsFlags) => {
      process.exitCode = await runIncidents(flags);
    });
}
