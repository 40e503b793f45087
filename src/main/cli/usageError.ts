/** A command line that cannot be run as given (exit code 2): the message names the flag or argument. */
export class UsageError extends Error {
  override name = 'UsageError';
}
