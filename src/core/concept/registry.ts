/**
 * Builds a streaming detector by kind, and rebuilds one from its JSON snapshot — what the collector uses to
 * persist detectors between windows. KSWIN is the only one that needs an `Rng`.
 */
import type { Rng } from '../rng.js';
import { Adwin, type AdwinOptions, type AdwinState } from './adwin.js';
import { Ddm, type DdmOptions, type DdmState } from './ddm.js';
import { Eddm, type EddmOptions, type EddmState } from './eddm.js';
import { HddmA, type HddmAOptions, type HddmAState } from './hddm-a.js';
import { HddmW, type HddmWOptions, type HddmWState } from './hddm-w.js';
import { Kswin, type KswinOptions, type KswinState } from './kswin.js';
import { PageHinkley, type PageHinkleyOptions, type PageHinkleyState } from './page-hinkley.js';
import { DETECTOR_KINDS, type DetectorKind, type StreamingDetector } from './types.js';

export interface DetectorOptionsByKind {
  ddm: DdmOptions;
  eddm: EddmOptions;
  hddm_a: HddmAOptions;
  hddm_w: HddmWOptions;
  page_hinkley: PageHinkleyOptions;
  adwin: AdwinOptions;
  kswin: KswinOptions;
}

export type DetectorState =
  | DdmState
  | EddmState
  | HddmAState
  | HddmWState
  | PageHinkleyState
  | AdwinState
  | KswinState;

export type AnyDetector = StreamingDetector<DetectorState>;

/** Detectors whose input must be 0/1 (1 = error); the others take any finite number. */
export const BINARY_DETECTORS: readonly DetectorKind[] = ['ddm', 'eddm', 'hddm_a', 'hddm_w'];

function unknownKind(kind: unknown): never {
  throw new RangeError(`Unknown detector kind "${String(kind)}". Use one of: ${DETECTOR_KINDS.join(', ')}.`);
}

function needRng(rng: Rng | undefined): Rng {
  if (rng === undefined) throw new TypeError('kswin needs an Rng: pass seededRng(seed).');
  return rng;
}

/** A new detector of `kind` with river's defaults overridden by `options`. */
export function createDetector<K extends DetectorKind>(
  kind: K,
  options: Partial<DetectorOptionsByKind[K]> = {},
  rng?: Rng,
): AnyDetector {
  const o = options as Record<string, unknown>;
  switch (kind as DetectorKind) {
    case 'ddm':
      return new Ddm(o);
    case 'eddm':
      return new Eddm(o);
    case 'hddm_a':
      return new HddmA(o);
    case 'hddm_w':
      return new HddmW(o);
    case 'page_hinkley':
      return new PageHinkley(o);
    case 'adwin':
      return new Adwin(o);
    case 'kswin':
      return new Kswin(needRng(rng), o);
    default:
      return unknownKind(kind);
  }
}

/** Rebuilds a detector from `toJson()` output (e.g. parsed from storage); throws naming a bad field. */
export function restoreDetector(state: unknown, rng?: Rng): AnyDetector {
  const kind = (state as { kind?: unknown } | null)?.kind;
  switch (kind) {
    case 'ddm':
      return Ddm.fromJson(state);
    case 'eddm':
      return Eddm.fromJson(state);
    case 'hddm_a':
      return HddmA.fromJson(state);
    case 'hddm_w':
      return HddmW.fromJson(state);
    case 'page_hinkley':
      return PageHinkley.fromJson(state);
    case 'adwin':
      return Adwin.fromJson(state);
    case 'kswin':
      return Kswin.fromJson(state, needRng(rng));
    default:
      return unknownKind(kind);
  }
}
