import type { Command } from 'commander';

/** Registers `faultline serve`. */
export function register(_program: Command): void {}
