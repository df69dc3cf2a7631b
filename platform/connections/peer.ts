import type { Origin } from '../../business/chat/participant.js';

/** Where a client connects from, as its socket says (undefined once the socket is gone). */
export function peerOf(socket: {
  remoteAddress?: string;
  remotePort?: number;
}): Origin | undefined {
  const { remoteAddress, remotePort } = socket;
  if (remoteAddress === undefined || remotePort === undefined) return undefined;
  return { address: remoteAddress, port: remotePort };
}
