/**
 * Metrics of model outcomes: classification and regression metrics, confidence intervals per window,
 * calibration (ECE, isotonic regression) and ranking metrics.
 */
export * from './calibration.js';
export * from './classification.js';
export * from './intervals.js';
export * from './ranking.js';
export * from './regression.js';
