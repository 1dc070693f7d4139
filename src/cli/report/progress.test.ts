import { describe, expect, it } from 'vitest';
import { createProgress } from './progress.js';

function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  const stream = {
    isTTY,
    columns: 80,
    write: (s: string) => writes.push(s) > 0,
  } as unknown as NodeJS.WriteStream;
  return { stream, writes };
}

describe('createProgress', () => {
  it('stays quiet during the first second, then draws a bar and clears it', () => {
    const { stream, writes } = fakeStream(true);
    let t = 0;
    const p = createProgress({ stream, now: () => t });
    p.update('reading', 0.2);
    t = 500;
    p.update('reading', 0.4);
    expect(writes).toEqual([]);
    t = 1200;
    p.update('reading', 0.5);
    expect(writes).toHaveLength(1);
    expect(writes[0]).toMatch(/^\r\[#{14}\.{14}\] {2}50% reading/);
    t = 1250;
    p.update('reading', 0.6);
    expect(writes).toHaveLength(1);
    p.done();
    expect(writes.at(-1)).toBe('\r\x1b[K');
  });

  it('never draws when the stream is not a terminal', () => {
    const { stream, writes } = fakeStream(false);
    let t = 0;
    const p = createProgress({ stream, now: () => t });
    t = 5000;
    p.update('reading', 0.5);
    p.done();
    expect(writes).toEqual([]);
  });
});
