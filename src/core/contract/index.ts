/** The HTTP contract of Faultline: wire shapes, error codes and their inferred types. */
export * from './auth.js';
export * from './errors.js';
export * from './events.js';
export * from './ingest.js';
export * from './query.js';
export * from './registry.js';
export * from './retry-after.js';
export * from './scalars.js';
export * from './timestamp.js';
