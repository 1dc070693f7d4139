import type { Command } from 'commander';

/** Registers `faultline profile`. */
export function register(_program: Command): void {}
