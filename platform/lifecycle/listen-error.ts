/** Which of the server's listeners could not start: `http`, or a transport's own (`tcp`). */
export type ListenerName = string;

/**
 * A listener that could not start (a port in use, a port the user may not bind, an address not
 * on this machine), saying which one, so that the command line can name the option to change.
 */
export class ListenError extends Error {
  override readonly name = 'ListenError';

  constructor(
    readonly listener: ListenerName,
    override readonly cause: NodeJS.ErrnoException,
  ) {
    super(`the ${listener} listener cannot start: ${cause.message}`, { cause });
  }

  /** The system's error code: `EADDRINUSE`, `EACCES`, `EADDRNOTAVAIL`… */
  get code(): string | undefined {
    return this.cause.code;
  }
}
