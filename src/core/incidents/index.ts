export * from './apply.js';
export * from './incident.js';
