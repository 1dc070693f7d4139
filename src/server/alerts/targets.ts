/**
 * @module
 * Alert receivers as given on the command line: `--alert-webhook URL` sends the generic JSON payload,
 * `--alert-webhook slack:URL` (or any URL on hooks.slack.com) sends a Slack-compatible message.
 */
import type { AlertFormat } from '../../store/store.js';

export interface AlertTarget {
  url: string;
  format: AlertFormat;
}

/** Reads one `--alert-webhook` value; throws an Error naming the value and the reason when it is not usable. */
export function parseAlertTarget(spec: string): AlertTarget {
  const m = /^(json|slack):(.*)$/i.exec(spec.trim());
  const explicit = m !== null && /^https?:\/\//i.test(m[2] ?? '');
  const raw = explicit ? (m?.[2] ?? '') : spec.trim();
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`--alert-webhook "${spec}": not a URL (use http(s)://host/path, or slack:https://…)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new Error(`--alert-webhook "${spec}": only http and https receivers are supported`);
  const format: AlertFormat = explicit
    ? ((m?.[1] ?? 'json').toLowerCase() as AlertFormat)
    : url.hostname === 'hooks.slack.com'
      ? 'slack'
      : 'json';
  return { url: url.toString(), format };
}
