import type { Command } from 'commander';

/** Registers `faultline report`. */
export function register(_program: Command): void {}
