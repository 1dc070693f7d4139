/**
 * Test fixture for the ingestion log: a real NATS server with JetStream (`FAULTLINE_TEST_NATS_URL`, by
 * default the local one) and a fresh stream, subject prefix and consumer per log, deleted when the test
 * file ends, so that parallel runs never see each other's messages. Nothing is stubbed.
 */
import { randomBytes } from 'node:crypto';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';

/** The server the tests use; CI starts it (see `.ci/run`). */
export const NATS_TEST_URL = process.env.FAULTLINE_TEST_NATS_URL ?? 'nats://127.0.0.1:4222';

/** The size limit of test streams: far more than any test or benchmark logs at once. */
export const TEST_MAX_BYTES = '256MiB';

/** Hands out fresh ingestion log URLs for one test file and deletes their streams at the end. */
export class NatsTestLogs {
  private readonly prefix = randomBytes(5).toString('hex');
  private readonly streams: string[] = [];
  private n = 0;

  /**
   * A log URL with its own stream, subjects and consumer (and any extra parameters, e.g. ackWaitMs). The
   * stream holds at most `TEST_MAX_BYTES` unless told otherwise: JetStream reserves a stream's limit on
   * its disk, and many test streams of the default 1 GiB at once could exhaust that.
   */
  url(params: Record<string, string> = {}): string {
    const id = `${this.prefix}_${this.n++}`;
    const stream = `T_${id}`;
    this.streams.push(stream);
    const q = new URLSearchParams({
      stream,
      subject: `t${id}.ingest`,
      consumer: `w_${id}`,
      maxBytes: TEST_MAX_BYTES,
      ...params,
    });
    return `${NATS_TEST_URL}?${q.toString()}`;
  }

  /** Deletes every stream this object handed out (and with them their consumers). */
  async deleteAll(): Promise<void> {
    const nc = await connect({ servers: NATS_TEST_URL });
    try {
      const jsm = await jetstreamManager(nc);
      for (const s of this.streams) await jsm.streams.delete(s).catch(() => false);
    } finally {
      await nc.close();
    }
  }
}

/**
 * Fails with what to do when the test server is not reachable or has no JetStream (a test never skips for
 * that): start `nats-server -js`, or point FAULTLINE_TEST_NATS_URL at a server with JetStream.
 */
export async function requireNats(): Promise<void> {
  try {
    const nc = await connect({ servers: NATS_TEST_URL, timeout: 5000 });
    try {
      await (await jetstreamManager(nc)).getAccountInfo();
    } finally {
      await nc.close();
    }
  } catch (e) {
    throw new Error(
      `NATS with JetStream is not reachable at ${NATS_TEST_URL} (${(e as Error).message}). Start it (Debian: ` +
        '`apt-get install nats-server && nats-server -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server`) or set ' +
        'FAULTLINE_TEST_NATS_URL to a server with JetStream enabled.',
    );
  }
}
