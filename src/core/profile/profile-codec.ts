/**
 * @module
 * The binary profile format (`.flp`), version 1. Little-endian throughout.
 *
 * ```
 * offset 0   "FLP"                 magic bytes
 *        3   u8 format version     (1)
 *        4   u32 payload length    L
 *        8   payload               sections: u8 tag, varuint length, body
 *      8+L   u32 CRC-32            of bytes [0, 8+L) (IEEE polynomial, as zlib)
 * ```
 *
 * Sections, in this order: 1 = meta (settings, row count, column count, rows seen by the sample), one
 * 2 = column per column (`ColumnProfile.write`), 3 = sample (a key table, then each row as key index,
 * type tag and value). Floats are stored as float64, so decoding loses nothing; encoding is a function
 * of the state, so `encode(decode(b))` returns `b` byte for byte. Anything else — another file type, a
 * newer version, a short file, a flipped bit, trailing bytes — is rejected with a `ProfileFormatError`
 * saying what is wrong.
 */
import { type Rng, seededRng } from '../rng.js';
import { ByteReader, ByteWriter, crc32, ProfileFormatError } from '../sketch/bytes.js';
import { Reservoir } from '../sketch/reservoir.js';
import { ColumnProfile } from './column-profile.js';
import { DatasetProfile, type SampleRow, type SampleValue } from './dataset-profile.js';
import type { ProfileSettings } from './settings.js';

/** The magic bytes "FLP". */
export const PROFILE_MAGIC = Uint8Array.of(0x46, 0x4c, 0x50);
/** The format version this build writes and reads. */
export const PROFILE_FORMAT_VERSION = 1;

const HEADER_BYTES = 8;
const CHECKSUM_BYTES = 4;
const SECTION_META = 1;
const SECTION_COLUMN = 2;
const SECTION_SAMPLE = 3;

const VALUE_NULL = 0;
const VALUE_NUMBER = 1;
const VALUE_STRING = 2;
const VALUE_TRUE = 3;
const VALUE_FALSE = 4;

function section(w: ByteWriter, tag: number, body: (w: ByteWriter) => void): void {
  const inner = new ByteWriter(256);
  body(inner);
  const bytes = inner.finish();
  w.u8(tag);
  w.varuint(bytes.length);
  w.bytes(bytes);
}

function writeSettings(w: ByteWriter, s: ProfileSettings): void {
  w.varuint(s.kllK);
  w.varuint(s.hllP);
  w.varuint(s.frequentItems);
  w.varuint(s.numericDistinctLimit);
  w.varuint(s.sampleRows);
}

function writeSample(w: ByteWriter, rows: SampleRow[]): void {
  const keys = new Map<string, number>();
  for (const row of rows) for (const k of Object.keys(row)) if (!keys.has(k)) keys.set(k, keys.size);
  w.varuint(keys.size);
  for (const k of keys.keys()) w.string(k);
  w.varuint(rows.length);
  for (const row of rows) {
    const entries = Object.entries(row);
    w.varuint(entries.length);
    for (const [k, v] of entries) {
      w.varuint(keys.get(k)!);
      if (v === null) w.u8(VALUE_NULL);
      else if (typeof v === 'number') {
        w.u8(VALUE_NUMBER);
        w.f64(v);
      } else if (typeof v === 'string') {
        w.u8(VALUE_STRING);
        w.string(v);
      } else w.u8(v ? VALUE_TRUE : VALUE_FALSE);
    }
  }
}

/** Serialises a profile to the `.flp` binary format (see the module comment). */
export function encodeProfile(profile: DatasetProfile): Uint8Array {
  const w = new ByteWriter(4096);
  w.bytes(PROFILE_MAGIC);
  w.u8(PROFILE_FORMAT_VERSION);
  const lengthAt = w.reserveU32();
  const columns = profile.columns();
  section(w, SECTION_META, (m) => {
    writeSettings(m, profile.settings);
    m.varuint(profile.rowCount);
    m.varuint(columns.length);
    m.varuint(profile.reservoir.seen);
  });
  for (const c of columns) section(w, SECTION_COLUMN, (s) => c.write(s));
  section(w, SECTION_SAMPLE, (s) => writeSample(s, profile.reservoir.items()));
  w.patchU32(lengthAt, w.length - HEADER_BYTES);
  const body = w.finish();
  const out = new Uint8Array(body.length + CHECKSUM_BYTES);
  out.set(body);
  new DataView(out.buffer).setUint32(body.length, crc32(body), true);
  return out;
}

