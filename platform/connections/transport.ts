import type { AddressInfo } from 'node:net';
import type { SessionSet } from './session-set.js';

/**
 * One way clients reach Parley (WebSocket, TCP lines, Server-Sent Events). The server, the memory
 * guard, the connection budget and the shutdown go through this list: adding a transport
 * touches no business file and no other transport.
 */
export interface Transport {
  /** Its name, as the audit trail and the logs give it. */
  readonly name: string;
  /** Its clients. */
  readonly sessions: SessionSet;
  /**
   * Starts taking clients: opens its own listener and resolves with its address, or resolves
   * with undefined when it rides on the HTTP server (or is turned off).
   */
  listen(): Promise<AddressInfo | undefined>;
  /** Stops taking clients, tells each one, closes them by `deadline` (epoch ms). */
  shutdown(deadline: number): Promise<void>;
}
