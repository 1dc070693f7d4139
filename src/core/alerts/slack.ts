/**
 * @module
 * A Slack-compatible message (Block Kit) for an incident change: a header, the violation with its numbers, the
 * top cause with why it ranks first and how to confirm it, and a button to the incident. Works with incoming
 * webhooks and `chat.postMessage`; `text` is the notification fallback. Text is escaped for Slack mrkdwn
 * (`&`, `<`, `>`) and cut to Block Kit's limits (header 150, section 3000, field 2000 characters).
 */
import type { IncidentChange } from '../incidents/apply.js';
import { type AlertLinkOptions, incidentLink } from './webhook.js';

export interface SlackText {
  type: 'plain_text' | 'mrkdwn';
  text: string;
  emoji?: boolean;
}

export type SlackBlock =
  | { type: 'header'; text: SlackText }
  | { type: 'section'; text?: SlackText; fields?: SlackText[] }
  | { type: 'context'; elements: SlackText[] }
  | { type: 'divider' }
  | {
      type: 'actions';
      elements: {
        type: 'button';
        text: SlackText;
        url: string;
        style?: 'primary' | 'danger';
        action_id: string;
      }[];
    };

export interface SlackMessage {
  text: string;
  blocks: SlackBlock[];
}

/** Escapes the three characters Slack mrkdwn treats as control characters. */
export function escapeSlack(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** Cuts a string to at most `max` characters, ending with an ellipsis when cut. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

const TITLES: Record<IncidentChange['kind'], string> = {
  opened: 'Incident opened',
  updated: 'Incident updated',
  acknowledged: 'Incident acknowledged',
  resolved: 'Incident resolved',
};

const MARKS: Record<string, string> = {
  critical: ':red_circle:',
  warning: ':large_orange_circle:',
  info: ':large_blue_circle:',
};

/** Builds the Slack message for an incident change (pure; the server posts it). */
export function buildSlackMessage(change: IncidentChange, options: AlertLinkOptions): SlackMessage {
  const inc = change.incident;
  const top = inc.causes[0] ?? null;
  const where = `${inc.model}${inc.version === null ? '' : ` ${inc.version}`}`;
  const mark = change.kind === 'resolved' ? ':white_check_mark:' : (MARKS[inc.severity] ?? '');
  const title = `${TITLES[change.kind]}: ${inc.expectationId} on ${where}`;
  const link = incidentLink(inc.id, options);
  const topLine =
    top === null
      ? 'No cause has findings yet.'
      : `Top cause: ${top.cause} (score ${top.score.toFixed(2)}), ${top.explanation}`;
  const blocks: SlackBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: truncate(`${title}`, 150), emoji: true } },
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: truncate(`${mark} ${escapeSlack(inc.lastViolation.summary)}`.trim(), 3000),
      },
    },
    {
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: `*Model*\n${escapeSlack(where)}` },
        { type: 'mrkdwn', text: `*Severity*\n${inc.severity}` },
        { type: 'mrkdwn', text: `*Status*\n${inc.status}` },
        { type: 'mrkdwn', text: `*Since*\n${new Date(inc.onsetMs).toISOString()}` },
      ].map((f) => ({ ...f, text: truncate(f.text, 2000) })) as SlackText[],
    },
  ];
  if (top === null)
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: '*Top cause*\nNo cause has findings yet.' },
    });
  else {
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: truncate(
          `*Top cause: ${top.cause}* (score ${top.score.toFixed(2)})\n${escapeSlack(top.explanation)}`,
          3000,
        ),
      },
    });
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: truncate(`To confirm: ${escapeSlack(top.confirm)}`, 3000) }],
    });
  }
  if (change.kind === 'updated' && change.previousTopCause !== null && change.previousTopCause !== top?.cause)
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `Previously ranked first: ${change.previousTopCause}` }],
    });
  blocks.push({
    type: 'actions',
    elements: [
      {
        type: 'button',
        text: { type: 'plain_text', text: 'Open incident' },
        url: link,
        action_id: 'faultline_open_incident',
        ...(change.kind === 'opened' && inc.severity === 'critical' ? { style: 'danger' as const } : {}),
      },
    ],
  });
  return { text: truncate(`${title}. ${topLine} ${link}`, 3000), blocks };
}
