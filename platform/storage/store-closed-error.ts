/** Thrown by a store used after `close`: a programming error in shutdown order, not bad input. */
export class StoreClosedError extends Error {
  override readonly name = 'StoreClosedError';

  constructor(store: string) {
    super(`${store} is closed`);
  }
}
