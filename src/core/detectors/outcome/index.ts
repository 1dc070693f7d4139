/**
 * @module
 * Outcome detectors: realised and estimated performance of a window, and the findings read from them —
 * `concept_drift`, `poor_hyperparameters`, catastrophic slices (`edge_cases`) and `feedback_loop`.
 */
export * from './concept-drift.js';
export * from './estimated.js';
export * from './feedback-loop.js';
export * from './hyperparameters.js';
export * from './realised.js';
export * from './slices.js';
