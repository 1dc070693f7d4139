/**
 * @module
 * A renderer of the Prometheus text exposition format, version 0.0.4
 * (https://prometheus.io/docs/instrumenting/exposition_formats/#text-based-format): per family a `# HELP` and a
 * `# TYPE` line, then one line per sample, `name{label="value",…} value`. Label values escape `\`, `"` and
 * newline; HELP text escapes `\` and newline. Output is deterministic: families and samples in the order given
 * (the builders produce them in a fixed order), ending with a newline. Serve it as `text/plain; version=0.0.4`.
 */

export type MetricType = 'gauge' | 'counter' | 'untyped';

export interface Sample {
  labels: Record<string, string>;
  value: number;
}

export interface MetricFamily {
  name: string;
  help: string;
  type: MetricType;
  samples: Sample[];
}

/** The content type to serve the output with. */
export const EXPOSITION_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const NEEDS_ESCAPE = /[\\"\n]/;

/** Escapes a label value: backslash, double quote and line feed. */
export function escapeLabelValue(value: string): string {
  if (!NEEDS_ESCAPE.test(value)) return value;
  return value.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n');
}

/** Escapes HELP text: backslash and line feed. */
export function escapeHelp(text: string): string {
  return text.replaceAll('\\', '\\\\').replaceAll('\n', '\\n');
}

/** A sample value as the format spells it: `NaN`, `+Inf`, `-Inf`, or the shortest round-trip decimal. */
export function formatSampleValue(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Number.POSITIVE_INFINITY) return '+Inf';
  if (x === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(x);
}

function labelText(labels: Record<string, string>): string {
  const keys = Object.keys(labels);
  if (keys.length === 0) return '';
  return `{${keys.map((k) => `${k}="${escapeLabelValue(labels[k]!)}"`).join(',')}}`;
}

/**
 * Renders metric families as exposition text. Throws on an invalid metric or label name, a reserved `__` label,
 * a family name used twice, or two samples of a family with the same label set — each would make the scrape
 * fail or be ambiguous.
 */
export function renderExposition(families: readonly MetricFamily[]): string {
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const fam of families) {
    if (!METRIC_NAME.test(fam.name)) throw new Error(`prometheus: invalid metric name "${fam.name}"`);
    if (seen.has(fam.name)) throw new Error(`prometheus: metric family "${fam.name}" is listed twice`);
    seen.add(fam.name);
    lines.push(`# HELP ${fam.name} ${escapeHelp(fam.help)}`);
    lines.push(`# TYPE ${fam.name} ${fam.type}`);
    const rendered = fam.samples.map((s) => {
      for (const k of Object.keys(s.labels)) {
        if (!LABEL_NAME.test(k)) throw new Error(`prometheus: invalid label name "${k}" in ${fam.name}`);
        if (k.startsWith('__'))
          throw new Error(`prometheus: label "${k}" in ${fam.name} is reserved (starts with __)`);
      }
      return { labels: labelText(s.labels), value: formatSampleValue(s.value) };
    });
    const labelSets = new Set<string>();
    for (const r of rendered) {
      if (labelSets.has(r.labels))
        throw new Error(`prometheus: two samples of ${fam.name} have the same labels ${r.labels}`);
      labelSets.add(r.labels);
      lines.push(`${fam.name}${r.labels} ${r.value}`);
    }
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}
