/**
 * @module
 * Little-endian byte writer and reader for the binary profile format, a CRC-32 (IEEE 802.3, the zlib/PNG
 * polynomial 0xEDB88320) and `ProfileFormatError`, the one error a malformed blob raises. The reader checks
 * every length against what is left and names the field it was reading when it runs out.
 */

/** A blob that is not a valid serialised sketch or profile. `field` names what was being read. */
export class ProfileFormatError extends Error {
  readonly field: string;
  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.name = 'ProfileFormatError';
    this.field = field;
  }
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/**
 * CRC-32 (IEEE, reflected, init and final XOR 0xFFFFFFFF) of `bytes[start, end)`.
 * @example crc32(new TextEncoder().encode('123456789')) // 0xcbf43926
 */
export function crc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let c = 0xffffffff;
  for (let i = start; i < end; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

/** Appends little-endian values to a growing buffer. */
export class ByteWriter {
  private buf: Uint8Array;
  private view: DataView;
  private pos = 0;

  constructor(initialCapacity = 1024) {
    this.buf = new Uint8Array(initialCapacity);
    this.view = new DataView(this.buf.buffer);
  }

  get length(): number {
    return this.pos;
  }

  private ensure(extra: number): void {
    if (this.pos + extra <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.pos + extra) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  u8(x: number): void {
    this.ensure(1);
    this.buf[this.pos++] = x;
  }

  u16(x: number): void {
    this.ensure(2);
    this.view.setUint16(this.pos, x, true);
    this.pos += 2;
  }

  u32(x: number): void {
    this.ensure(4);
    this.view.setUint32(this.pos, x, true);
    this.pos += 4;
  }

  f64(x: number): void {
    this.ensure(8);
    this.view.setFloat64(this.pos, x, true);
    this.pos += 8;
  }

  /** Unsigned LEB128 of a non-negative safe integer (up to 2^53 − 1). */
  varuint(x: number): void {
    if (!Number.isSafeInteger(x) || x < 0)
      throw new RangeError(`varuint: expected a safe integer >= 0, got ${x}`);
    this.ensure(8);
    while (x >= 0x80) {
      this.buf[this.pos++] = (x % 0x80) | 0x80;
      x = Math.floor(x / 0x80);
    }
    this.buf[this.pos++] = x;
  }

  /** Zig-zag LEB128 of a safe integer. */
  varint(x: number): void {
    this.varuint(x < 0 ? -2 * x - 1 : 2 * x);
  }

  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  /** A varuint byte length followed by the UTF-8 bytes. */
  string(s: string): void {
    const b = utf8Encoder.encode(s);
    this.varuint(b.length);
    this.bytes(b);
  }

  /** Reserves 4 bytes for a u32 written later with `patchU32`; returns its offset. */
  reserveU32(): number {
    this.ensure(4);
    const at = this.pos;
    this.pos += 4;
    return at;
  }

  patchU32(at: number, x: number): void {
    this.view.setUint32(at, x, true);
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }
}

/** Reads little-endian values, failing with a `ProfileFormatError` that names the field being read. */
export class ByteReader {
  private readonly view: DataView;
  pos: number;
  readonly end: number;

  constructor(
    private readonly buf: Uint8Array,
    start = 0,
    end = buf.length,
  ) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    this.pos = start;
    this.end = end;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  private need(n: number, field: string): void {
    if (this.pos + n > this.end) {
      throw new ProfileFormatError(
        field,
        `truncated: needs ${n} more byte(s) at offset ${this.pos}, only ${this.end - this.pos} left`,
      );
    }
  }

  u8(field: string): number {
    this.need(1, field);
    return this.buf[this.pos++]!;
  }

  u16(field: string): number {
    this.need(2, field);
    const x = this.view.getUint16(this.pos, true);
    this.pos += 2;
    return x;
  }

  u32(field: string): number {
    this.need(4, field);
    const x = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return x;
  }

  f64(field: string): number {
    this.need(8, field);
    const x = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return x;
  }

  varuint(field: string): number {
    let x = 0;
    let mul = 1;
    for (let i = 0; i < 8; i++) {
      const b = this.u8(field);
      x += (b & 0x7f) * mul;
      if ((b & 0x80) === 0) {
        if (!Number.isSafeInteger(x)) throw new ProfileFormatError(field, `integer ${x} exceeds 2^53 − 1`);
        return x;
      }
      mul *= 0x80;
    }
    throw new ProfileFormatError(field, 'variable-length integer longer than 8 bytes');
  }

  varint(field: string): number {
    const z = this.varuint(field);
    return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
  }

  bytes(n: number, field: string): Uint8Array {
    this.need(n, field);
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  string(field: string): string {
    const n = this.varuint(field);
    const b = this.bytes(n, field);
    try {
      return utf8Decoder.decode(b);
    } catch {
      throw new ProfileFormatError(field, 'is not valid UTF-8');
    }
  }

  /** Fails unless the reader consumed exactly up to `end`. */
  expectEnd(field: string): void {
    if (this.pos !== this.end) {
      throw new ProfileFormatError(
        field,
        `${this.end - this.pos} unexpected trailing byte(s) at offset ${this.pos}`,
      );
    }
  }
}
