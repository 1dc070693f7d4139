import { DataError } from '../core/schema/data-error.js';

/**
 * A problem with an input file (missing, empty, malformed row, unknown column …), found while reading it.
 * The message names the file and, where there is one, the line; the command line turns it into a usage
 * error (exit code 2) without a stack trace.
 */
export class InputError extends DataError {
  constructor(message: string, hint?: string) {
    super(message, hint);
    this.name = 'InputError';
  }
}
