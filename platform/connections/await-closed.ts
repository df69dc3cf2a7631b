import { waitUntil } from '../lifecycle/wait-until.js';
import type { Logger } from '../logging/logger.js';

/** A connection already told to close, as shutdown waits for it. */
export interface ClosingConnection {
  /** Resolves once the socket is closed and the participant has left. */
  readonly closed: Promise<void>;
  /** Cuts the connection at once. */
  terminate(): void;
}

/**
 * Waits for connections told to close until `deadline` (epoch ms), cuts the stragglers, then
 * waits until every one has left its room.
 */
export async function awaitClosed(
  connections: ReadonlySet<ClosingConnection>,
  deadline: number,
  logger: Logger,
): Promise<void> {
  const allClosed = (): Promise<unknown> =>
    Promise.all([...connections].map((connection) => connection.closed));
  if ((await waitUntil(allClosed(), deadline)) === 'timed_out') {
    logger.warn({ stragglers: connections.size }, 'terminating connections');
    for (const connection of connections) connection.terminate();
  }
  await allClosed();
}