function describeStart(bytes: Uint8Array): string {
  const head = bytes.subarray(0, Math.min(4, bytes.length));
  const hex = Array.from(head, (b) => b.toString(16).padStart(2, '0')).join(' ');
  const text = Array.from(head, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
  return `${hex} ("${text}")`;
}

/** Checks magic, version, length and checksum; returns the payload bounds. */
function checkEnvelope(bytes: Uint8Array): { start: number; end: number; crc: number } {
  if (bytes.length < 3 || PROFILE_MAGIC.some((b, i) => bytes[i] !== b)) {
    const hint = bytes[0] === 0x7b ? ' (it looks like JSON)' : bytes.length === 0 ? ' (it is empty)' : '';
    throw new ProfileFormatError(
      'header',
      `not a Faultline profile: expected the magic bytes "FLP", found ${bytes.length === 0 ? 'nothing' : describeStart(bytes)}${hint}`,
    );
  }
  if (bytes.length < HEADER_BYTES) {
    throw new ProfileFormatError(
      'header',
      `truncated: ${bytes.length} bytes, shorter than the ${HEADER_BYTES}-byte header`,
    );
  }
  const version = bytes[3]!;
  if (version !== PROFILE_FORMAT_VERSION) {
    throw new ProfileFormatError(
      'header.version',
      version > PROFILE_FORMAT_VERSION
        ? `format version ${version} is newer than this build reads (${PROFILE_FORMAT_VERSION}); upgrade faultline`
        : `format version ${version} is not supported (this build reads ${PROFILE_FORMAT_VERSION})`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = view.getUint32(4, true);
  const expected = HEADER_BYTES + length + CHECKSUM_BYTES;
  if (bytes.length < expected) {
    throw new ProfileFormatError(
      'header.length',
      `truncated: the header announces ${length} payload bytes (${expected} in all) but the blob has ${bytes.length}`,
    );
  }
  if (bytes.length > expected) {
    throw new ProfileFormatError(
      'checksum',
      `${bytes.length - expected} unexpected byte(s) after the checksum`,
    );
  }
  const stored = view.getUint32(HEADER_BYTES + length, true);
  const computed = crc32(bytes, 0, HEADER_BYTES + length);
  if (stored !== computed) {
    throw new ProfileFormatError(
      'checksum',
      `checksum mismatch (stored 0x${stored.toString(16).padStart(8, '0')}, computed 0x${computed.toString(16).padStart(8, '0')}): the profile is corrupt`,
    );
  }
  return { start: HEADER_BYTES, end: HEADER_BYTES + length, crc: computed };
}

function readSection(r: ByteReader, want: number, what: string): ByteReader {
  const tag = r.u8(`${what}.tag`);
  if (tag !== want)
    throw new ProfileFormatError(`${what}.tag`, `expected section ${want} (${what}), found ${tag}`);
  const length = r.varuint(`${what}.length`);
  if (length > r.remaining) {
    throw new ProfileFormatError(
      `${what}.length`,
      `section of ${length} bytes overruns the payload (${r.remaining} left)`,
    );
  }
  const inner = new ByteReader(r.bytes(length, what));
  return inner;
}

function readSettings(r: ByteReader): ProfileSettings {
  const s = {
    kllK: r.varuint('meta.kllK'),
    hllP: r.varuint('meta.hllP'),
    frequentItems: r.varuint('meta.frequentItems'),
    numericDistinctLimit: r.varuint('meta.numericDistinctLimit'),
    sampleRows: r.varuint('meta.sampleRows'),
  };
  if (
    s.kllK < 8 ||
    s.kllK > 65535 ||
    s.hllP < 4 ||
    s.hllP > 16 ||
    s.frequentItems < 2 ||
    s.sampleRows > 1 << 20
  ) {
    throw new ProfileFormatError('meta', `impossible settings ${JSON.stringify(s)}`);
  }
  return s;
}

function readSample(r: ByteReader): SampleRow[] {
  const nKeys = r.varuint('sample.keys');
  if (nKeys > r.remaining)
    throw new ProfileFormatError('sample.keys', `${nKeys} keys cannot fit in ${r.remaining} bytes`);
  const keys: string[] = [];
  for (let i = 0; i < nKeys; i++) keys.push(r.string('sample.key'));
  const nRows = r.varuint('sample.rows');
  if (nRows > r.remaining)
    throw new ProfileFormatError('sample.rows', `${nRows} rows cannot fit in ${r.remaining} bytes`);
  const rows: SampleRow[] = [];
  for (let i = 0; i < nRows; i++) {
    const nFields = r.varuint('sample.row');
    const row: SampleRow = {};
    for (let j = 0; j < nFields; j++) {
      const ki = r.varuint('sample.field');
      const key = keys[ki];
      if (key === undefined)
        throw new ProfileFormatError('sample.field', `key index ${ki} >= ${keys.length}`);
      const tag = r.u8('sample.value');
      let v: SampleValue;
      if (tag === VALUE_NULL) v = null;
      else if (tag === VALUE_NUMBER) v = r.f64('sample.value');
      else if (tag === VALUE_STRING) v = r.string('sample.value');
      else if (tag === VALUE_TRUE) v = true;
      else if (tag === VALUE_FALSE) v = false;
      else throw new ProfileFormatError('sample.value', `unknown value tag ${tag}`);
      row[key] = v;
    }
    rows.push(row);
  }
  return rows;
}

/**
 * Reads a `.flp` blob. `rng` drives later compactions and sample merges of the decoded profile; by
 * default it is seeded from the blob's checksum, so decoding is deterministic.
 */
export function decodeProfile(bytes: Uint8Array, options: { rng?: Rng } = {}): DatasetProfile {
  const { start, end, crc } = checkEnvelope(bytes);
  const rng = options.rng ?? seededRng(crc | 0);
  const r = new ByteReader(bytes, start, end);
  const meta = readSection(r, SECTION_META, 'meta');
  const settings = readSettings(meta);
  const rowCount = meta.varuint('meta.rows');
  const nColumns = meta.varuint('meta.columns');
  const sampleSeen = meta.varuint('meta.sampleSeen');
  meta.expectEnd('meta');
  if (nColumns > r.remaining)
    throw new ProfileFormatError('meta.columns', `${nColumns} columns cannot fit in the payload`);
  const columns: ColumnProfile[] = [];
  const names = new Set<string>();
  for (let i = 0; i < nColumns; i++) {
    const s = readSection(r, SECTION_COLUMN, `column ${i}`);
    const c = ColumnProfile.read(s, settings, rng);
    s.expectEnd(`column "${c.name}"`);
    if (names.has(c.name)) throw new ProfileFormatError(`column "${c.name}"`, 'appears twice');
    if (c.count !== rowCount) {
      throw new ProfileFormatError(
        `column "${c.name}"`,
        `counts ${c.count} rows but the profile has ${rowCount}`,
      );
    }
    names.add(c.name);
    columns.push(c);
  }
  const sr = readSection(r, SECTION_SAMPLE, 'sample');
  const rows = readSample(sr);
  sr.expectEnd('sample');
  r.expectEnd('payload');
  if (sampleSeen !== rowCount)
    throw new ProfileFormatError('meta.sampleSeen', `${sampleSeen} != rows ${rowCount}`);
  let sample: Reservoir<SampleRow>;
  try {
    sample = Reservoir.of(settings.sampleRows, sampleSeen, rows, rng);
  } catch (e) {
    throw new ProfileFormatError('sample', (e as Error).message);
  }
  return DatasetProfile.fromParts({ settings, rowCount, columns, sample, rng });
}

/** Serialised bytes per column (the column section alone), for size reports. */
export function encodedColumnSizes(profile: DatasetProfile): Map<string, number> {
  const out = new Map<string, number>();
  for (const c of profile.columns()) {
    const w = new ByteWriter(1024);
    c.write(w);
    out.set(c.name, w.length);
  }
  return out;
}
