/**
 * A problem with the user's data or settings that computation finds (a column whose kind differs between
 * the two files, an unknown column in an override, a method that does not fit a column). Pure: core throws
 * it, the command line prints its message and hint and exits with code 2.
 */
export class DataError extends Error {
  readonly hint: string | undefined;
  constructor(message: string, hint?: string) {
    super(message);
    this.name = 'DataError';
    this.hint = hint;
  }
}
