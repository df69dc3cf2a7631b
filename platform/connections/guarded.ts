/**
 * Wraps an event listener so that an exception it throws reaches `onThrow` instead of the
 * emitter. Thrown from a socket's listener it would surface as an uncaught exception and stop
 * the whole server; guarded, what one client sends can at worst end that client's connection.
 * @example socket.on('data', guarded((chunk) => reader.push(chunk), (error) => fail(error)));
 */
export function guarded<A extends unknown[]>(
  listener: (...args: A) => void,
  onThrow: (error: unknown) => void,
): (...args: A) => void {
  return (...args) => {
    try {
      listener(...args);
    } catch (error) {
      onThrow(error);
    }
  };
}
