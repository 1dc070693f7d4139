export * from './components.js';
export * from './confirm.js';
export * from './diagnose.js';
export * from './explain.js';
export * from './priors.js';
export * from './rules.js';
export * from './words.js';
