/**
 * The stream's limits against a real NATS JetStream: a new stream gets the URL's `maxBytes` and
 * `maxMessages` with the `New` discard policy, an existing one is brought to them (and says so), except
 * that a limit is never lowered under what the stream holds, since JetStream would delete acknowledged
 * batches to fit it.
 */
import type { JetStreamManager } from '@nats-io/jetstream';
import { DiscardPolicy, jetstream, jetstreamManager, RetentionPolicy, StorageType } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FaultlineError } from '../core/contract/index.js';
import { connectLog, ensureStream } from './jetstream.js';
import { parseIngestLogUrl } from './location.js';
import { NatsTestLogs, requireNats } from './testing.js';

const logs = new NatsTestLogs();
let nc: NatsConnection;
let jsm: JetStreamManager;
beforeAll(async () => {
  await requireNats();
  nc = await connectLog(parseIngestLogUrl(logs.url()), 'limits-test');
  jsm = await jetstreamManager(nc);
});
afterAll(async () => {
  await nc?.close();
  await logs.deleteAll();
});

/** A stream as versions without limits made it: no size limit, old messages discarded. */
async function unboundedStream(url: string) {
  const loc = parseIngestLogUrl(url);
  await jsm.streams.add({
    name: loc.stream,
    subjects: [`${loc.subjectPrefix}.>`],
    retention: RetentionPolicy.Workqueue,
    storage: StorageType.File,
  });
  return loc;
}

async function publish(subject: string, n: number, bytes: number): Promise<void> {
  const js = jetstream(nc);
  for (let i = 0; i < n; i++) await js.publish(subject, new Uint8Array(bytes));
}

describe('ingestion log stream limits', () => {
  it('creates the stream with the URL limits and the New discard policy', async () => {
    const loc = parseIngestLogUrl(logs.url({ maxBytes: '64KiB', maxMessages: '500' }));
    const notices: string[] = [];
    const info = await ensureStream(jsm, loc, (m) => notices.push(m));
    expect(info.config).toMatchObject({ max_bytes: 65_536, max_msgs: 500, discard: DiscardPolicy.New });
    expect(info.config.max_age).toBe(0); // batches never expire
    expect(notices).toEqual([]);
    const defaults = parseIngestLogUrl(logs.url());
    expect((await ensureStream(jsm, defaults)).config).toMatchObject({ max_msgs: -1, discard: 'new' });
  });

  it('brings an existing stream to the URL limits, and leaves a stream that has them alone', async () => {
    const url = logs.url({ maxBytes: '1MiB', maxMessages: '1000' });
    const loc = await unboundedStream(url);
    await publish(`${loc.subjectPrefix}.predictions`, 3, 100);
    const notices: string[] = [];
    const info = await ensureStream(jsm, loc, (m) => notices.push(m));
    expect(info.config).toMatchObject({ max_bytes: 1_048_576, max_msgs: 1000, discard: 'new' });
    expect(info.state.messages).toBe(3);
    expect(notices).toEqual([
      `ingestion log stream ${loc.stream}: maxBytes none -> 1048576, maxMessages none -> 1000, ` +
        'discard old -> new (a full stream refuses new batches)',
    ]);
    // Raised by a later URL; and a second start with the same URL changes nothing.
    const raised = { ...loc, maxBytes: 2 * 1_048_576 };
    const after = await ensureStream(jsm, raised, (m) => notices.push(m));
    expect(after.config.max_bytes).toBe(2 * 1_048_576);
    expect(notices.at(-1)).toBe(`ingestion log stream ${loc.stream}: maxBytes 1048576 -> 2097152`);
    await ensureStream(jsm, raised, (m) => notices.push(m));
    expect(notices).toHaveLength(2);
    expect((await jsm.streams.info(loc.stream)).state.messages).toBe(3);
  });

  it('does not lower a limit under what the stream holds, so no stored batch is deleted', async () => {
    const url = logs.url({ maxBytes: '4KiB', maxMessages: '10' });
    const loc = await unboundedStream(url);
    await publish(`${loc.subjectPrefix}.predictions`, 8, 1000);
    const notices: string[] = [];
    const info = await ensureStream(jsm, loc, (m) => notices.push(m));
    expect(info.config).toMatchObject({ max_bytes: -1, max_msgs: -1, discard: 'new' });
    expect((await jsm.streams.info(loc.stream)).state.messages).toBe(8);
    expect(notices).toHaveLength(3);
    expect(notices[0]).toMatch(/maxBytes stays none instead of 4096: the stream holds \d+ bytes/);
    expect(notices[1]).toMatch(/maxMessages stays none instead of 10: the stream holds 8 batches/);
    expect(notices[2]).toBe(
      `ingestion log stream ${loc.stream}: discard old -> new (a full stream refuses new batches)`,
    );
    // Once the workers have taken the batches, the next start lowers the limits.
    await jsm.streams.purge(loc.stream);
    const lowered = await ensureStream(jsm, loc, (m) => notices.push(m));
    expect(lowered.config).toMatchObject({ max_bytes: 4096, max_msgs: 10 });
  });

  it('says which setting to fix when JetStream cannot reserve maxBytes', async () => {
    const loc = parseIngestLogUrl(logs.url({ maxBytes: '4096TiB' }));
    const e = (await ensureStream(jsm, loc).catch((x: unknown) => x)) as FaultlineError;
    expect(e.code).toBe('request.invalid');
    expect(e.issues?.[0]?.field).toBe('maxBytes');
    expect(e.message).toMatch(/JetStream has no room to reserve 4503599627370496 bytes/);
    expect(e.hint).toMatch(/lower maxBytes/);
  });
});
