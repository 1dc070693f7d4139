/**
 * Performance without labels (methods.md §5): CBPE for classifiers, DLE for regressors, the compact GBRT used as
 * DLE's nanny model, and the reference models and real-data experiments used to measure them.
 */
export * from './cbpe.js';
export * from './dle.js';
export * from './experiments.js';
export * from './gbrt.js';
export * from './test-models.js';
