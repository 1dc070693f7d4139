/**
 * Mergeable sketches (methods.md section 6): moments, KLL quantiles, HyperLogLog, frequent items, fixed
 * histograms, a mergeable reservoir sample, the 64-bit hash they share and the byte codec they write with.
 * Each follows the same small algebra: `empty`, `add`/`addNumbers`, `merge`, `clone`, `write`/`read`.
 *
 * @module
 */
export { ByteReader, ByteWriter, crc32, ProfileFormatError } from './bytes.js';
export { FixedHistogram } from './fixed-histogram.js';
export { FREQUENT_ITEMS_DEFAULT_MAX, type FrequentItem, FrequentItems } from './frequent-items.js';
export {
  BOOLEAN_SEED,
  hashBooleanInto,
  hashFloat64Into,
  hashNumberInto,
  hashStringInto,
  hashUtf16Into,
  murmur3x86128,
  NUMBER_SEED,
  STRING_SEED,
} from './hash.js';
export {
  type DistinctEstimate,
  HLL_DEFAULT_P,
  HLL_MAX_P,
  HLL_MIN_P,
  HyperLogLog,
  hllRelativeStandardError,
} from './hll.js';
export {
  KLL_DEFAULT_K,
  KLL_MAX_K,
  KLL_MIN_K,
  type KllOptions,
  KllSketch,
  kllLevelCapacity,
  kllNormalizedRankError,
} from './kll.js';
export { Moments, type MomentsSummary } from './moments.js';
export { RESERVOIR_DEFAULT_CAPACITY, Reservoir } from './reservoir.js';
