import { describe, expect, it } from 'vitest';
import type { FaultlineError } from '../core/contract/index.js';
import { DEFAULT_ACK_WAIT_MS, parseIngestLogUrl } from './location.js';

function fieldOf(url: string): string | undefined {
  try {
    parseIngestLogUrl(url);
  } catch (e) {
    return (e as FaultlineError).issues?.[0]?.field;
  }
  throw new Error(`${url} was accepted`);
}

describe('ingestion log URL', () => {
  it('has defaults for everything but the server', () => {
    expect(parseIngestLogUrl('nats://127.0.0.1:4222')).toEqual({
      servers: ['nats://127.0.0.1:4222'],
      stream: 'FAULTLINE_INGEST',
      subjectPrefix: 'faultline.ingest',
      consumer: 'faultline-workers',
      replicas: 1,
      ackWaitMs: DEFAULT_ACK_WAIT_MS,
    });
  });

  it('reads several servers and every parameter', () => {
    expect(
      parseIngestLogUrl(
        'nats://a:4222,b:4223,nats://c?stream=S1&subject=acme.log&consumer=c-1&replicas=3&ackWaitMs=5000',
      ),
    ).toEqual({
      servers: ['nats://a:4222', 'nats://b:4223', 'nats://c'],
      stream: 'S1',
      subjectPrefix: 'acme.log',
      consumer: 'c-1',
      replicas: 3,
      ackWaitMs: 5000,
    });
  });

  it('names the part that is wrong', () => {
    expect(fieldOf('http://h:4222')).toBe('url');
    expect(fieldOf('nats://h?stream=a.b')).toBe('stream');
    expect(fieldOf('nats://h?consumer=a*')).toBe('consumer');
    expect(fieldOf('nats://h?subject=a.>')).toBe('subject');
    expect(fieldOf('nats://h?replicas=0')).toBe('replicas');
    expect(fieldOf('nats://h?ackWaitMs=10')).toBe('ackWaitMs');
    expect(fieldOf('nats://h?streem=x')).toBe('streem');
  });
});
