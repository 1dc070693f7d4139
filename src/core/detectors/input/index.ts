/**
 * @module
 * Input-side detectors: pure adapters from the input statistics of one window (profiles, rows, fitted reference
 * models) to findings of `data_quality`, `covariate_shift`, `label_shift`, `train_serving_skew` and `edge_cases`.
 */
export * from './data-quality.js';
export * from './drift-tests.js';
export * from './edge-cases.js';
export * from './feature-drift.js';
export * from './feature-skew.js';
export * from './multivariate.js';
export * from './output-drift.js';
