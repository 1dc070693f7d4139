/**
 * @module
 * A hash table from byte strings to dense codes (0, 1, 2, … in order of first appearance), with a count per
 * code. Categorical fields are looked up by their bytes, so the reader never builds a JS string for a value
 * it has already seen; strings are decoded once per distinct value at the end.
 *
 * Open addressing with linear probing over a power-of-two table, FNV-1a hashing. The dictionary is bounded
 * (`maxEntries`, `maxBytes`): a column of free text or identifiers would otherwise grow with the file, so
 * past the bound `lookup` answers `-1` and the caller counts an overflow instead.
 */

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;

export class ByteDictionary {
  private arena: Uint8Array = new Uint8Array(1024);
  private arenaUsed = 0;
  private starts: Int32Array = new Int32Array(64);
  private lengths: Int32Array = new Int32Array(64);
  private hashes: Int32Array = new Int32Array(64);
  private counts: Float64Array = new Float64Array(64);
  private table: Int32Array = new Int32Array(128);
  private mask = 127;
  private n = 0;

  constructor(
    readonly maxEntries: number,
    readonly maxBytes: number,
  ) {}

  /** Number of distinct values held. */
  get size(): number {
    return this.n;
  }

  private missHash = 0;
  private missSlot = 0;

  /**
   * The code of `bytes[start, end)` (and its count is incremented), or `-1` when the value is not held.
   * After a miss, `insertMissed` adds that same value cheaply.
   */
  find(bytes: Uint8Array, start: number, end: number): number {
    let h = FNV_OFFSET;
    for (let i = start; i < end; i++) h = Math.imul(h ^ bytes[i]!, FNV_PRIME);
    const len = end - start;
    let slot = h & this.mask;
    for (;;) {
      const entry = this.table[slot]!;
      if (entry === 0) break;
      const code = entry - 1;
      if (this.hashes[code] === h && this.lengths[code] === len) {
        const s = this.starts[code]!;
        const a = this.arena;
        let same = true;
        for (let k = 0; k < len; k++) {
          if (a[s + k] !== bytes[start + k]) {
            same = false;
            break;
          }
        }
        if (same) {
          this.counts[code]!++;
          return code;
        }
      }
      slot = (slot + 1) & this.mask;
    }
    this.missHash = h;
    this.missSlot = slot;
    return -1;
  }

  /**
   * Adds the value `find` just missed (same bytes, no other call in between) with count 1 and returns its
   * code, or `-1` when the dictionary is full.
   */
  insertMissed(bytes: Uint8Array, start: number, end: number): number {
    if (this.n >= this.maxEntries || this.arenaUsed + (end - start) > this.maxBytes) return -1;
    const code = this.add(bytes, start, end, this.missHash);
    this.table[this.missSlot] = code + 1;
    if (this.n * 2 > this.mask) this.rehash();
    this.counts[code] = 1;
    return code;
  }

  /** `find`, then `insertMissed` on a miss: the code of the value, or `-1` when new and the dictionary is full. */
  lookup(bytes: Uint8Array, start: number, end: number): number {
    const code = this.find(bytes, start, end);
    return code >= 0 ? code : this.insertMissed(bytes, start, end);
  }

  private add(bytes: Uint8Array, start: number, end: number, h: number): number {
    const len = end - start;
    if (this.arenaUsed + len > this.arena.length) {
      let cap = this.arena.length * 2;
      while (cap < this.arenaUsed + len) cap *= 2;
      const next = new Uint8Array(cap);
      next.set(this.arena.subarray(0, this.arenaUsed));
      this.arena = next;
    }
    this.arena.set(bytes.subarray(start, end), this.arenaUsed);
    const code = this.n++;
    if (code >= this.starts.length) {
      const cap = this.starts.length * 2;
      this.starts = grow(this.starts, cap);
      this.lengths = grow(this.lengths, cap);
      this.hashes = grow(this.hashes, cap);
      const counts = new Float64Array(cap);
      counts.set(this.counts);
      this.counts = counts;
    }
    this.starts[code] = this.arenaUsed;
    this.lengths[code] = len;
    this.hashes[code] = h;
    this.arenaUsed += len;
    return code;
  }

  private rehash(): void {
    const size = (this.mask + 1) * 2;
    const table = new Int32Array(size);
    const mask = size - 1;
    for (let code = 0; code < this.n; code++) {
      let slot = this.hashes[code]! & mask;
      while (table[slot] !== 0) slot = (slot + 1) & mask;
      table[slot] = code + 1;
    }
    this.table = table;
    this.mask = mask;
  }

  /** Decodes every value (UTF-8) and returns them with their counts, indexed by code. */
  entries(): { values: string[]; counts: number[] } {
    const decoder = new TextDecoder();
    const values: string[] = new Array(this.n);
    const counts: number[] = new Array(this.n);
    for (let code = 0; code < this.n; code++) {
      const s = this.starts[code]!;
      values[code] = decoder.decode(this.arena.subarray(s, s + this.lengths[code]!));
      counts[code] = this.counts[code]!;
    }
    return { values, counts };
  }
}

function grow(a: Int32Array, cap: number): Int32Array {
  const next = new Int32Array(cap);
  next.set(a);
  return next;
}
