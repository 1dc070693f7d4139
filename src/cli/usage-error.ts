/**
 * A mistake of the user's (bad argument, missing file, malformed input): printed as one clear message
 * with a hint, never as a stack trace. `exitCode` is 2 unless a command says otherwise.
 */
export class UsageError extends Error {
  readonly hint: string | undefined;
  readonly exitCode: number;
  constructor(message: string, options: { hint?: string; exitCode?: number } = {}) {
    super(message);
    this.name = 'UsageError';
    this.hint = options.hint;
    this.exitCode = options.exitCode ?? 2;
  }
}
