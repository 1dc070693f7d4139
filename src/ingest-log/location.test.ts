import { describe, expect, it } from 'vitest';
import type { FaultlineError } from '../core/contract/index.js';
import { DEFAULT_ACK_WAIT_MS, DEFAULT_MAX_BYTES, parseIngestLogUrl } from './location.js';

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
      maxBytes: 1024 ** 3,
      maxMessages: null,
    });
    expect(DEFAULT_MAX_BYTES).toBe(1024 ** 3);
  });

  it('reads several servers and every parameter', () => {
    expect(
      parseIngestLogUrl(
        'nats://a:4222,b:4223,nats://c?stream=S1&subject=acme.log&consumer=c-1&replicas=3&ackWaitMs=5000' +
          '&maxBytes=4096&maxMessages=100',
      ),
    ).toEqual({
      servers: ['nats://a:4222', 'nats://b:4223', 'nats://c'],
      stream: 'S1',
      subjectPrefix: 'acme.log',
      consumer: 'c-1',
      replicas: 3,
      ackWaitMs: 5000,
      maxBytes: 4096,
      maxMessages: 100,
    });
  });

  it('reads maxBytes in bytes or in KiB, MiB, GiB and TiB', () => {
    const maxBytes = (v: string) => parseIngestLogUrl(`nats://h?maxBytes=${v}`).maxBytes;
    expect(maxBytes('1024')).toBe(1024);
    expect(maxBytes('64KiB')).toBe(64 * 1024);
    expect(maxBytes('512MiB')).toBe(512 * 1024 ** 2);
    expect(maxBytes('4GiB')).toBe(4 * 1024 ** 3);
    expect(maxBytes('2TiB')).toBe(2 * 1024 ** 4);
  });

  it('says why a limit is refused', () => {
    const refusal = (url: string) => {
      try {
        parseIngestLogUrl(url);
      } catch (e) {
        const fe = e as FaultlineError;
        return { code: fe.code, message: fe.message, issues: fe.issues };
      }
      throw new Error(`${url} was accepted`);
    };
    expect(refusal('nats://h?maxBytes=1GB')).toEqual({
      code: 'request.invalid',
      message: 'invalid ingestion log URL: maxBytes "1GB" is not a size of at least 1024 bytes',
      issues: [{ field: 'maxBytes', reason: '"1GB" is not a size of at least 1024 bytes' }],
    });
    expect(refusal('nats://h?maxMessages=0').issues).toEqual([
      { field: 'maxMessages', reason: '"0" is not a whole number of at least 1' },
    ]);
  });

  it('names the part that is wrong', () => {
    expect(fieldOf('http://h:4222')).toBe('url');
    expect(fieldOf('nats://h?stream=a.b')).toBe('stream');
    expect(fieldOf('nats://h?consumer=a*')).toBe('consumer');
    expect(fieldOf('nats://h?subject=a.>')).toBe('subject');
    expect(fieldOf('nats://h?replicas=0')).toBe('replicas');
    expect(fieldOf('nats://h?ackWaitMs=10')).toBe('ackWaitMs');
    expect(fieldOf('nats://h?streem=x')).toBe('streem');
    expect(fieldOf('nats://h?maxBytes=100')).toBe('maxBytes');
    expect(fieldOf('nats://h?maxBytes=-1')).toBe('maxBytes');
    expect(fieldOf('nats://h?maxBytes=1.5GiB')).toBe('maxBytes');
    expect(fieldOf('nats://h?maxBytes=')).toBe('maxBytes');
    expect(fieldOf('nats://h?maxBytes=99999999TiB')).toBe('maxBytes');
    expect(fieldOf('nats://h?maxMessages=-1')).toBe('maxMessages');
    expect(fieldOf('nats://h?maxMessages=1e3')).toBe('maxMessages');
    expect(fieldOf('nats://h?maxMessages=')).toBe('maxMessages');
    expect(fieldOf('nats://h?maxAgeMs=60000')).toBe('maxAgeMs');
  });
});
