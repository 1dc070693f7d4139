/** The Faultline SDK for Node: `createMonitor` and its types. */
export type { FingerprintOptions, SelfCheckOptions } from './environment.js';
export { collectFingerprint, readTemperatureC, runSelfChecks } from './environment.js';
export type {
  HeartbeatOverrides,
  Monitor,
  MonitorOptions,
  MonitorStats,
  PredictionInput,
  WrapOptions,
} from './monitor.js';
export { createMonitor, createNoopMonitor, SDK_NAME, SDK_VERSION } from './monitor.js';
