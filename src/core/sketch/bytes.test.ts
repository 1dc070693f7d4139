import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteReader, ByteWriter, crc32, ProfileFormatError } from './bytes.js';

describe('bytes', () => {
  it('crc32 matches the standard check value and zlib', () => {
    // "123456789" → 0xCBF43926 is the catalogued check value of CRC-32/ISO-HDLC.
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array())).toBe(0);
    // zlib.crc32(b"The quick brown fox jumps over the lazy dog") = 0x414FA339.
    expect(crc32(new TextEncoder().encode('The quick brown fox jumps over the lazy dog'))).toBe(0x414fa339);
  });

  it('round-trips every value kind (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.record({ t: fc.constant('u8' as const), v: fc.integer({ min: 0, max: 255 }) }),
            fc.record({ t: fc.constant('u32' as const), v: fc.integer({ min: 0, max: 2 ** 32 - 1 }) }),
            fc.record({ t: fc.constant('f64' as const), v: fc.double() }),
            fc.record({ t: fc.constant('varuint' as const), v: fc.maxSafeNat() }),
            fc.record({
              t: fc.constant('varint' as const),
              v: fc.integer({ min: -(2 ** 52), max: 2 ** 52 }),
            }),
            fc.record({ t: fc.constant('string' as const), v: fc.string({ unit: 'grapheme' }) }),
          ),
        ),
        (ops) => {
          const w = new ByteWriter(4);
          for (const op of ops) (w[op.t] as (v: unknown) => void).call(w, op.v);
          const r = new ByteReader(w.finish());
          for (const op of ops) {
            const got = (r[op.t] as (f: string) => unknown).call(r, 'x');
            expect(Object.is(got, op.v) || (Number.isNaN(got) && Number.isNaN(op.v))).toBe(true);
          }
          r.expectEnd('x');
        },
      ),
    );
  });

  it('names the field when the input runs out or is malformed', () => {
    const r = new ByteReader(new Uint8Array([1, 2]));
    expect(() => r.u32('header.length')).toThrow(ProfileFormatError);
    expect(() => new ByteReader(new Uint8Array([1, 2])).u32('header.length')).toThrow(
      /header\.length: truncated: needs 4 more byte\(s\) at offset 0, only 2 left/,
    );
    expect(() =>
      new ByteReader(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1])).varuint('n'),
    ).toThrow(/n: variable-length integer longer than 8 bytes/);
    expect(() => new ByteReader(new Uint8Array([2, 0xc3, 0x28])).string('name')).toThrow(
      /name: is not valid UTF-8/,
    );
    expect(() => new ByteReader(new Uint8Array([1, 2])).expectEnd('column')).toThrow(
      /column: 2 unexpected trailing byte/,
    );
  });
});
