import type { Origin } from '../../business/chat/participant.js';

/**
 * The peer address a socket's limits are kept by (`--max-connections-per-ip`,
 * `--room-creation-rate`): its remote address, an IPv4 client of a dual-stack socket
 * (`::ffff:1.2.3.4`) written as plain IPv4. Undefined once the socket is gone.
 */
export function peerAddressOf(socket: { remoteAddress?: string }): string | undefined {
  const address = socket.remoteAddress;
  return address === undefined ? undefined : plainAddress(address);
}

/** `::ffff:1.2.3.4` → `1.2.3.4`; any other address as it is. */
export function plainAddress(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.')
    ? address.slice('::ffff:'.length)
    : address;
}

/** Where a client connects from, as its socket says (undefined once the socket is gone). */
export function peerOf(socket: {
  remoteAddress?: string;
  remotePort?: number;
}): Origin | undefined {
  const { remoteAddress, remotePort } = socket;
  if (remoteAddress === undefined || remotePort === undefined) return undefined;
  return { address: remoteAddress, port: remotePort };
}
