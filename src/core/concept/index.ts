/**
 * Concept drift: streaming change detectors on the error stream (methods.md §4) and the verdict that tells
 * concept drift from covariate shift.
 */
export * from './adwin.js';
export * from './ddm.js';
export * from './eddm.js';
export * from './hddm-a.js';
export * from './hddm-w.js';
export * from './kswin.js';
export * from './measure.js';
export * from './page-hinkley.js';
export * from './registry.js';
export * from './types.js';
export * from './verdict.js';
