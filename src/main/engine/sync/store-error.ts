/**
 * The database cannot be used as it is (corrupt, not SQLite, written by a newer version of the
 * console). Start-up stops with this message; the file is left exactly as it was found, because
 * it may hold the only copy of jobs that have not reached iCIMS yet.
 */
export class StoreError extends Error {
  constructor(
    message: string,
    /** The database file the message is about. */
    readonly file: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StoreError';
  }
}
