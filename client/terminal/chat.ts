/**
 * A running chat, whatever carries it (the room client over WebSocket or SSE, or the TCP line
 * port): lines typed go in, and it says how it ended.
 */
export interface Chat {
  /** Sends one typed line (kept, in order, while disconnected). */
  send(line: string): void;
  /**
   * The input ended (a piped stdin): leaves once every line sent has been answered — `/quit`
   * goes last, and the server handles a connection's inputs in order.
   */
  endOfInput(): void;
  /** Leaves now (Ctrl-C): the room sees reason `quit`. */
  leave(): void;
  /** Where and as whom we are now (they change with `/join` and `/nick`). */
  identity(): { readonly room: string; readonly name: string };
  /** Resolves with the process's exit code: 0 after leaving, 1 when the server ended it. */
  readonly finished: Promise<number>;
}
