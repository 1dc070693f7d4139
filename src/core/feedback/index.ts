/**
 * Degenerate feedback loops in recommenders (methods.md §8): exposure concentration, long-tail service,
 * position bias, trend tests, the loop detector, and a seeded simulator that shows a loop forming.
 */
export * from './exposure.js';
export * from './long-tail.js';
export * from './loop-detector.js';
export * from './position.js';
export * from './simulate.js';
export * from './trend.js';
export * from './window-metrics.js';
