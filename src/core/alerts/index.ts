export * from './notify.js';
export * from './retry.js';
export * from './slack.js';
export * from './webhook.js';
