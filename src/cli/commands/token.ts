import type { Command } from 'commander';

/** Registers `faultline token`. */
export function register(_program: Command): void {}
