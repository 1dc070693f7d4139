export * from './exposition.js';
export * from './faultline-metrics.js';
