/**
 * The one streaming interface shared by every concept-drift detector (methods.md §4).
 *
 * A detector sees one value per labelled prediction — for the binary detectors `1` = the prediction was wrong,
 * `0` = right — and answers whether the stream has changed. Its whole state is a plain JSON object so the
 * collector can persist it between windows and resume exactly where it stopped.
 */

/** What one `update` says about the stream so far. */
export interface DetectorSignal {
  /** A change was detected at this update; the detector resets itself at the start of the next update. */
  drift: boolean;
  /** The detector is in its warning zone (only DDM, EDDM and the HDDM pair have one). */
  warning: boolean;
}

export const DETECTOR_KINDS = ['ddm', 'eddm', 'hddm_a', 'hddm_w', 'page_hinkley', 'adwin', 'kswin'] as const;
export type DetectorKind = (typeof DETECTOR_KINDS)[number];

/** Serialisable snapshot: the detector kind, its options, and its internal counters. */
export interface DetectorStateBase<K extends DetectorKind, O> {
  kind: K;
  /** Format version of the snapshot, bumped when the layout changes. */
  version: 1;
  options: O;
}

export interface StreamingDetector<S> {
  readonly kind: DetectorKind;
  /** Feeds one observation and returns the signal for it. Throws a RangeError naming `x` on invalid input. */
  update(x: number): DetectorSignal;
  /** Forgets everything seen so far (options are kept). */
  reset(): void;
  /** A JSON-serialisable snapshot from which `fromJson` rebuilds an identical detector. */
  toJson(): S;
}
